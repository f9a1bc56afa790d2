/**
 * Servers of the fleet: one-time enrollment tokens, enrollment, the key a server signs with, the
 * nonces of its signed requests, revocation, and the list with each server's counts and report age.
 */
import { FleetError } from '../errors';
import { tokenDigest } from '../protocol';
import { iso, num, type Pool, type Queryable } from './pool';
import { inTransaction } from './pool';

export const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export interface ServerKey {
  id: number;
  name: string;
  publicKey: string;
  revoked: boolean;
}

export interface ServerSummary {
  id: number;
  name: string;
  hostname: string | null;
  version: string | null;
  enrolledAt: string;
  lastSeenAt: string | null;
  lastPushAt: string | null;
  revokedAt: string | null;
  /** Seconds since the last contact; null when it never reported. */
  reportAgeSeconds: number | null;
  /** Silent longer than the configured limit (or never reported): shown as stale, never as healthy. */
  stale: boolean;
  domains: number;
  byStatus: Record<'ok' | 'info' | 'warning' | 'error' | 'unknown', number>;
  /** Open repair requests addressed to it (not yet answered). */
  openRequests: number;
}

export async function createEnrollmentToken(
  db: Queryable,
  input: { token: string; serverName: string; createdBy: string; expiresInHours: number },
): Promise<{ id: number; expiresAt: string }> {
  if (!SERVER_NAME.test(input.serverName))
    throw new FleetError('BAD_INPUT', 'A server name is letters, digits, ".", "_" and "-" (at most 63), starting with a letter or digit.');
  const taken = await db.query('SELECT 1 FROM fleet_servers WHERE name = $1 AND revoked_at IS NULL', [input.serverName]);
  if (taken.rowCount)
    throw new FleetError('CONFLICT', `A server named ${input.serverName} is enrolled; revoke it first to enroll it again.`);
  const { rows } = await db.query<{ id: number; expires_at: Date }>(
    `INSERT INTO fleet_enrollment_tokens (token_sha256, server_name, created_by, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id, expires_at`,
    [tokenDigest(input.token), input.serverName, input.createdBy, Math.round(input.expiresInHours * 3600)],
  );
  await audit(db, input.createdBy, 'enrollment-token', null, { serverName: input.serverName, tokenId: rows[0]!.id });
  return { id: rows[0]!.id, expiresAt: iso(rows[0]!.expires_at)! };
}

