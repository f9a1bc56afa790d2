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

export interface FairShareLimits {
  /** Requests in flight for one identity (a cPanel user, the WHM admin). */
  perIdentityRequests: number;
  /** Requests in flight for all cPanel users together. */
  userRequests: number;
  /** Unfinished jobs one cPanel user may have. */
  perUserJobs: number;
  /** Unfinished jobs of all cPanel users together. */
  userJobs: number;
}

export const DEFAULT_FAIR_SHARE: FairShareLimits = { perIdentityRequests: 4, userRequests: 32, perUserJobs: 3, userJobs: 16 };

/** Interactive identities get at most this share of WHM's rate (rateLimit.ts). */
const INTERACTIVE_SHARE = 0.5;
const RETRY_AFTER_SECONDS = 2;

export class TooManyRequests extends HttpError {
  constructor(message: string) {
    super(429, message, 'TOO_MANY_REQUESTS');
  }
}

/** Bounds requests in flight and runs each in its call scope; mount after the identity is known. */
export function fairShareRequests(limits: FairShareLimits = DEFAULT_FAIR_SHARE) {
  const inFlight = new Map<string, number>();
  let usersInFlight = 0;
  return (req: Request, res: Response, next: NextFunction): void => {
    const identity = locals(res).identity;
    if (!identity) return next();
    const key = `${identity.role}:${identity.user}`;
    const mine = inFlight.get(key) ?? 0;
    const isUser = identity.role === 'user';
    if (mine >= limits.perIdentityRequests || (isUser && usersInFlight >= limits.userRequests)) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      const why =
        mine >= limits.perIdentityRequests
          ? `You have ${mine} requests still being answered`
          : 'The server is answering many requests of other accounts right now';
      return next(new TooManyRequests(`${why}; wait a moment and try again.`));
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

/**
 * The job runner the routes use: a cPanel user's new job is refused with 429 beyond the bounds, and
 * every job's work runs in the scope of its starter's jobs instead of the request that started it.
 */
export function fairShareRunner(runner: JobRunner, limits: FairShareLimits, getActor: (id: number) => Actor | undefined): JobRunner {
  const unfinishedUserJobs = (): Actor[] =>
    runner
      .active()
      .map(getActor)
      .filter((actor): actor is Actor => actor?.kind === 'user');
  const jobScope = (actor: Actor | undefined) => ({ key: `job:${actor?.name ?? 'system'}`, share: 1 });
  return {
    ...runner,
    startJob(kind, keys, params, actor, options) {
      if (actor.kind === 'user') {
        const users = unfinishedUserJobs();
        const mine = users.filter((a) => a.name === actor.name).length;
        if (mine >= limits.perUserJobs)
          throw new TooManyRequests(`You already have ${mine} changes running; wait until one has finished, then try again.`);
        if (users.length >= limits.userJobs)
          throw new TooManyRequests('The server is running many changes of other accounts right now; try again in a minute.');
      }
      return withCallScope(jobScope(actor), () => runner.startJob(kind, keys, params, actor, options));
    },
    resume(jobId, by) {
      return withCallScope(jobScope(getActor(jobId)), () => runner.resume(jobId, by));
    },
  };
}
