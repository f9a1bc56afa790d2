/**
 * `PleskDns` over Plesk's REST API (`/api/v2`, administrator only, `X-API-Key`;
 * https://docs.plesk.com/en-US/obsidian/api-rpc/about-rest-api.79359): `GET /dns/records?domain=`,
 * `POST /dns/records?domain=`, `DELETE /dns/records/{id}`. The paths are what public scripts call;
 * the field names (`id type host value opt ttl`), the relative `host` on create and the JSON error
 * shape are unverified (docs/reference/plesk.md §3), which is why the XML API stays the default
 * (`plesk.transport: "api"`) and REST is opt-in (`"rest"`). Domains and zone modes still come from the
 * XML API: REST has no documented equivalent. Deletes are by id only, one request each, like the XML
 * side; REST has no filter that could widen one.
 */
import { FixEmailAuthError, type Step } from '../../errors';
import type { DeleteOutcome, PleskDns } from './dns';
import { pleskHttps, type PleskTls } from './https';
import type { NewRecord, PleskRecord, PleskZoneRef } from './types';

export interface RestDnsOptions {
  baseUrl: string;
  apiKey: string;
  tls: PleskTls;
  timeoutMs: number;
}

interface RestRecord {
  id?: unknown;
  type?: unknown;
  host?: unknown;
  value?: unknown;
  opt?: unknown;
}

function toRecord(raw: RestRecord): PleskRecord | null {
  if (typeof raw.id !== 'number' || typeof raw.type !== 'string' || typeof raw.host !== 'string' || typeof raw.value !== 'string')
    return null;
  const host = raw.host.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  return {
    key: String(raw.id),
    id: raw.id,
    type: raw.type.toUpperCase(),
    host: host.endsWith('.') ? host : `${host}.`,
    value: raw.value,
    opt: typeof raw.opt === 'string' ? raw.opt : '',
  };
}

export class RestDns implements PleskDns {
  readonly kind = 'xml' as const;

  constructor(private readonly options: RestDnsOptions) {}

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    what: string,
    step: Step,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const answer = await pleskHttps({
      url: new URL(`/api/v2${path}`, this.options.baseUrl),
      method,
      headers: {
        'X-API-Key': this.options.apiKey,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: this.options.timeoutMs,
      tls: this.options.tls,
      step,
      what,
    });
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new FixEmailAuthError('TRANSPORT', `${what}: HTTP ${answer.status} without JSON`, {
        step,
        upstream: answer.text.slice(0, 2000),
      });
    }
    if (answer.status === 401 || answer.status === 403)
      throw new FixEmailAuthError('AUTHENTICATION', `${what}: Plesk refused the API key (HTTP ${answer.status})`, { step, upstream: json });
    if (answer.status >= 500) throw new FixEmailAuthError('TRANSPORT', `${what}: HTTP ${answer.status}`, { step, upstream: json });
    return { status: answer.status, json };
  }

  private static message(json: unknown): string {
    return json !== null && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string'
      ? (json as { message: string }).message
      : 'no message';
  }

  async readZone(ref: PleskZoneRef): Promise<PleskRecord[]> {
    const what = `Reading the DNS records of ${ref.zone}`;
    const { status, json } = await this.call('GET', `/dns/records?domain=${encodeURIComponent(ref.zone)}`, what, 'read');
    if (status === 404)
      throw new FixEmailAuthError('UNKNOWN_DOMAIN', `${what}: ${RestDns.message(json)}`, { step: 'read', upstream: json });
    if (status !== 200 || !Array.isArray(json))
      throw new FixEmailAuthError('API_ERROR', `${what}: HTTP ${status}: ${RestDns.message(json)}`, { step: 'read', upstream: json });
    return (json as RestRecord[]).map(toRecord).filter((r): r is PleskRecord => r !== null);
  }

  async add(ref: PleskZoneRef, record: NewRecord): Promise<PleskRecord> {
    const what = `Adding a ${record.type} record at ${record.host || '@'} in ${ref.zone}`;
    const { status, json } = await this.call('POST', `/dns/records?domain=${encodeURIComponent(ref.zone)}`, what, 'apply', {
      type: record.type,
      host: record.host,
      value: record.value,
      opt: record.opt ?? '',
    });
    const id = json !== null && typeof json === 'object' ? (json as { id?: unknown }).id : undefined;
    if ((status !== 200 && status !== 201) || typeof id !== 'number')
      throw new FixEmailAuthError('API_ERROR', `${what}: HTTP ${status}: ${RestDns.message(json)}`, { step: 'apply', upstream: json });
    const host = record.host === '' ? `${ref.zone}.` : `${record.host.toLowerCase()}.${ref.zone}.`;
    return { key: String(id), id, type: record.type, host, value: record.value, opt: record.opt ?? '' };
  }

  async remove(_ref: PleskZoneRef, records: readonly [PleskRecord, ...PleskRecord[]]): Promise<DeleteOutcome[]> {
    const outcomes: DeleteOutcome[] = [];
    for (const record of records) {
      if (typeof record.id !== 'number' || !Number.isSafeInteger(record.id) || record.id <= 0) {
        throw new FixEmailAuthError('UNSAFE_VALUE', `A delete needs a record id; ${record.host} has none`, { step: 'apply' });
      }
      const { status, json } = await this.call('DELETE', `/dns/records/${record.id}`, `Deleting DNS record ${record.id}`, 'apply');
      outcomes.push({
        key: record.key,
        failure: status === 200 ? null : { errcode: status === 404 ? 1013 : status, errtext: RestDns.message(json) },
      });
    }
    return outcomes;
  }
}
