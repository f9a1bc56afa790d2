/** What every route gets, and the few helpers all of them use (identity, roles, HTML-or-JSON). */
import type { Request, Response } from 'express';
import type { Services } from '../services';
import type { FairShareLimits, JobAdmission } from './fairShare';
import type { JobRunner } from '../usecases/jobs';
import { HttpError } from './httpErrors';
import type { Identity, Role } from './identity';
import type { Logger } from './logging';
import type { Mount } from './mount';
import type { SelfHealRuntime } from './selfHeal';
import type { Session, SessionKeeper } from './session';

export interface DemoInfo {
  /** Lines under the banner: what is simulated (e.g. "DNS: built-in answerer, demo only"). */
  notes: string[];
}

export interface AppContext {
  services: Services;
  runner: JobRunner;
  log: Logger;
  /** socket: identity from the bridges' headers; tcp: from the demo session, CSRF on every POST. */
  mode: 'socket' | 'tcp';
  sessions: SessionKeeper | null;
  demo: DemoInfo | null;
  version: string;
  /** TCP mode: the mount template links are built with (socket mode takes it from each request). */
  tcpMount: string | null;
  /** The mail-log follower, automatic repairs, notices and metrics; null when not running. */
  selfHeal: SelfHealRuntime | null;
  /** Bounds on requests and jobs per tenant (fairShare.ts); default DEFAULT_FAIR_SHARE. */
  fairShare?: FairShareLimits;
  /** Whether a cPanel user may start another job (fairShare.ts). */
  jobAdmission?: JobAdmission;
}

/** Per request, in `res.locals` (and so in every template). */
export interface RequestLocals {
  identity?: Identity;
  session?: Session;
  mount: Mount;
  url: Mount['url'];
  formGet: Mount['formGet'];
  /** The CSRF token for forms and fetch (TCP mode), else null. */
  csrf: string | null;
  demo: DemoInfo | null;
}

export function locals(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

export function identityOf(res: Response): Identity {
  const identity = locals(res).identity;
  if (!identity) throw new HttpError(401, 'Who are you? This page needs the identity of a cPanel user or the WHM admin.');
  return identity;
}

export function requireRole(res: Response, ...roles: Role[]): Identity {
  const identity = identityOf(res);
  if (!roles.includes(identity.role))
    throw new HttpError(
      403,
      roles.includes('admin') && roles.length === 1
        ? 'This page is for the server administrator (WHM).'
        : 'This page is not for your role.',
    );
  return identity;
}

/** `Accept: application/json` (and every `/api/*` route) answers JSON instead of a page. */
export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Render `view` with `data`, or send `json` (default `data`) to a JSON client. */
export function respond(req: Request, res: Response, view: string, data: Record<string, unknown>, json?: unknown): void {
  if (wantsJson(req)) {
    res.json(json ?? data);
    return;
  }
  res.render(view, data);
}

/** After a POST: a browser goes to the page of what it started (303), a JSON client gets the ids. */
export function redirectOrJson(req: Request, res: Response, route: string, json: unknown): void {
  if (wantsJson(req)) {
    res.status(202).json(json);
    return;
  }
  res.redirect(303, locals(res).url(route));
}

/** A positive integer from a path parameter, else 404 (an id that cannot exist is not found). */
export function idParam(value: unknown): number {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw new HttpError(404, 'There is no such item.');
  return Number(text);
}

/** A form or query field as one string (the first when repeated), bounded. */
export function field(source: unknown, name: string, max = 10_000): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : undefined;
}

/** Every value of a repeatable field (`domain=a&domain=b`, also `domain[]=…`). */
export function fields(source: unknown, name: string): string[] {
  const record = source as Record<string, unknown> | undefined;
  const out: string[] = [];
  for (const key of [name, `${name}[]`]) {
    const value = record?.[key];
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push(v);
  }
  return out;
}
