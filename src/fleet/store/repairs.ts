/**
 * Bulk repairs across servers. A repair is a selection (a filter over the fleet's domains, or a list
 * of server + domain) expanded into one request item per domain, addressed to that domain's server.
 * A server pulls its items, decides each by its own policy and answers in its pushes; the controller
 * only records. The expansion runs as a pg-boss job (src/fleet/jobs.ts) in whichever controller
 * process picks it up, one server per transaction, and can be run again at any point: the unique
 * (repair, server, domain) key and the per-server progress rows make a second run add nothing.
 */
import { FleetError } from '../errors';
import type { DomainStatus } from '../protocol';
import { domainWhere, serversMatching, type DomainFilter } from './domains';
import { inTransaction, iso, num, type Pool, type Queryable } from './pool';
import { audit } from './servers';

export type RepairSelection =
  { kind: 'filter'; filter: DomainFilter; label: string } | { kind: 'domains'; domains: Array<{ serverId: number; domain: string }> };

export type RepairStatus = 'queued' | 'expanding' | 'open' | 'done' | 'cancelled' | 'failed';
export type ItemState = 'pending' | 'delivered' | 'accepted' | 'refused' | 'unchanged' | 'done' | 'failed' | 'cancelled';
export const OPEN_ITEM_STATES: readonly ItemState[] = ['pending', 'delivered', 'accepted'];
export const ITEM_STATES: readonly ItemState[] = [
  'pending',
  'delivered',
  'accepted',
  'refused',
  'unchanged',
  'done',
  'failed',
  'cancelled',
];

export interface Repair {
  id: number;
  createdAt: string;
  createdBy: string;
  selection: RepairSelection;
  status: RepairStatus;
  expandedBy: string | null;
  expandedAt: string | null;
  finishedAt: string | null;
  counts: Record<ItemState, number>;
  total: number;
}

export interface ServerProgress {
  serverId: number;
  server: string;
  lastSeenAt: string | null;
  stale: boolean;
  counts: Record<ItemState, number>;
  total: number;
}

export interface RequestItem {
  id: number;
  serverId: number;
  server: string;
  domain: string;
  state: ItemState;
  reason: string | null;
  message: string | null;
  jobId: number | null;
  changeId: number | null;
  updatedAt: string;
}

export async function createRepair(db: Queryable, createdBy: string, selection: RepairSelection): Promise<number> {
  if (selection.kind === 'domains' && selection.domains.length === 0) throw new FleetError('BAD_INPUT', 'Select at least one domain.');
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO fleet_repairs (created_by, selection, status) VALUES ($1, $2, 'queued') RETURNING id`,
    [createdBy, JSON.stringify(selection)],
  );
  const id = rows[0]!.id;
  await audit(
    db,
    createdBy,
    'repair-requested',
    null,
    { selection: selection.kind === 'filter' ? selection : { domains: selection.domains.length } },
    id,
  );
  return id;
}

function emptyCounts(): Record<ItemState, number> {
  return Object.fromEntries(ITEM_STATES.map((s) => [s, 0])) as Record<ItemState, number>;
}

/** Per-server expansion: address this server's part, unless the repair was cancelled meanwhile. */
async function expandServer(
  pool: Pool,
  repairId: number,
  serverId: number,
  selection: RepairSelection,
  worker: string,
): Promise<'done' | 'stopped'> {
  return inTransaction(pool, async (db) => {
    const repair = await db.query<{ status: RepairStatus }>('SELECT status FROM fleet_repairs WHERE id = $1 FOR SHARE', [repairId]);
    if (repair.rows[0]?.status !== 'expanding') return 'stopped';
    // FOR SHARE: a revocation (FOR UPDATE) waits until this server's part is addressed, or goes first.
    const live = await db.query('SELECT id FROM fleet_servers WHERE id = $1 AND revoked_at IS NULL FOR SHARE', [serverId]);
    let items = 0;
    if (live.rowCount) {
      if (selection.kind === 'filter') {
        const where = domainWhere({ ...selection.filter, serverId }, 3);
        const inserted = await db.query(
          `INSERT INTO fleet_request_items (repair_id, server_id, domain, state)
           SELECT $1, $2, d.domain, 'pending' FROM fleet_domains d ${where.sql} ORDER BY d.domain
           ON CONFLICT DO NOTHING`,
          [repairId, serverId, ...where.params],
        );
        items = inserted.rowCount ?? 0;
      } else {
        const domains = selection.domains.filter((d) => d.serverId === serverId).map((d) => d.domain);
        const inserted = await db.query(
          `INSERT INTO fleet_request_items (repair_id, server_id, domain, state)
           SELECT $1, $2, d.domain, 'pending' FROM fleet_domains d WHERE d.server_id = $2 AND d.domain = ANY($3::text[]) ORDER BY d.domain
           ON CONFLICT DO NOTHING`,
          [repairId, serverId, domains],
        );
        items = inserted.rowCount ?? 0;
      }
    }
    await db.query(
      `INSERT INTO fleet_repair_servers (repair_id, server_id, items, expanded_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [repairId, serverId, items, worker],
    );
    return 'done';
  });
}

