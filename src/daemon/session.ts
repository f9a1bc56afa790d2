/**
 * The demo/TCP session (docs/daemon-protocol.md): who was picked on the demo page, in a cookie signed
 * with HMAC-SHA256 under a random per-process secret (a restart logs everyone out, which is fine for a
 * demo), and the per-session CSRF token every POST must carry.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import type { Role } from './identity';

export const SESSION_COOKIE = 'fea_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface Session {
  /** Random id; the CSRF token is derived from it, and a login always gets a new one. */
  sid: string;
  role?: Role;
  user?: string;
  /** Issued at, Unix seconds. */
  iat: number;
}

export interface SessionKeeper {
  newSession(identity?: { role: Role; user: string }): Session;
  encode(session: Session): string;
  /** The session in a cookie value, or undefined when it is missing, forged or expired. */
  decode(value: string | undefined): Session | undefined;
  csrfToken(session: Session): string;
  checkCsrf(session: Session, token: unknown): boolean;
}

const b64 = (buf: Buffer) => buf.toString('base64url');

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSessionKeeper(options: { secret?: Buffer; now?: () => number } = {}): SessionKeeper {
  const secret = options.secret ?? randomBytes(32);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const mac = (text: string) => b64(createHmac('sha256', secret).update(text).digest());

  return {
    newSession(identity) {
      return { sid: b64(randomBytes(18)), ...(identity ? { role: identity.role, user: identity.user } : {}), iat: now() };
    },
    encode(session) {
      const payload = b64(Buffer.from(JSON.stringify(session)));
      return `${payload}.${mac(`session|${payload}`)}`;
    },
    decode(value) {
      if (!value || value.length > 1024) return undefined;
      const dot = value.indexOf('.');
      if (dot <= 0) return undefined;
      const payload = value.slice(0, dot);
      if (!sameBytes(value.slice(dot + 1), mac(`session|${payload}`))) return undefined;
      let session: Session;
      try {
        session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
      } catch {
        return undefined;
      }
      if (typeof session?.sid !== 'string' || typeof session.iat !== 'number') return undefined;
      if (now() - session.iat > SESSION_TTL_SECONDS || session.iat > now() + 60) return undefined;
      return session;
    },
    csrfToken: (session) => mac(`csrf|${session.sid}`),
    checkCsrf(session, token) {
      return typeof token === 'string' && token.length > 0 && sameBytes(token, mac(`csrf|${session.sid}`));
    },
  };
}
