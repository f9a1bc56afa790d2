/**
 * The two ZoneStore implementations (ports.ts):
 * - `WhmZoneStore`: root (or reseller) through WHM `parse_dns_zone` / `mass_edit_dns_zone`; any zone
 *   the token may see, no feature gate (docs/reference/cpanel-api.md §5, §6, §6.6).
 * - `UapiZoneStore`: one cPanel user through UAPI `DNS::parse_zone` / `DNS::mass_edit_zone`. cPanel
 *   itself limits it to that user's zones: another user's zone fails with NOT_OWNED carrying cPanel's
 *   exact `You do not control a DNS zone named “X”.`; TXT edits need the account's `zoneedit` feature.
 * Both send mass_edit as a POST form, never retried (retry.ts), with the serial read before: a concurrent
 * change surfaces as STALE_SERIAL (§6.4) for the caller to re-read and re-plan.
 */
import type { ZoneStore } from '../../ports';
import { normalizeDomain, type MassEditAdd, type MassEditEdit, type MassEditParams, type Zone } from '../../zone/model';
import { parseZonePayload } from '../../zone/payloadReader';
import { cpanelError } from './failures';
import { massEditDataSchema, parseDnsZoneDataSchema, readPayload } from './schemas';
import type { UapiApi } from './uapiApi';
import type { WhmApi } from './whmApi';
import type { Params } from './types';

/** `add` items as cPanel documents them: `{"dname","ttl","record_type","data"}` (§6.1). */
function addJson(add: MassEditAdd): string {
  return JSON.stringify({ dname: add.dname, ttl: add.ttl, record_type: add.record_type, data: add.data });
}

function editJson(edit: MassEditEdit): string {
  return JSON.stringify({ line_index: edit.line_index, dname: edit.dname, ttl: edit.ttl, record_type: edit.record_type, data: edit.data });
}

/** mass_edit parameters: one list item per add/edit (JSON text) and per removed line_index (§6.1). */
export function massEditRequest(params: MassEditParams): Params {
  return {
    zone: normalizeDomain(params.zone),
    serial: params.serial,
    remove: params.remove,
    edit: params.edit.map(editJson),
    add: params.add.map(addJson),
  };
}

/** `new_serial` as a string, whatever JSON type cPanel used (§6.3, §9.5). */
export function newSerialOf(data: unknown, call: string): string {
  const parsed = massEditDataSchema.safeParse(data);
  if (!parsed.success) {
    // The write did succeed: say so, so nobody re-sends it blindly.
    throw cpanelError(
      'API_ERROR',
      `${call} reported success but no new_serial; the change was probably applied — re-read the zone before anything else`,
      {
        step: 'apply',
        upstream: data,
        retryable: false,
      },
    );
  }
  return String(parsed.data.new_serial);
}

export class WhmZoneStore implements ZoneStore {
  constructor(private readonly whm: WhmApi) {}

  async readZone(zone: string): Promise<Zone> {
    const name = normalizeDomain(zone);
    const result = await this.whm.call('parse_dns_zone', { zone: name }, { step: 'read' });
    const payload = readPayload(parseDnsZoneDataSchema, result.data, 'parse_dns_zone', 'read');
    return parseZonePayload(payload.payload, name);
  }

  async massEdit(params: MassEditParams): Promise<{ newSerial: string }> {
    const result = await this.whm.call('mass_edit_dns_zone', massEditRequest(params), { step: 'apply', write: true });
    return { newSerial: newSerialOf(result.data, 'mass_edit_dns_zone') };
  }
}

export class UapiZoneStore implements ZoneStore {
  constructor(private readonly uapi: UapiApi) {}

  get user(): string {
    return this.uapi.user;
  }

  async readZone(zone: string): Promise<Zone> {
    const name = normalizeDomain(zone);
    const result = await this.uapi.call('DNS', 'parse_zone', { zone: name }, { step: 'read' });
    return parseZonePayload(result.data, name);
  }

  async massEdit(params: MassEditParams): Promise<{ newSerial: string }> {
    const result = await this.uapi.call('DNS', 'mass_edit_zone', massEditRequest(params), { step: 'apply', write: true });
    return { newSerial: newSerialOf(result.data, 'DNS::mass_edit_zone') };
  }
}
