/**
 * What was done and what bounced, across servers: every server's journal changes, and the
 * rejections its Exim log showed, newest first, with filters.
 */
import { iso, num, type Queryable } from './pool';

export interface FleetChange {
  serverId: number;
  server: string;
  changeId: number;
  domain: string;
  zone: string;
  user: string;
  kind: 'repair' | 'rollback';
  rollbackOf: number | null;
  status: string;
  actor: string;
  createdAt: string;
  updatedAt: string;
  before: string[];
  after: string[];
  error: string | null;
}

export interface HistoryFilter {
  serverId?: number;
  domain?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export async function queryChanges(db: Queryable, filter: HistoryFilter): Promise<{ total: number; rows: FleetChange[] }> {
  const params = [filter.serverId ?? null, filter.domain ?? null, filter.status ?? null];
  const where = `WHERE ($1::int IS NULL OR c.server_id = $1) AND ($2::text IS NULL OR c.domain = $2) AND ($3::text IS NULL OR c.status = $3)`;
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 10_000);
  const [count, page] = await Promise.all([
    db.query<{ n: string }>(`SELECT count(*) AS n FROM fleet_changes c ${where}`, params),
    db.query<Record<string, unknown>>(
      `SELECT c.*, s.name AS server FROM fleet_changes c JOIN fleet_servers s ON s.id = c.server_id ${where}
        ORDER BY c.created_at DESC, c.server_id, c.change_id DESC LIMIT ${limit} OFFSET ${Math.max(filter.offset ?? 0, 0)}`,
      params,
    ),
  ]);
  return {
    total: num(count.rows[0]?.n ?? 0),
    rows: page.rows.map((r) => ({
      serverId: num(r.server_id),
      server: String(r.server),
      changeId: num(r.change_id),
      domain: String(r.domain),
      zone: String(r.zone),
      user: String(r.cpanel_user),
      kind: r.kind as FleetChange['kind'],
      rollbackOf: r.rollback_of === null ? null : num(r.rollback_of),
      status: String(r.status),
      actor: String(r.actor),
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
      before: r.before as string[],
      after: r.after as string[],
      error: (r.error as string | null) ?? null,
    })),
  };
}

export interface RejectionSummary {
  serverId: number;
  server: string;
  domain: string | null;
  class: string;
  count: number;
  lastSeen: string;
  /** The domain's status on its server now (null when the fleet has no scan of it). */
  status: string | null;
}

export interface RejectionFilter {
  serverId?: number;
  class?: string;
  /** Only rejections at or after this time. */
  since: Date;
  limit?: number;
}

/** Rejections per server, domain and class since a time, most first. */
export async function rejectionSummary(db: Queryable, filter: RejectionFilter): Promise<RejectionSummary[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT r.server_id, s.name AS server, r.domain, r.class, count(*) AS n, max(r.time) AS last_seen, d.status
       FROM fleet_rejections r
       JOIN fleet_servers s ON s.id = r.server_id
       LEFT JOIN fleet_domains d ON d.server_id = r.server_id AND d.domain = r.domain
      WHERE r.time >= $1 AND ($2::int IS NULL OR r.server_id = $2) AND ($3::text IS NULL OR r.class = $3)
      GROUP BY r.server_id, s.name, r.domain, r.class, d.status
      ORDER BY (r.class = 'LOCKDOWN_REJECTED') DESC, n DESC, last_seen DESC
      LIMIT $4`,
    [filter.since, filter.serverId ?? null, filter.class ?? null, Math.min(filter.limit ?? 500, 10_000)],
  );
  return rows.map((r) => ({
    serverId: num(r.server_id),
    server: String(r.server),
    domain: (r.domain as string | null) ?? null,
    class: String(r.class),
    count: num(r.n),
    lastSeen: iso(r.last_seen)!,
    status: (r.status as string | null) ?? null,
  }));
}
