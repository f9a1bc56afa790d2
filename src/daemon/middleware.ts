/** The request pipeline's small pieces: security headers, Host check, identity, CSRF, 401/404, errors. */
import type { NextFunction, Request, Response } from 'express';
import { parseCookies } from './cookies';
import { locals, wantsJson, type AppContext } from './context';
import { isFixEmailAuthError } from '../errors';
import { answerFor, errorAnswer, HttpError, newReference } from './httpErrors';
import { identityFromHeaders, MOUNT_HEADER, type Identity } from './identity';
import { createMount, parseMountTemplate, type Mount } from './mount';
import { setSession } from './sessionCookie';
import { SESSION_COOKIE } from './session';

/**
 * Everything from DNS is escaped in the views; the CSP is the second wall: no inline script at all,
 * scripts and styles only from the daemon itself.
 */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * TCP mode answers only to its own loopback names: a web page that rebinds its DNS name to
 * 127.0.0.1 cannot drive the demo (its requests carry its own Host).
 */
export function loopbackHostOnly(req: Request, res: Response, next: NextFunction): void {
  const port = req.socket.localPort;
  const host = (req.headers.host ?? '').toLowerCase();
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowed.includes(host)) {
    res.status(421).type('text/plain').send('This demo answers only at its loopback address.\n');
    return;
  }
  next();
}

function setMount(res: Response, mount: Mount): void {
  const l = locals(res);
  l.mount = mount;
  l.url = mount.url;
  l.formGet = mount.formGet;
}

export function resolveIdentity(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const l = locals(res);
    l.demo = ctx.demo;
    l.csrf = null;
    if (ctx.mode === 'socket') {
      setMount(res, createMount(parseMountTemplate(req.headers[MOUNT_HEADER])));
      const identity = identityFromHeaders(req.headers);
      if (identity) l.identity = identity;
      next();
      return;
    }
    // TCP: the bridges' headers mean nothing here (anyone on the machine can send them).
    setMount(res, createMount(ctx.tcpMount));
    const sessions = ctx.sessions!;
    const session = sessions.decode(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (!session) {
      setSession(res, sessions);
    } else {
      l.session = session;
      l.csrf = sessions.csrfToken(session);
      if (session.role && session.user) l.identity = { role: session.role, user: session.user } satisfies Identity;
    }
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** TCP mode: every POST carries the session's CSRF token (form field `_csrf` or header X-CSRF-Token). */
export function csrfCheck(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const session = locals(res).session;
    const token = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    if (!session || !ctx.sessions!.checkCsrf(session, token)) {
      next(new HttpError(403, 'The form was missing its security token or it has expired; reload the page and try again.', 'CSRF'));
      return;
    }
    next();
  };
}

export function requireIdentity(_req: Request, res: Response, next: NextFunction): void {
  if (!locals(res).identity)
    return next(new HttpError(401, 'Who are you? This page needs the identity of a cPanel user or the WHM admin.'));
  next();
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404, 'There is no such page.'));
}

export function errorHandler(ctx: AppContext) {
  // Express recognises an error handler by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let answer = errorAnswer(err);
    if (answer.status >= 500) {
      // The details stay here, under a reference the page shows (httpErrors.ts answerFor).
      const reference = newReference();
      ctx.log({
        level: 'error',
        msg: 'request failed',
        reference,
        method: req.method,
        path: req.path.slice(0, 300),
        user: locals(res).identity?.user ?? null,
        error:
          err instanceof Error
            ? {
                name: err.name,
                message: err.message,
                stack: err.stack,
                ...(isFixEmailAuthError(err) ? { code: err.code, upstream: err.upstream } : {}),
              }
            : String(err),
      });
      answer = answerFor(answer, locals(res).identity?.role, reference);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(answer.status);
    if (wantsJson(req) || !locals(res).url) {
      res.json({ error: { code: answer.code, message: answer.message, ...(answer.reference ? { reference: answer.reference } : {}) } });
      return;
    }
    res.render(
      'error',
      { title: answer.status === 401 ? 'Sign in needed' : 'Something is wrong', answer },
      (renderErr?: Error | null, html?: string) => {
        if (renderErr || html === undefined) res.type('text/plain').send(`${answer.message}\n`);
        else res.send(html);
      },
    );
  };
}
