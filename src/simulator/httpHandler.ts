/**
 * One HTTP request on either listener, in cpsrvd's order: read the parameters, authenticate, apply
 * any injected transport fault, route, answer. Every API-level outcome is HTTP 200 + JSON
 * (docs/reference/cpanel-api.md §4, §9.12); only authentication failures and unknown paths are non-JSON.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import type { AuthenticatedCaller, Side, TokenRegistry } from './auth';
import { whmCaller } from './directory';
import type { SimContext } from './context';
import { SimApiError, whmFailure, whmLegacy } from './envelopes';
import type { FaultRule, Faults } from './faults';
import { RequestParams } from './params';
import type { RequestLog, RequestLogEntry } from './requestLog';
import { runUapi } from './uapi';
import { runWhm } from './whm';
import { legacyCpanel } from './whm/uapiCpanel';

const MAX_BODY = 16 * 1024 * 1024;

export interface HandlerDeps {
  ctx: SimContext;
  tokens: TokenRegistry;
  faults: Faults;
  log: RequestLog;
  /** Requests held open by a `hang` fault, answered never; destroyed on stop. */
  hung: Set<ServerResponse>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `/cpsess0123456789/execute/…` → `/execute/…` (browser session URLs, §1). */
function stripSession(path: string): string {
  const match = /^\/cpsess\d{10}(\/.*)$/.exec(path);
  return match?.[1] ?? path;
}

/** A route: what the log calls it, and how to answer it once authenticated. */
interface Route {
  call: string;
  /** For calls that run another function (uapi_cpanel, cpanel): ` Module/function`, so faults can target it. */
  inner?: string;
  answer(caller: AuthenticatedCaller): Promise<unknown>;
}

function routeFor(side: Side, path: string, params: RequestParams, deps: HandlerDeps): Route | null {
  const { ctx } = deps;
  if (side === 'cpanel') {
    const match = /^\/execute\/([^/]+)\/([^/]+)$/.exec(path);
    if (!match) return null;
    const [, module, fn] = match as unknown as [string, string, string];
    return { call: `${module}/${fn}`, answer: ({ user }) => runUapi(ctx, user, module, fn, params) };
  }
  const match = /^\/json-api\/([^/]+)$/.exec(path);
  if (!match) return null;
  const fn = match[1] as string;
  const callerOf = (caller: AuthenticatedCaller) => whmCaller(caller.user, caller.acls);
  if (fn === 'cpanel') {
    // Legacy bridge: JSON only, its own wrapped shape (§2.1).
    const inner = `${params.get('cpanel_jsonapi_module') ?? ''}/${params.get('cpanel_jsonapi_func') ?? ''}`;
    return {
      call: `cpanel ${inner}`,
      inner,
      answer: async (caller) => {
        try {
          return await legacyCpanel({ ctx, caller: callerOf(caller), params });
        } catch (err) {
          if (err instanceof SimApiError) return whmFailure('cpanel', err, ctx.xid);
          throw err;
        }
      },
    };
  }
  const inner = fn === 'uapi_cpanel' ? `${params.get('cpanel.module') ?? ''}/${params.get('cpanel.function') ?? ''}` : undefined;
  return {
    call: inner === undefined ? fn : `uapi_cpanel ${inner}`,
    ...(inner === undefined ? {} : { inner }),
    answer: async (caller) => {
      const result = await runWhm(ctx, callerOf(caller), fn, params);
      // Without api.version=1 WHM may answer legacy API 0 (§2, §4.4).
      return params.get('api.version') === '1' ? result : whmLegacy(result);
    },
  };
}

function resultOf(body: unknown): 0 | 1 | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { status?: unknown; metadata?: { result?: unknown }; result?: unknown };
  const value =
    b.metadata?.result ?? b.status ?? (b.result && typeof b.result === 'object' ? (b.result as { status?: unknown }).status : undefined);
  return value === 0 || value === 1 ? value : undefined;
}

export function createRequestHandler(side: Side, deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let entry: RequestLogEntry | undefined;
    try {
      const url = new URL(req.url ?? '/', 'https://simulator.invalid');
      const path = side === 'cpanel' ? stripSession(url.pathname) : url.pathname;
      const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      const body = await readBody(req);
      const params = RequestParams.fromUrlEncoded(url.search.slice(1), req.method === 'POST' && isForm ? body : '');
      const route = routeFor(side, path, params, deps);
      const auth = deps.tokens.authenticate(side, req.headers.authorization, (user) => isUsable(deps.ctx, side, user));
      entry = deps.log.start({
        time: deps.ctx.clock().toISOString(),
        side,
        method: req.method ?? 'GET',
        path,
        call: route?.call ?? path,
        params: params.toRecord(),
        pairs: [...params.pairs],
        authUser: auth.ok ? auth.caller.user : null,
      });
      const label = `${entry.method} ${path}${route?.inner === undefined ? '' : ` ${route.inner}`}`;

      const latency = deps.faults.latencyFor(label);
      if (latency > 0) await sleep(latency);
      const zone = params.get('zone') ?? undefined;
      const fault = deps.faults.take(label, 'before', zone);
      if (fault && fault.kind !== 'auth') {
        loseAnswer(fault, req, res, entry, deps);
        return;
      }
      if (fault?.kind === 'auth' || !auth.ok) {
        entry.authUser = null;
        entry.status = 401;
        sendText(res, 401, '<html><head><title>Access denied</title></head><body>Access denied</body></html>');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'POST') {
        entry.status = 405;
        sendText(res, 405, 'Method not allowed');
        return;
      }
      if (!route) {
        // Wrong port or unknown path (shape unverified, §10.1).
        entry.status = 404;
        sendText(res, 404, `<html><body>Not found: ${escapeHtml(path)}</body></html>`);
        return;
      }
      const answer = await route.answer(auth.caller);
      entry.result = resultOf(answer);
      // The call is carried out (an edit is in the zone file); only its answer may still be lost.
      const lost = deps.faults.take(label, 'after', zone);
      if (lost) {
        entry.carriedOut = true;
        loseAnswer(lost, req, res, entry, deps);
        return;
      }
      entry.status = 200;
      sendJson(res, answer);
    } catch (err) {
      if (entry) entry.status = 500;
      if (!res.headersSent) sendText(res, 500, `Internal simulator error: ${escapeHtml(err instanceof Error ? err.message : String(err))}`);
      else res.destroy();
    }
  };
}

/** A `drop`, `hang` or `status` fault: the connection closes, the answer never comes, or it is an HTTP error page. */
function loseAnswer(fault: FaultRule, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, deps: HandlerDeps): void {
  if (fault.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  if (fault.kind === 'hang') {
    deps.hung.add(res);
    res.on('close', () => deps.hung.delete(res));
    return;
  }
  entry.status = fault.status ?? 500;
  sendText(res, entry.status, fault.body ?? '<html><body><h1>Internal Server Error</h1></body></html>');
}

/** cPanel tokens of suspended accounts stop working (§1); WHM tokens need root or a reseller. */
function isUsable(ctx: SimContext, side: Side, user: string): boolean {
  if (side === 'whm') return user === 'root' || ctx.directory.resellers.has(user);
  const account = ctx.directory.account(user);
  return account !== undefined && !account.suspended;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