/** Use a token once: the server row is created in the same transaction that spends it. */
export async function enrollServer(
  pool: Pool,
  input: { token: string; publicKey: string; hostname: string; version: string },
): Promise<{ serverId: number; name: string }> {
  return inTransaction(pool, async (db) => {
    const spent = await db.query<{ id: number; server_name: string; created_by: string }>(
      `UPDATE fleet_enrollment_tokens SET used_at = now()
       WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING id, server_name, created_by`,
      [tokenDigest(input.token)],
    );
    const token = spent.rows[0];
    if (!token) throw new FleetError('TOKEN_INVALID', 'This enrollment token is unknown, already used or expired; ask for a new one.');
    const keyTaken = await db.query('SELECT 1 FROM fleet_servers WHERE public_key = $1', [input.publicKey]);
    if (keyTaken.rowCount) throw new FleetError('CONFLICT', 'This key is already enrolled.');
    const inserted = await db
      .query<{ id: number }>(
        `INSERT INTO fleet_servers (name, public_key, hostname, version, enrolled_by, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
        [token.server_name, input.publicKey, input.hostname, input.version, token.created_by],
      )
      .catch((err: { code?: string }) => {
        if (err.code === '23505') throw new FleetError('CONFLICT', `A server named ${token.server_name} is already enrolled.`);
        throw err;
      });
    const serverId = inserted.rows[0]!.id;
    await db.query('UPDATE fleet_enrollment_tokens SET server_id = $1 WHERE id = $2', [serverId, token.id]);
    await audit(db, `server:${token.server_name}`, 'enrolled', serverId, { hostname: input.hostname, tokenId: token.id });
    return { serverId, name: token.server_name };
  });
}

export async function serverKey(db: Queryable, serverId: number): Promise<ServerKey | null> {
  const { rows } = await db.query<{ id: number; name: string; public_key: string; revoked_at: Date | null }>(
    'SELECT id, name, public_key, revoked_at FROM fleet_servers WHERE id = $1',
    [serverId],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, publicKey: row.public_key, revoked: row.revoked_at !== null } : null;
}

/** Remember a nonce; false when the server already used it (a replayed request). */
export async function spendNonce(db: Queryable, serverId: number, nonce: string): Promise<boolean> {
  const result = await db.query('INSERT INTO fleet_nonces (server_id, nonce) VALUES ($1, $2) ON CONFLICT DO NOTHING', [serverId, nonce]);
  return result.rowCount === 1;
}

/** Forget nonces older than the signature window allows (their requests are refused by time anyway). */
export async function pruneNonces(db: Queryable, olderThanSeconds: number): Promise<number> {
  const result = await db.query('DELETE FROM fleet_nonces WHERE seen_at < now() - make_interval(secs => $1)', [olderThanSeconds]);
  return result.rowCount ?? 0;
}

export async function touchServer(db: Queryable, serverId: number, info: { hostname: string; version: string }): Promise<void> {
  await db.query('UPDATE fleet_servers SET last_seen_at = now(), hostname = $2, version = $3 WHERE id = $1', [
    serverId,
    info.hostname,
    info.version,
  ]);
}

/**
 * Revoke: the server's requests are refused from now on. FOR UPDATE waits for a repair expansion
 * that is addressing requests to it (which holds the row FOR SHARE) to finish first.
 */
export async function revokeServer(pool: Pool, serverId: number, by: string): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const row = await db.query('SELECT id FROM fleet_servers WHERE id = $1 AND revoked_at IS NULL FOR UPDATE', [serverId]);
    if (!row.rowCount) return false;
    await db.query('UPDATE fleet_servers SET revoked_at = now() WHERE id = $1', [serverId]);
    await db.query(
      `UPDATE fleet_request_items SET state = 'cancelled', message = 'the server was revoked', updated_at = now()
       WHERE server_id = $1 AND state IN ('pending', 'delivered')`,
      [serverId],
    );
    // Its domains no longer describe anything the fleet can act on; its history stays.
    await db.query('DELETE FROM fleet_domains WHERE server_id = $1', [serverId]);
    await audit(db, by, 'revoked', serverId, {});
    return true;
  });
}

export async function listServers(db: Queryable, staleAfterSeconds: number): Promise<ServerSummary[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT s.id, s.name, s.hostname, s.version, s.enrolled_at, s.last_seen_at, s.last_push_at, s.revoked_at,
            extract(epoch FROM now() - s.last_seen_at)::bigint AS age,
            coalesce(c.total, 0) AS total, coalesce(c.ok, 0) AS ok, coalesce(c.info, 0) AS info,
            coalesce(c.warning, 0) AS warning, coalesce(c.error, 0) AS error, coalesce(c.unknown, 0) AS unknown,
            (SELECT count(*) FROM fleet_request_items i WHERE i.server_id = s.id AND i.state IN ('pending', 'delivered', 'accepted')) AS open
       FROM fleet_servers s
       -- status_rank (not status): counted from the index on (server_id, status_rank, domain) alone.
       LEFT JOIN LATERAL (
         SELECT count(*) AS total,
                count(*) FILTER (WHERE status_rank = 0) AS ok, count(*) FILTER (WHERE status_rank = 1) AS info,
                count(*) FILTER (WHERE status_rank = 2) AS warning, count(*) FILTER (WHERE status_rank = 4) AS error,
                count(*) FILTER (WHERE status_rank = 3) AS unknown
           FROM fleet_domains d WHERE d.server_id = s.id) c ON true
      ORDER BY s.revoked_at IS NOT NULL, s.name, s.id`,
  );
  return rows.map((r) => {
    const age = r.age === null ? null : num(r.age);
    return {
      id: num(r.id),
      name: String(r.name),
      hostname: (r.hostname as string | null) ?? null,
      version: (r.version as string | null) ?? null,
      enrolledAt: iso(r.enrolled_at)!,
      lastSeenAt: iso(r.last_seen_at),
      lastPushAt: iso(r.last_push_at),
      revokedAt: iso(r.revoked_at),
      reportAgeSeconds: age,
      stale: age === null || age > staleAfterSeconds,
      domains: num(r.total),
      byStatus: { ok: num(r.ok), info: num(r.info), warning: num(r.warning), error: num(r.error), unknown: num(r.unknown) },
      openRequests: num(r.open),
    };
  });
}

export async function audit(db: Queryable, actor: string, action: string, serverId: number | null, detail: object, repairId?: number) {
  await db.query('INSERT INTO fleet_audit (actor, action, server_id, repair_id, detail) VALUES ($1, $2, $3, $4, $5)', [
    actor,
    action,
    serverId,
    repairId ?? null,
    JSON.stringify(detail),
  ]);
}
