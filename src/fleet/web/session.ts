/**
 * Signing in to the fleet pages. A local admin account with a scrypt password for a start; the
 * session row (store/admins.ts) records how it was proven (`password`, later `oidc`), so an identity
 * provider's callback only has to find or create the admin by (issuer, subject) and call
 * `startSession` — nothing else in the pages depends on how someone signed in.
 *
 * CSRF: every POST carries the session's token; the sign-in form, which has no session yet, carries a
 * token equal to a short-lived cookie of its own (double submit). Cookies are HttpOnly and
 * SameSite=Strict, and Secure when the controller is reached over HTTPS.
 */
import { randomBytes, timingSafeEqual } from 'crypto';
import type { NextFunction, Request, Response } from 'express';
import { parseCookies, serializeCookie } from '../../daemon/cookies';
import { FleetError } from '../errors';
import { dummyHash, verifyPassword } from '../passwords';
import { audit, createSession, endSession, findAdmin, findSession, recordLogin } from '../store';
import { locals, type FleetContext } from './context';

export const SESSION_COOKIE = 'fea_fleet';
export const LOGIN_COOKIE = 'fea_fleet_login';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function secureCookies(ctx: FleetContext, req: Request): boolean {
  return req.secure || Boolean(ctx.config.tls) || (ctx.config.publicUrl?.startsWith('https:') ?? false);
}

/** Reads the session cookie; sets `locals.admin` when it names a live session. */
export function loadSession(ctx: FleetContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const l = locals(res);
    l.csrf = null;
    l.staleAfterSeconds = ctx.config.staleAfterSeconds;
    const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (sid && sid.length <= 100) {
      const session = await findSession(ctx.pool, sid);
      if (session) {
        l.admin = session;
        l.csrf = session.csrf;
        l.sid = sid;
      }
    }
    next();
  };
}

const SAFE = new Set(['GET', 'HEAD']);

/** Every page but the sign-in needs an admin; every POST needs the session's CSRF token. */
export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  const l = locals(res);
  if (!l.admin) {
    if (SAFE.has(req.method) && !req.path.startsWith('/api/'))
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl.slice(0, 500))}`);
    return next(new FleetError('UNAUTHENTICATED', 'Sign in to the fleet controller first.'));
  }
  if (!SAFE.has(req.method)) {
    const token = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    if (typeof token !== 'string' || !sameText(token, l.admin.csrf))
      return next(new FleetError('FORBIDDEN', 'The form was missing its security token or it has expired; reload the page and try again.'));
  }
  next();
}

/** A fresh sign-in form token, in a cookie and in the form. */
export function issueLoginToken(ctx: FleetContext, req: Request, res: Response): string {
  const token = randomBytes(18).toString('base64url');
  res.append('Set-Cookie', serializeCookie(LOGIN_COOKIE, token, { maxAgeSeconds: 1800, path: '/login', secure: secureCookies(ctx, req) }));
  return token;
}

export async function startSession(
  ctx: FleetContext,
  req: Request,
  res: Response,
  adminId: number,
  method: 'password' | 'oidc',
): Promise<void> {
  const { sid } = await createSession(ctx.pool, adminId, method, ctx.config.sessionHours);
  res.append(
    'Set-Cookie',
    serializeCookie(SESSION_COOKIE, sid, { maxAgeSeconds: ctx.config.sessionHours * 3600, secure: secureCookies(ctx, req) }),
  );
}

/** Checks a username and password; the same answer (and about the same time) whether the account exists or not. */
export async function passwordSignIn(ctx: FleetContext, req: Request, res: Response, username: string, password: string): Promise<void> {
  const loginToken = parseCookies(req.headers.cookie).get(LOGIN_COOKIE);
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!loginToken || typeof sent !== 'string' || !sameText(loginToken, sent))
    throw new FleetError('FORBIDDEN', 'The sign-in form has expired; reload the page and try again.');
  const refused = new FleetError('UNAUTHENTICATED', 'Wrong username or password.');
  const admin = username.length <= 64 ? await findAdmin(ctx.pool, username) : null;
  if (!admin || !admin.passwordHash || admin.disabled) {
    await verifyPassword(password, await dummyHash());
    throw refused;
  }
  if (admin.lockedUntil && Date.parse(admin.lockedUntil) > Date.now())
    throw new FleetError('UNAUTHENTICATED', 'Too many failed sign-ins for this account; wait a few minutes and try again.');
  const ok = await verifyPassword(password.slice(0, 1024), admin.passwordHash);
  await recordLogin(ctx.pool, admin.id, ok);
  await audit(ctx.pool, admin.username, ok ? 'signed-in' : 'sign-in-failed', null, { ip: req.ip });
  if (!ok) throw refused;
  await startSession(ctx, req, res, admin.id, 'password');
}

export async function signOut(ctx: FleetContext, req: Request, res: Response): Promise<void> {
  const sid = locals(res).sid;
  if (sid) await endSession(ctx.pool, sid);
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: secureCookies(ctx, req) }));
}
