/**
 * Every domain across servers: the filtered, sorted page of the fleet's domain list (server,
 * reseller, account, status, finding, name), its count, and a keyset walk of every matching row for
 * exports and repair selections (never an OFFSET into 200 000 rows).
 */
import type { DomainStatus } from '../protocol';
import { iso, num, type Queryable } from './pool';

export interface DomainFilter {
  serverId?: number;
  /** Reseller (or root). */
  owner?: string;
  /** cPanel account. */
  user?: string;
  status?: readonly DomainStatus[];
  /** Domains having every one of these finding codes. */
  codes?: readonly string[];
  /** Domains having at least one of these (the "stale" selection). */
  anyCode?: readonly string[];
  /** Domains having none of these (the stale selection leaves block-all records out). */
  noCode?: readonly string[];
  /** Domain names starting with this text. */
  prefix?: string;
}

export type DomainSort = 'status' | 'domain' | 'server' | 'scannedAt';

/** The generated `status_rank` column of fleet_domains (migrations/001_fleet.sql). */
export const STATUS_RANK: Record<DomainStatus, number> = { error: 4, unknown: 3, warning: 2, info: 1, ok: 0 };

export interface DomainQuery extends DomainFilter {
  sort?: DomainSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface FleetDomain {
  serverId: number;
  server: string;
  domain: string;
  zone: string;
  user: string;
  owner: string;
  status: DomainStatus;
  codes: string[];
  findings: Array<{ code: string; severity: string; message: string }>;
  scannedAt: string;
  /** The server has not reported for longer than the stale limit: this row may be out of date. */
  serverStale: boolean;
}

export interface DomainPage {
  total: number;
  rows: FleetDomain[];
}

/** WHERE clause and parameters; `first` is the number of the first placeholder. */
export function domainWhere(filter: DomainFilter, first = 1, alias = 'd'): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  if (filter.serverId !== undefined) parts.push(`${alias}.server_id = ${p(filter.serverId)}`);
  if (filter.owner !== undefined) parts.push(`${alias}.owner = ${p(filter.owner)}`);
  if (filter.user !== undefined) parts.push(`${alias}.cpanel_user = ${p(filter.user)}`);
  // By rank, not by name: the same rows, and the count can be answered from the rank index alone.
  if (filter.status?.length) parts.push(`${alias}.status_rank = ANY(${p(filter.status.map((s) => STATUS_RANK[s]))}::smallint[])`);
  if (filter.codes?.length) parts.push(`${alias}.codes @> ${p(filter.codes)}::text[]`);
  if (filter.anyCode !== undefined) parts.push(`${alias}.codes && ${p(filter.anyCode)}::text[]`);
  if (filter.noCode?.length) parts.push(`NOT (${alias}.codes && ${p(filter.noCode)}::text[])`);
  if (filter.prefix) parts.push(`${alias}.domain LIKE ${p(`${filter.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const ORDER: Record<DomainSort, { asc: string; desc: string }> = {
  status: { desc: 'd.status_rank DESC, d.domain, d.server_id', asc: 'd.status_rank ASC, d.domain, d.server_id' },
  domain: { asc: 'd.domain, d.server_id', desc: 'd.domain DESC, d.server_id DESC' },
  server: { asc: 'd.server_id, d.status_rank DESC, d.domain', desc: 'd.server_id DESC, d.status_rank DESC, d.domain' },
  scannedAt: { asc: 'd.scanned_at, d.domain', desc: 'd.scanned_at DESC, d.domain' },
};

const COLUMNS = `d.server_id, s.name AS server, d.domain, d.zone, d.cpanel_user, d.owner, d.status, d.codes, d.findings, d.scanned_at,
  (s.last_seen_at IS NULL OR s.last_seen_at < now() - make_interval(secs => $1)) AS server_stale`;

function toDomain(r: Record<string, unknown>): FleetDomain {
  return {
    serverId: num(r.server_id),
    server: String(r.server),
    domain: String(r.domain),
    zone: String(r.zone),
    user: String(r.cpanel_user),
    owner: String(r.owner),
    status: r.status as DomainStatus,
    codes: r.codes as string[],
    findings: r.findings as FleetDomain['findings'],
    scannedAt: iso(r.scanned_at)!,
    serverStale: r.server_stale === true,
  };
}

export async function queryDomains(db: Queryable, query: DomainQuery, staleAfterSeconds: number): Promise<DomainPage> {
  const where = domainWhere(query, 2);
  const order = ORDER[query.sort ?? 'status'][query.order ?? (query.sort === undefined || query.sort === 'status' ? 'desc' : 'asc')];
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 5000);
  const offset = Math.max(query.offset ?? 0, 0);
  const countWhere = domainWhere(query, 1);
  const [count, page] = await Promise.all([
    db.query<{ n: string }>(`SELECT count(*) AS n FROM fleet_domains d ${countWhere.sql}`, countWhere.params),
    db.query<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM fleet_domains d JOIN fleet_servers s ON s.id = d.server_id ${where.sql}
        ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      [staleAfterSeconds, ...where.params],
    ),
  ]);
  return { total: num(count.rows[0]?.n ?? 0), rows: page.rows.map(toDomain) };
}

/** Every matching row in (server, domain) order, `chunk` at a time, for exports. */
export async function* walkDomains(
  db: Queryable,
  filter: DomainFilter,
  staleAfterSeconds: number,
  chunk = 5000,
): AsyncGenerator<FleetDomain[]> {
  let after: { serverId: number; domain: string } | null = null;
  for (;;) {
    const where = domainWhere(filter, 4);
    const keyset: string = after ? `(d.server_id, d.domain) > ($2, $3)` : '$2::int IS NULL AND $3::text IS NULL';
    const sql: string = `SELECT ${COLUMNS} FROM fleet_domains d JOIN fleet_servers s ON s.id = d.server_id
      ${where.sql ? `${where.sql} AND ${keyset}` : `WHERE ${keyset}`} ORDER BY d.server_id, d.domain LIMIT ${chunk}`;
    const { rows }: { rows: Record<string, unknown>[] } = await db.query<Record<string, unknown>>(sql, [
      staleAfterSeconds,
      after?.serverId ?? null,
      after?.domain ?? null,
      ...where.params,
    ]);
    if (rows.length === 0) return;
    const list: FleetDomain[] = rows.map(toDomain);
    yield list;
    const tail: FleetDomain = list[list.length - 1]!;
    after = { serverId: tail.serverId, domain: tail.domain };
    if (rows.length < chunk) return;
  }
}

/** Id and name of every live server (the filter menu). */
export async function serverChoices(db: Queryable): Promise<Array<{ id: number; name: string }>> {
  const { rows } = await db.query<{ id: number; name: string }>(
    'SELECT id, name FROM fleet_servers WHERE revoked_at IS NULL ORDER BY name, id',
  );
  return rows.map((r) => ({ id: num(r.id), name: String(r.name) }));
}

/** The servers having at least one matching domain, in id order. */
export async function serversMatching(db: Queryable, filter: DomainFilter): Promise<number[]> {
  const where = domainWhere(filter, 1);
  const { rows } = await db.query<{ server_id: number }>(
    `SELECT DISTINCT d.server_id FROM fleet_domains d ${where.sql} ORDER BY 1`,
    where.params,
  );
  return rows.map((r) => num(r.server_id));
}
