/**
 * Fair share between tenants: one cPanel user must not starve everyone else.
 *
 * - Requests in flight are bounded per identity and, for cPanel users, all together; beyond the
 *   bound the answer is a clear 429 with Retry-After instead of a queue that grows.
 * - Every request runs in a call scope (adapters/cpanel/callScope.ts): WHM's rate budget is handed
 *   out round robin per identity, each interactive identity held to half of it, so another user's
 *   page finds the same room whether this one is idle or flooding.
 * - When the client goes away before the answer (the bridge gave up after 30 s), the request's
 *   signal is aborted and its cPanel calls still waiting for a slot are dropped, not made.
 * - Jobs started by cPanel users are bounded per user and all together (429 beyond), and run in a
 *   scope of their own (`job:<user>`), not in the request's: a job outlives the request that started it.
 */
import type { NextFunction, Request, Response } from 'express';
import { withCallScope } from '../adapters/cpanel/callScope';
import type { Actor } from '../adapters/store/types';
import type { JobRunner } from '../usecases/jobs';
import { locals } from './context';
import { HttpError } from './httpErrors';
import type { Identity } from './identity';

export interface FairShareLimits {
  /** Requests in flight for one identity (a cPanel user, the WHM admin). */
  perIdentityRequests: number;
  /** Requests in flight for all cPanel users together. */
  userRequests: number;
  /** Unfinished jobs one cPanel user may have. */
  perUserJobs: number;
  /** Unfinished jobs of all cPanel users together. */
  userJobs: number;
  /**
   * How long an identity over its own bound waits for its 429, ms. A client that re-sends at once
   * (a script, a stuck page) then costs a timer, not a stream of requests to parse; others' 429s
   * (all users together at the bound) are not held.
   */
  holdRefusalMs: number;
}

/**
 * One running change per account: measured in bench/fairshare.js, each further concurrent repair of
 * one flooding user made another user's page slower (1.75× with 1, 2.3× with 2, 3.3× with 3 on the
 * benchmark machine); a change takes seconds, and the page says to wait for it.
 */
export const DEFAULT_FAIR_SHARE: FairShareLimits = {
  perIdentityRequests: 4,
  userRequests: 32,
  perUserJobs: 1,
  userJobs: 16,
  holdRefusalMs: 1000,
};

/** Interactive identities get at most this share of WHM's rate (rateLimit.ts). */
const INTERACTIVE_SHARE = 0.5;
const RETRY_AFTER_SECONDS = 2;

