/**
 * Admin accounts and their sessions. Sessions are rows, not process memory: every controller
 * process serves every signed-in admin, and signing out ends the session everywhere at once.
 * The cookie holds a random id; the table holds only its SHA-256.
 */
import { createHash, randomBytes } from 'crypto';
import { iso, num, type Queryable } from './pool';

export const ADMIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Failed sign-ins before the account waits; the wait doubles with each further failure, up to an hour. */
export const LOGIN_FAILURES_BEFORE_LOCK = 5;

export interface Admin {
  id: number;
  username: string;
  passwordHash: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  failedLogins: number;
}

export interface AdminSession {
  adminId: number;
  username: string;
  csrf: string;
  method: 'password' | 'oidc';
  expiresAt: string;
}

const digest = (sid: string) => createHash('sha256').update(sid, 'utf8').digest();

export async function setAdminPassword(db: Queryable, username: string, passwordHash: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO fleet_admins (username, password_hash) VALUES ($1, $2)
     ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, failed_logins = 0, locked_until = NULL
     RETURNING id`,
    [username, passwordHash],
  );
  return rows[0]!.id;
}

export async function findAdmin(db: Queryable, username: string): Promise<Admin | null> {
  const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM fleet_admins WHERE username = $1', [username]);
  const r = rows[0];
  if (!r) return null;
  return {
    id: num(r.id),
    username: String(r.username),
    passwordHash: (r.password_hash as string | null) ?? null,
    disabled: r.disabled_at !== null,
    lockedUntil: iso(r.locked_until),
    failedLogins: num(r.failed_logins),
  };
}

export async function recordLogin(db: Queryable, adminId: number, ok: boolean): Promise<void> {
  if (ok) {
    await db.query('UPDATE fleet_admins SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1', [adminId]);
    return;
  }
  await db.query(
    `UPDATE fleet_admins SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2
         THEN now() + make_interval(secs => least(3600, 30 * power(2, failed_logins + 1 - $2)::int)) ELSE locked_until END
     WHERE id = $1`,
    [adminId, LOGIN_FAILURES_BEFORE_LOCK],
  );
}

export async function createSession(
  db: Queryable,
  adminId: number,
  method: AdminSession['method'],
  hours: number,
): Promise<{ sid: string; csrf: string }> {
  const sid = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO fleet_sessions (id_sha256, admin_id, csrf, auth_method, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [digest(sid), adminId, csrf, method, Math.round(hours * 3600)],
  );
  return { sid, csrf };
}

export async function findSession(db: Queryable, sid: string): Promise<AdminSession | null> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT s.admin_id, a.username, s.csrf, s.auth_method, s.expires_at
       FROM fleet_sessions s JOIN fleet_admins a ON a.id = s.admin_id
      WHERE s.id_sha256 = $1 AND s.expires_at > now() AND a.disabled_at IS NULL`,
    [digest(sid)],
  );
  const r = rows[0];
  return r
    ? {
        adminId: num(r.admin_id),
        username: String(r.username),
        csrf: String(r.csrf),
        method: r.auth_method as AdminSession['method'],
        expiresAt: iso(r.expires_at)!,
      }
    : null;
}

export async function endSession(db: Queryable, sid: string): Promise<void> {
  await db.query('DELETE FROM fleet_sessions WHERE id_sha256 = $1', [digest(sid)]);
}

export async function pruneSessions(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM fleet_sessions WHERE expires_at < now()')).rowCount ?? 0;
}
