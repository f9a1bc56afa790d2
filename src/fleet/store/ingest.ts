/**
 * Applying a server's push: every entry after the last one applied, in one transaction with the new
 * high-water mark, so a push applied twice (the server resent it because the answer was lost) changes
 * nothing, and a push that fails half-way leaves nothing behind. The server's row is locked for the
 * transaction: two pushes of one server (through two controller processes) apply one after the other.
 *
 * Rows are written set-wise (`unnest` of one array per column, https://www.postgresql.org/docs/current/functions-array.html):
 * one statement per entry of up to 500 domains, not 500 statements.
 */
import { FleetError } from '../errors';
import type { ChangeRow, DomainRow, OutboxEntry, PushBody, RejectionRow, RequestOutcome } from '../protocol';
import { inTransaction, num, type Pool, type Queryable } from './pool';
import { settleRepairs } from './repairs';

export async function applyPush(
  pool: Pool,
  serverId: number,
  body: PushBody,
): Promise<{ ackedSeq: number; previousSeq: number; applied: number }> {
  const seqs = body.entries.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++)
    if (seqs[i]! <= seqs[i - 1]!) throw new FleetError('PROTOCOL', 'A push must list its entries in increasing sequence order.');
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ last_seq: string; revoked_at: Date | null }>(
      'SELECT last_seq, revoked_at FROM fleet_servers WHERE id = $1 FOR UPDATE',
      [serverId],
    );
    const server = rows[0];
    if (!server) throw new FleetError('UNAUTHENTICATED', 'Unknown server.');
    if (server.revoked_at) throw new FleetError('REVOKED', 'This server was revoked on the controller.');
    const previousSeq = num(server.last_seq);
    let last = previousSeq;
    let applied = 0;
    const repairs = new Set<number>();
    for (const entry of body.entries) {
      if (entry.seq <= last) continue;
      await applyEntry(db, serverId, entry, repairs);
      last = entry.seq;
      applied++;
    }
    await db.query(
      `UPDATE fleet_servers SET last_seq = $2, last_seen_at = now(), last_push_at = now(), hostname = $3, version = $4 WHERE id = $1`,
      [serverId, last, body.info.hostname, body.info.version],
    );
    if (repairs.size) await settleRepairs(db, [...repairs]);
    return { ackedSeq: last, previousSeq, applied };
  });
}

async function applyEntry(db: Queryable, serverId: number, entry: OutboxEntry, repairs: Set<number>): Promise<void> {
  switch (entry.kind) {
    case 'domains':
      return upsertDomains(db, serverId, entry.rows);
    case 'domains-removed':
      await db.query('DELETE FROM fleet_domains WHERE server_id = $1 AND domain = ANY($2::text[])', [serverId, entry.domains]);
      return;
    case 'changes':
      return upsertChanges(db, serverId, entry.rows);
    case 'rejections':
      return insertRejections(db, serverId, entry.rows);
    case 'request': {
      const repairId = await recordOutcome(db, serverId, entry.outcome);
      repairs.add(repairId);
      return;
    }
  }
}

/** The newest scan of each domain in the batch (a domain twice in one statement is an error in PostgreSQL). */
function latestPerDomain(rows: readonly DomainRow[]): DomainRow[] {
  const byDomain = new Map<string, DomainRow>();
  for (const r of rows) {
    const seen = byDomain.get(r.domain);
    if (!seen || Date.parse(seen.scannedAt) <= Date.parse(r.scannedAt)) byDomain.set(r.domain, r);
  }
  return [...byDomain.values()];
}

