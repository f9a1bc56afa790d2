/**
 * Structured logs: one JSON object per line (journald and log shippers read them as they are).
 * One line per request with who asked, the route, the status and the time it took. Never the query
 * string, the body, cookies or headers: they carry CSRF tokens, session cookies and pasted bounces.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Identity } from './identity';

export type LogEntry = Record<string, unknown> & { level?: 'debug' | 'info' | 'warn' | 'error'; msg: string };
export type Logger = (entry: LogEntry) => void;

export function jsonLogger(stream: { write(text: string): unknown } = process.stderr, clock: () => Date = () => new Date()): Logger {
  return (entry) => {
    try {
      stream.write(`${JSON.stringify({ time: clock().toISOString(), level: 'info', ...entry })}\n`);
    } catch {
      // Logging must never take a request down (a closed pipe, a circular value).
    }
  };
}

export const silentLogger: Logger = () => undefined;

/** The route pattern (`/domains/:domain`) when express matched one, else the path; bounded. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  const base = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : req.path;
  return base.slice(0, 200);
}

export function requestLogger(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const identity = res.locals.identity as Identity | undefined;
      log({
        level: res.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        method: req.method,
        route: routeOf(req),
        path: req.path.slice(0, 300),
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        role: identity?.role ?? null,
        user: identity?.user ?? null,
      });
    });
    next();
  };
}