/** The 429 itself, as cheaply as it can be said: no template, no error handler. */
function tooMany(req: Request, res: Response, message: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.status(429).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  const accept = req.get('accept') ?? '';
  if (req.path.startsWith('/api/') || (accept.includes('application/json') && !accept.includes('text/html'))) {
    res.json({ error: { code: 'TOO_MANY_REQUESTS', message } });
    return;
  }
  res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Too many requests</title><p>${message}</p>\n`);
}

export class TooManyRequests extends HttpError {
  /** `own`: the asker is over its own bound (not everyone together over theirs). */
  constructor(
    message: string,
    readonly own = false,
  ) {
    super(429, message, 'TOO_MANY_REQUESTS');
  }
}

/**
 * Bounds requests in flight and runs each in its call scope. `identityOf` says who asks: on the Unix
 * socket the bridges' headers, read here so that a flood is turned away before the body parsers and
 * the logger spend anything on it; in TCP mode the session, once resolved.
 */
export function fairShareRequests(
  limits: FairShareLimits = DEFAULT_FAIR_SHARE,
  identityOf: (req: Request, res: Response) => Identity | undefined = (_req, res) => locals(res).identity,
  onReject: (key: string) => void = () => undefined,
) {
  const inFlight = new Map<string, number>();
  let usersInFlight = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    // The pages' CSS and script and the health check cost nothing and are not counted.
    if (req.path.startsWith('/static/') || req.path === '/api/health') return next();
    const identity = identityOf(req, res);
    if (!identity) return next();
    const key = `${identity.role}:${identity.user}`;
    const mine = inFlight.get(key) ?? 0;
    const isUser = identity.role === 'user';
    if (mine >= limits.perIdentityRequests || (isUser && usersInFlight >= limits.userRequests)) {
      onReject(key);
      const own = mine >= limits.perIdentityRequests;
      const message = `${own ? `You have ${mine} requests still being answered` : 'The server is answering many requests of other accounts right now'}; wait a moment and try again.`;
      if (!own || limits.holdRefusalMs <= 0) return tooMany(req, res, message);
      const timer = setTimeout(() => tooMany(req, res, message), limits.holdRefusalMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    inFlight.set(key, mine + 1);
    if (isUser) usersInFlight++;
    const controller = new AbortController();
    let released = false;
    res.on('close', () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left > 0) inFlight.set(key, left);
      else inFlight.delete(key);
      if (isUser) usersInFlight--;
      // Closed before the answer was sent: the client gave up, so drop the work still waiting.
      if (!res.writableFinished) controller.abort();
    });
    const share = identity.role === 'user' || identity.role === 'admin' ? INTERACTIVE_SHARE : 1;
    // A page that only shows may read the domain map cached a few seconds ago; a POST decides who
    // may change what, so it reads a fresh one (which refreshes the cache for the pages after it).
    const cachedDomainMapOk = req.method === 'GET' || req.method === 'HEAD';
    withCallScope({ key, share, signal: controller.signal, cachedDomainMapOk }, () => next());
  };
}

/** Whether a cPanel user may start one more job now (the bounds of `FairShareLimits`). */
export interface JobAdmission {
  /** Throws TooManyRequests when the user (or all users together) is at the bound. */
  check(user: string): void;
}

export function createJobAdmission(runner: JobRunner, limits: FairShareLimits, getActor: (id: number) => Actor | undefined): JobAdmission {
  return {
    check(user) {
      const users = runner
        .active()
        .map(getActor)
        .filter((actor): actor is Actor => actor?.kind === 'user');
      const mine = users.filter((a) => a.name === user).length;
      if (mine >= limits.perUserJobs)
        throw new TooManyRequests(`You already have ${mine} changes running; wait until one has finished, then try again.`, true);
      if (users.length >= limits.userJobs)
        throw new TooManyRequests('The server is running many changes of other accounts right now; try again in a minute.');
    },
  };
}

/** The user routes that start a job (docs/daemon-protocol.md): refused before any work when at the bound. */
const JOB_ROUTES = /^\/(?:api\/)?(?:domains\/[^/]+\/fix|changes\/[^/]+\/(?:undo|rollback))$/;

/**
 * A cPanel user's request that would start a job is answered 429 when the user is at the bound,
 * before it reads anything from cPanel (the runner checks again when the job is started); held like
 * the other refusals of an identity over its own bound.
 */
export function jobAdmissionFirst(
  admission: JobAdmission,
  limits: FairShareLimits = DEFAULT_FAIR_SHARE,
  identityOf: (req: Request, res: Response) => Identity | undefined = (_req, res) => locals(res).identity,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const identity = identityOf(req, res);
    if (identity?.role !== 'user' || req.method !== 'POST' || !JOB_ROUTES.test(req.path)) return next();
    try {
      admission.check(identity.user);
    } catch (err) {
      if (!(err instanceof TooManyRequests)) return next(err);
      if (!err.own || limits.holdRefusalMs <= 0) return tooMany(req, res, err.message);
      const timer = setTimeout(() => tooMany(req, res, err.message), limits.holdRefusalMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    next();
  };
}

/**
 * The job runner the routes use: a cPanel user's new job is refused with 429 beyond the bounds, and
 * every job's work runs in the scope of its starter's jobs instead of the request that started it.
 */
export function fairShareRunner(runner: JobRunner, admission: JobAdmission, getActor: (id: number) => Actor | undefined): JobRunner {
  const jobScope = (actor: Actor | undefined) => ({ key: `job:${actor?.name ?? 'system'}`, share: 1 });
  return {
    ...runner,
    startJob(kind, keys, params, actor, options) {
      if (actor.kind === 'user') admission.check(actor.name);
      return withCallScope(jobScope(actor), () => runner.startJob(kind, keys, params, actor, options));
    },
    resume(jobId, by) {
      return withCallScope(jobScope(getActor(jobId)), () => runner.resume(jobId, by));
    },
  };
}

/** A 429 log line per identity at most once a minute: a flood must not flood the log too. */
export function rejectionLog(log: (entry: Record<string, unknown> & { msg: string }) => void, now: () => number = Date.now) {
  const last = new Map<string, { at: number; count: number }>();
  return (key: string): void => {
    const entry = last.get(key) ?? { at: -Infinity, count: 0 };
    entry.count++;
    if (now() - entry.at >= 60_000) {
      log({ level: 'warn', msg: 'too many requests', identity: key, refusedSinceLastLine: entry.count });
      entry.at = now();
      entry.count = 0;
    }
    last.set(key, entry);
    if (last.size > 10_000) last.delete(last.keys().next().value as string);
  };
}