/**
 * The pg-boss job's work. Safe to run again after a crash at any point (see the file comment);
 * `onServer` is called after each server's part is committed (progress for logs and tests).
 */
export async function expandRepair(
  pool: Pool,
  repairId: number,
  worker: string,
  onServer?: (serverId: number) => void,
): Promise<'expanded' | 'not-expandable'> {
  const claimed = await pool.query<{ selection: RepairSelection }>(
    `UPDATE fleet_repairs SET status = 'expanding', expanded_by = $2 WHERE id = $1 AND status IN ('queued', 'expanding') RETURNING selection`,
    [repairId, worker],
  );
  const selection = claimed.rows[0]?.selection;
  if (!selection) return 'not-expandable';
  const done = new Set(
    (await pool.query<{ server_id: number }>('SELECT server_id FROM fleet_repair_servers WHERE repair_id = $1', [repairId])).rows.map((r) =>
      num(r.server_id),
    ),
  );
  const servers =
    selection.kind === 'filter'
      ? await serversMatching(pool, selection.filter)
      : [...new Set(selection.domains.map((d) => d.serverId))].sort((a, b) => a - b);
  for (const serverId of servers) {
    if (done.has(serverId)) continue;
    if ((await expandServer(pool, repairId, serverId, selection, worker)) === 'stopped') return 'expanded';
    onServer?.(serverId);
  }
  await inTransaction(pool, async (db) => {
    await db.query(`UPDATE fleet_repairs SET status = 'open', expanded_at = now() WHERE id = $1 AND status = 'expanding'`, [repairId]);
    await settleRepairs(db, [repairId]);
  });
  return 'expanded';
}

/** An open repair with no item left to answer is done. */
export async function settleRepairs(db: Queryable, repairIds: number[]): Promise<void> {
  await db.query(
    `UPDATE fleet_repairs r SET status = 'done', finished_at = now()
      WHERE r.id = ANY($1::int[]) AND r.status = 'open'
        AND NOT EXISTS (SELECT 1 FROM fleet_request_items i WHERE i.repair_id = r.id AND i.state IN ('pending', 'delivered', 'accepted'))`,
    [repairIds],
  );
}

export async function markRepairFailed(db: Queryable, repairId: number, error: string): Promise<void> {
  await db.query(
    `UPDATE fleet_repairs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'expanding')`,
    [repairId, error.slice(0, 2000)],
  );
}

/** Cancel what no server has seen yet; what a server already took finishes there and is still recorded. */
export async function cancelRepair(pool: Pool, repairId: number, by: string): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const result = await db.query(
      `UPDATE fleet_repairs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'expanding', 'open')`,
      [repairId],
    );
    if (!result.rowCount) return false;
    await db.query(
      `UPDATE fleet_request_items SET state = 'cancelled', message = 'cancelled on the controller', updated_at = now()
        WHERE repair_id = $1 AND state = 'pending'`,
      [repairId],
    );
    await audit(db, by, 'repair-cancelled', null, {}, repairId);
    return true;
  });
}

