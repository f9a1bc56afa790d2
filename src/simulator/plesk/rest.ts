/**
 * The part of Plesk's REST API (`/api/v2`, OpenAPI 3; https://docs.plesk.com/en-US/obsidian/api-rpc/about-rest-api.79359)
 * the tool may meet. Everything below the paths is unverified against Plesk's spec (docs/reference/plesk.md
 * §3): `GET /domains`; `GET /dns/records?domain=`, `GET|DELETE /dns/records/{id}`,
 * `POST /dns/records?domain=`; `POST /cli/{utility}/call` with `{"params": [...]}` answering
 * `{"code", "stdout", "stderr"}` (public scripts call `/api/v2/cli/extension/call` that way).
 * Errors are JSON `{"code", "message"}` with a 4xx status.
 */
import type { DnsRecord } from './model';
import { ERR, PleskOpError } from './records';
import { runPleskCli } from './cli';
import type { PleskState } from './state';
import type { DnsHooks, DnsOp } from './xml/context';

export interface RestAnswer {
  status: number;
  body: unknown;
}

const error = (status: number, message: string): RestAnswer => ({ status, body: { code: 0, message } });

function restRecord(record: DnsRecord): Record<string, unknown> {
  return { id: record.id, type: record.type, host: record.host, value: record.value, opt: record.opt, ttl: 86400 };
}

function zoneOfName(state: PleskState, name: string | null): number | null {
  if (!name) return null;
  const domain = state.domainByName(name);
  return domain?.zoneId ?? null;
}

/** A JSON field as Plesk would read it: strings as they are, numbers as digits, anything else empty. */
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Test hooks fire for REST calls as for the XML API's (GET ≈ get_rec, POST ≈ add_rec, DELETE ≈ del_rec). */
function fired(hooks: DnsHooks, op: DnsOp, zone: string | undefined, state: PleskState): RestAnswer | null {
  const failure = hooks.fire(op, zone ? [zone] : [], state);
  return failure ? error(400, failure.errtext) : null;
}

export function runRest(state: PleskState, method: string, url: URL, body: string, changed: Set<number>, hooks: DnsHooks): RestAnswer {
  const path = url.pathname.replace(/^\/api\/v2/, '');
  if (method === 'GET' && path === '/domains') {
    const domains = [...state.domains.values()].filter((d) => d.kind !== 'alias');
    return {
      status: 200,
      body: domains.map((d) => ({
        id: d.id,
        name: d.name,
        ascii_name: d.name,
        guid: d.guid,
        hosting_type: 'virtual',
        base_domain_id: d.parentId ?? 0,
      })),
    };
  }
  if (path === '/dns/records') {
    const zoneId = zoneOfName(state, url.searchParams.get('domain'));
    if (zoneId === null) return error(404, 'Domain not found');
    const zoneName = state.zones.get(zoneId)?.name;
    const hooked = fired(hooks, method === 'GET' ? 'get_rec' : 'add_rec', zoneName, state);
    if (hooked) return hooked;
    if (method === 'GET') return { status: 200, body: state.recordsOf(zoneId).map(restRecord) };
    if (method !== 'POST') return error(405, 'Method not allowed');
    const input = parseJson(body);
    if (!input) return error(400, 'The request body is not a JSON object');
    const zone = state.zones.get(zoneId);
    const host = typeof input.host === 'string' ? input.host : '';
    // REST takes the host relative or absolute (unverified): an absolute one under the zone is made relative.
    const suffix = `.${zone?.name ?? ''}.`;
    const relative = host.endsWith(suffix) ? host.slice(0, -suffix.length) : host === `${zone?.name ?? ''}.` ? '' : host;
    try {
      const record = state.insertRecord(zoneId, text(input.type).toUpperCase(), relative, text(input.value), text(input.opt));
      changed.add(zoneId);
      return { status: 201, body: { id: record.id } };
    } catch (err) {
      if (err instanceof PleskOpError) return error(400, err.errtext);
      throw err;
    }
  }
  const one = /^\/dns\/records\/(\d+)$/.exec(path);
  if (one) {
    const record = state.records.get(Number(one[1]));
    if (!record || record.zoneId === null) return error(404, ERR.noRecord().errtext);
    if (method === 'GET') return { status: 200, body: restRecord(record) };
    if (method !== 'DELETE') return error(405, 'Method not allowed');
    const hooked = fired(hooks, 'del_rec', state.zones.get(record.zoneId)?.name, state);
    if (hooked) return hooked;
    if (!state.records.has(record.id)) return error(404, ERR.noRecord().errtext);
    state.deleteRecord(record.id);
    changed.add(record.zoneId);
    return { status: 200, body: { status: 'success' } };
  }
  const cli = /^\/cli\/([a-z_]+)\/call$/.exec(path);
  if (cli && method === 'POST') {
    const input = parseJson(body);
    const params = input?.params;
    if (!Array.isArray(params) || params.some((p) => typeof p !== 'string')) return error(400, '"params" must be a list of strings');
    return { status: 200, body: runPleskCli(state, cli[1] as string, params as string[], changed) };
  }
  return error(404, `No route for ${method} ${url.pathname}`);
}
