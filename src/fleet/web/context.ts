/** What every fleet route gets, and the few helpers they share (locals, HTML or JSON, form fields). */
import type { Request, Response } from 'express';
import type { FleetConfig } from '../config';
import type { FleetJobs, FleetLog } from '../jobs';
import type { AdminSession, Pool } from '../store';

export interface FleetContext {
  pool: Pool;
  config: FleetConfig;
  jobs: FleetJobs;
  log: FleetLog;
  version: string;
}

export interface FleetLocals {
  admin?: AdminSession;
  /** The session's CSRF token (forms carry it as `_csrf`), or the sign-in form's. */
  csrf: string | null;
  /** The signed-in admin's session id (to sign out). */
  sid?: string;
  staleAfterSeconds: number;
}

export function locals(res: Response): FleetLocals {
  return res.locals as FleetLocals;
}

export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  if (req.query.format === 'json') return true;
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A form or query field as one trimmed string (the first when repeated), bounded; empty = absent. */
export function field(source: unknown, name: string, max = 300): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return undefined;
  const text = first.trim().slice(0, max);
  return text === '' ? undefined : text;
}

export function fields(source: unknown, name: string, max = 100_000): string[] {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string').slice(0, max);
}

/** A positive integer id, or undefined. */
export function idOf(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value : '';
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}