export async function upsertDomains(db: Queryable, serverId: number, input: readonly DomainRow[]): Promise<void> {
  const rows = latestPerDomain(input);
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO fleet_domains (server_id, domain, zone, cpanel_user, owner, status, codes, findings, scanned_at)
     SELECT $1, d.domain, d.zone, d.cpanel_user, d.owner, d.status, string_to_array(d.codes, ' '), d.findings::jsonb, d.scanned_at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
         AS d (domain, zone, cpanel_user, owner, status, codes, findings, scanned_at)
     ON CONFLICT (server_id, domain) DO UPDATE SET
       zone = EXCLUDED.zone, cpanel_user = EXCLUDED.cpanel_user, owner = EXCLUDED.owner, status = EXCLUDED.status,
       codes = EXCLUDED.codes, findings = EXCLUDED.findings, scanned_at = EXCLUDED.scanned_at, received_at = now()
     WHERE fleet_domains.scanned_at <= EXCLUDED.scanned_at`,
    [
      serverId,
      rows.map((r) => r.domain),
      rows.map((r) => r.zone),
      rows.map((r) => r.user),
      rows.map((r) => r.owner),
      rows.map((r) => r.status),
      rows.map((r) => r.codes.join(' ')),
      rows.map((r) => JSON.stringify(r.findings)),
      rows.map((r) => r.scannedAt),
    ],
  );
}

async function upsertChanges(db: Queryable, serverId: number, rows: readonly ChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const list = [...byId.values()];
  await db.query(
    `INSERT INTO fleet_changes (server_id, change_id, domain, zone, cpanel_user, kind, rollback_of, status, actor,
                                created_at, updated_at, before, after, error)
     SELECT $1, c.id, c.domain, c.zone, c.cpanel_user, c.kind, c.rollback_of, c.status, c.actor, c.created_at, c.updated_at,
            ARRAY(SELECT jsonb_array_elements_text(c.before::jsonb)), ARRAY(SELECT jsonb_array_elements_text(c.after::jsonb)), c.error
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[], $14::text[])
         AS c (id, domain, zone, cpanel_user, kind, rollback_of, status, actor, created_at, updated_at, before, after, error)
     ON CONFLICT (server_id, change_id) DO UPDATE SET
       status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, before = EXCLUDED.before, after = EXCLUDED.after, error = EXCLUDED.error
     WHERE fleet_changes.updated_at <= EXCLUDED.updated_at`,
    [
      serverId,
      list.map((r) => r.id),
      list.map((r) => r.domain),
      list.map((r) => r.zone),
      list.map((r) => r.user),
      list.map((r) => r.kind),
      list.map((r) => r.rollbackOf),
      list.map((r) => r.status),
      list.map((r) => r.actor),
      list.map((r) => r.createdAt),
      list.map((r) => r.updatedAt),
      list.map((r) => JSON.stringify(r.before)),
      list.map((r) => JSON.stringify(r.after)),
      list.map((r) => r.error),
    ],
  );
}

async function insertRejections(db: Queryable, serverId: number, rows: readonly RejectionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO fleet_rejections (server_id, message_id, recipient, time, domain, class, sender, auth_user)
     SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS r (message_id, recipient, time, domain, class, sender, auth_user)
     ON CONFLICT DO NOTHING`,
    [
      serverId,
      rows.map((r) => r.messageId),
      rows.map((r) => r.recipient),
      rows.map((r) => r.time),
      rows.map((r) => r.domain),
      rows.map((r) => r.class),
      rows.map((r) => r.sender),
      rows.map((r) => r.authUser),
    ],
  );
}

/**
 * A server's answer to one of its requests. Only an item addressed to the pushing server can be
 * answered: anything else refuses the whole push (the same answer whether the item exists or not,
 * so a server learns nothing about the others).
 */
async function recordOutcome(db: Queryable, serverId: number, outcome: RequestOutcome): Promise<number> {
  const { rows } = await db.query<{ repair_id: number }>(
    `UPDATE fleet_request_items
        SET state = CASE WHEN state IN ('refused', 'unchanged', 'done', 'failed') AND $3 = 'accepted' THEN state ELSE $3 END,
            reason = coalesce($4, reason), message = $5, job_id = coalesce($6, job_id), change_id = coalesce($7, change_id),
            codes = coalesce($8, codes), updated_at = now()
      WHERE id = $1 AND server_id = $2
      RETURNING repair_id`,
    [
      outcome.itemId,
      serverId,
      outcome.state,
      outcome.reason ?? null,
      outcome.message,
      outcome.jobId ?? null,
      outcome.changeId ?? null,
      outcome.codes ?? null,
    ],
  );
  const row = rows[0];
  if (!row) throw new FleetError('FORBIDDEN', `Request item ${outcome.itemId} is not addressed to this server.`);
  return row.repair_id;
}
