/** Issue a demo session: a fresh id (so a login never keeps a session someone else saw) in the cookie. */
import type { Response } from 'express';
import { locals } from './context';
import { serializeCookie } from './cookies';
import type { Identity } from './identity';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, type SessionKeeper } from './session';

export function setSession(res: Response, sessions: SessionKeeper, identity?: Identity): void {
  const session = sessions.newSession(identity);
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, sessions.encode(session), { maxAgeSeconds: SESSION_TTL_SECONDS }));
  locals(res).session = session;
  locals(res).csrf = sessions.csrfToken(session);
}
