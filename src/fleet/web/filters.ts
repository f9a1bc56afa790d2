/**
 * The fleet domain list's filter from a query string or a form: unknown or malformed values are
 * dropped (a stale bookmark still opens the page), never passed to SQL.
 */
import { FINDING_SEVERITY } from '../../checks/findings';
import type { DomainStatus } from '../protocol';
import type { DomainFilter, DomainSort } from '../store';
import { field, fields, idOf } from './context';

export const STATUSES: readonly DomainStatus[] = ['error', 'unknown', 'warning', 'info', 'ok'];
export const SORTS: readonly DomainSort[] = ['status', 'domain', 'server', 'scannedAt'];
export const FINDING_CODES: readonly string[] = Object.keys(FINDING_SEVERITY);
const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const PREFIX = /^[a-z0-9._-]{1,253}$/;

export interface PageFilter extends DomainFilter {
  sort: DomainSort;
  order: 'asc' | 'desc';
  page: number;
}

export function parseFilter(source: unknown): PageFilter {
  const serverId = idOf(field(source, 'server'));
  const owner = field(source, 'owner', 64);
  const user = field(source, 'user', 64);
  const status = fields(source, 'status', 10).filter((s): s is DomainStatus => (STATUSES as readonly string[]).includes(s));
  const code = field(source, 'code', 64);
  const prefix = field(source, 'prefix', 253)?.toLowerCase();
  const sort = field(source, 'sort') as DomainSort | undefined;
  const order = field(source, 'order');
  const page = Number(field(source, 'page') ?? '1');
  const validSort = sort && SORTS.includes(sort) ? sort : 'status';
  return {
    ...(serverId ? { serverId } : {}),
    ...(owner && NAME.test(owner) ? { owner } : {}),
    ...(user && NAME.test(user) ? { user } : {}),
    ...(status.length ? { status } : {}),
    ...(code && FINDING_CODES.includes(code) ? { codes: [code] } : {}),
    ...(prefix && PREFIX.test(prefix) ? { prefix } : {}),
    sort: validSort,
    order: order === 'asc' || order === 'desc' ? order : validSort === 'status' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

/** Only the filter (what a repair of "every stale domain matching" keeps). */
export function filterOnly(f: DomainFilter): DomainFilter {
  return {
    ...(f.serverId !== undefined ? { serverId: f.serverId } : {}),
    ...(f.owner !== undefined ? { owner: f.owner } : {}),
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.status?.length ? { status: f.status } : {}),
    ...(f.codes?.length ? { codes: f.codes } : {}),
    ...(f.prefix !== undefined ? { prefix: f.prefix } : {}),
  };
}

/** The filter as query parameters (links, hidden form fields). */
export function filterQuery(f: PageFilter | DomainFilter): Record<string, string | string[] | undefined> {
  const p = f as Partial<PageFilter>;
  return {
    server: f.serverId !== undefined ? String(f.serverId) : undefined,
    owner: f.owner,
    user: f.user,
    status: f.status ? [...f.status] : undefined,
    code: f.codes?.[0],
    prefix: f.prefix,
    sort: p.sort,
    order: p.order,
  };
}

/** Words for a filter, for the repair's title ("stale domains of server web1, reseller resa"). */
export function describeFilter(f: DomainFilter, serverName?: string): string {
  const parts = [
    f.serverId !== undefined ? `server ${serverName ?? f.serverId}` : '',
    f.owner ? `reseller ${f.owner}` : '',
    f.user ? `account ${f.user}` : '',
    f.status?.length ? `status ${f.status.join('/')}` : '',
    f.codes?.length ? `finding ${f.codes.join(', ')}` : '',
    f.prefix ? `names starting “${f.prefix}”` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every server';
}