/** The next requests for a server: its pending items, and delivered ones it has not answered (it may have missed the answer). */
export async function pullRequests(
  db: Queryable,
  serverId: number,
  limit: number,
): Promise<Array<{ itemId: number; repairId: number; domain: string; requestedBy: string; requestedAt: string }>> {
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH picked AS (
       SELECT id FROM fleet_request_items WHERE server_id = $1 AND state IN ('pending', 'delivered') ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE fleet_request_items i
        SET state = 'delivered', delivered_at = coalesce(i.delivered_at, now()), deliveries = i.deliveries + 1, updated_at = now()
       FROM picked, fleet_repairs r
      WHERE i.id = picked.id AND r.id = i.repair_id
      RETURNING i.id, i.repair_id, i.domain, r.created_by, r.created_at`,
    [serverId, limit],
  );
  return rows
    .map((r) => ({
      itemId: num(r.id),
      repairId: num(r.repair_id),
      domain: String(r.domain),
      requestedBy: String(r.created_by),
      requestedAt: iso(r.created_at)!,
    }))
    .sort((a, b) => a.itemId - b.itemId);
}

function toRepair(r: Record<string, unknown>, counts: Record<ItemState, number>): Repair {
  return {
    id: num(r.id),
    createdAt: iso(r.created_at)!,
    createdBy: String(r.created_by),
    selection: r.selection as RepairSelection,
    status: r.status as RepairStatus,
    expandedBy: (r.expanded_by as string | null) ?? null,
    expandedAt: iso(r.expanded_at),
    finishedAt: iso(r.finished_at),
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  };
}

export async function listRepairs(db: Queryable, limit = 50): Promise<Repair[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT r.*, (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*) AS n FROM fleet_request_items i WHERE i.repair_id = r.id GROUP BY state) c) AS counts
       FROM fleet_repairs r ORDER BY r.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => toRepair(r, { ...emptyCounts(), ...((r.counts as Record<ItemState, number> | null) ?? {}) }));
}

export async function getRepair(
  db: Queryable,
  repairId: number,
  staleAfterSeconds: number,
): Promise<{ repair: Repair; servers: ServerProgress[] } | null> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM fleet_repairs WHERE id = $1', [repairId]);
  if (!rows[0]) return null;
  const progress = await db.query<Record<string, unknown>>(
    `SELECT s.id, s.name, s.last_seen_at, (s.last_seen_at IS NULL OR s.last_seen_at < now() - make_interval(secs => $2)) AS stale,
            i.state, count(*) AS n
       FROM fleet_request_items i JOIN fleet_servers s ON s.id = i.server_id
      WHERE i.repair_id = $1 GROUP BY s.id, i.state ORDER BY s.name, s.id`,
    [repairId, staleAfterSeconds],
  );
  const servers = new Map<number, ServerProgress>();
  const total = emptyCounts();
  for (const r of progress.rows) {
    const id = num(r.id);
    let entry = servers.get(id);
    if (!entry)
      servers.set(
        id,
        (entry = {
          serverId: id,
          server: String(r.name),
          lastSeenAt: iso(r.last_seen_at),
          stale: r.stale === true,
          counts: emptyCounts(),
          total: 0,
        }),
      );
    const state = r.state as ItemState;
    entry.counts[state] += num(r.n);
    entry.total += num(r.n);
    total[state] += num(r.n);
  }
  return { repair: toRepair(rows[0], total), servers: [...servers.values()] };
}

export async function repairItems(
  db: Queryable,
  repairId: number,
  filter: { serverId?: number; state?: ItemState } = {},
  limit = 1000,
): Promise<RequestItem[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT i.*, s.name AS server FROM fleet_request_items i JOIN fleet_servers s ON s.id = i.server_id
      WHERE i.repair_id = $1 AND ($2::int IS NULL OR i.server_id = $2) AND ($3::text IS NULL OR i.state = $3)
      ORDER BY s.name, i.domain LIMIT $4`,
    [repairId, filter.serverId ?? null, filter.state ?? null, limit],
  );
  return rows.map((r) => ({
    id: num(r.id),
    serverId: num(r.server_id),
    server: String(r.server),
    domain: String(r.domain),
    state: r.state as ItemState,
    reason: (r.reason as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    jobId: r.job_id === null ? null : num(r.job_id),
    changeId: r.change_id === null ? null : num(r.change_id),
    updatedAt: iso(r.updated_at)!,
  }));
}

export type { DomainStatus };
