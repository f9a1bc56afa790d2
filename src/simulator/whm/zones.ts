/**
 * WHM zone functions (docs/reference/cpanel-api.md §5, §6, §7.5): `parse_dns_zone`, `mass_edit_dns_zone`,
 * `has_local_authority`, `export_zone_files`. Root reaches every zone, a reseller the zones of its
 * accounts; WHM has no feature gate (§6.6).
 */
import { toParseZonePayload } from '../../zone/payloadWriter';
import { requireArg, requireList, type WhmCall } from '../context';
import { SimApiError } from '../envelopes';
import { localAuthorityRows } from '../localAuthority';
import { performMassEdit } from '../massEdit';
import { messages } from '../messages';
import { loadZone, whmCanReachZone } from '../zoneAccess';
import type { WhmReply } from './reply';

export async function parseDnsZone({ ctx, caller, params }: WhmCall): Promise<WhmReply> {
  const zone = requireArg(params, 'zone');
  const loaded = (await whmCanReachZone(ctx, caller, zone)) ? await loadZone(ctx, zone) : null;
  if (!loaded) throw new SimApiError(messages.noSuchDomain(zone));
  return { data: { payload: toParseZonePayload(loaded.zone) } };
}

export async function massEditDnsZone({ ctx, caller, params }: WhmCall): Promise<WhmReply> {
  const result = await performMassEdit(ctx, params, {
    authority: { kind: 'whm' },
    mayEdit: (zone) => whmCanReachZone(ctx, caller, zone),
    notFound: messages.noSuchDomain,
  });
  return { data: result };
}

/** Result key `records` (the reference names the rows, not the key: unverified). */
export async function hasLocalAuthority({ ctx, caller, params }: WhmCall): Promise<WhmReply> {
  const domains = requireList(params, 'domain');
  return { data: { records: await localAuthorityRows(ctx, domains, (zone) => whmCanReachZone(ctx, caller, zone)) } };
}

/** Raw master-file text, base64 of the bytes (§7.5). */
export async function exportZoneFiles({ ctx, caller, params }: WhmCall): Promise<WhmReply> {
  const zones = requireList(params, 'zone');
  const payload: Array<{ zone: string; text_b64: string }> = [];
  for (const zone of zones) {
    const text = (await whmCanReachZone(ctx, caller, zone)) ? await ctx.zones.read(zone) : null;
    if (text === null) throw new SimApiError(messages.noSuchDomain(zone));
    payload.push({ zone, text_b64: Buffer.from(text, 'latin1').toString('base64') });
  }
  return { data: { payload } };
}
