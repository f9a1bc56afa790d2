/**
 * A stand-in for `fix-email-auth serve` on a Unix socket, answering the way docs/daemon-protocol.md
 * says the daemon does (identity headers, roles, ownership, mount templates), and recording every
 * request. The bridges are tested against it until, and besides, the real daemon.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { join } from 'path';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StubDaemon {
  socket: string;
  requests: RecordedRequest[];
  /** Delay every answer (to test the bridges' timeouts). */
  delayMs: number;
  stop(): Promise<void>;
}

/** Which account owns which domains, like the daemon's ownership check. */
export const OWNED: Record<string, string[]> = {
  alice: ['example.com', 'addon.tld'],
  bob: ['bob.example'],
};

const ROLES = new Set(['user', 'admin', 'hook']);

function mounted(req: IncomingMessage, route: string): string {
  const mount = req.headers['x-fix-email-auth-mount'];
  return typeof mount === 'string' ? mount.replace('{route}', encodeURIComponent(route)) : route;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const user = req.headers['x-fix-email-auth-user'];
  const role = req.headers['x-fix-email-auth-role'];
  if (typeof user !== 'string' || typeof role !== 'string' || !ROLES.has(role))
    return json(res, 401, { error: { code: 'NO_IDENTITY', message: 'No identity' } });
  const url = new URL(req.url ?? '/', 'http://daemon');
  const path = url.pathname;
  const wantsJson = path.startsWith('/api/') || String(req.headers.accept ?? '').includes('application/json');
  if (path.startsWith('/admin') && role !== 'admin') return json(res, 403, { error: { code: 'FORBIDDEN', message: 'Admins only' } });
  if (path.startsWith('/api/hooks') && role !== 'hook' && role !== 'admin')
    return json(res, 403, { error: { code: 'FORBIDDEN', message: 'Hooks only' } });

  if (path === '/api/hooks/recheck' && req.method === 'POST') return json(res, 202, { queued: true, request: JSON.parse(body || '{}') });
  if (path === '/admin')
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html><head><title>Admin</title></head><body><h1>Server overview for ${user}</h1><a href="${mounted(req, '/admin/domains?status=error')}">errors</a></body></html>`,
    );
  if (path === '/admin/domains' && url.searchParams.get('format') === 'csv') {
    return send(res, 200, 'text/csv; charset=utf-8', 'domain,status\nexample.com,error\n', {
      'Content-Disposition': 'attachment; filename="domains.csv"',
    });
  }
  if (path === '/admin/scan' && req.method === 'POST')
    return send(res, 303, 'text/plain', 'See other', { Location: mounted(req, '/jobs/9') });
  if (path === '/static/app.css') return send(res, 200, 'text/css; charset=utf-8', 'body { color: #123; }');
  if (path === '/static/logo.png') return send(res, 200, 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

  const owned = OWNED[user] ?? [];
  const domainMatch = /^\/(?:api\/)?domains\/([^/]+)(\/fix)?$/.exec(path);
  if (domainMatch) {
    const domain = decodeURIComponent(domainMatch[1] ?? '');
    if (role === 'user' && !owned.includes(domain)) {
      return wantsJson
        ? json(res, 403, { error: { code: 'NOT_YOUR_DOMAIN', message: `${domain} does not belong to ${user}` } })
        : send(res, 403, 'text/html; charset=utf-8', `<p>${domain} does not belong to your account.</p>`);
    }
    if (domainMatch[2] && req.method === 'POST') {
      return wantsJson
        ? json(res, 202, { jobId: '7', form: body })
        : send(res, 303, 'text/plain', 'See other', { Location: mounted(req, '/jobs/7') });
    }
    return wantsJson
      ? json(res, 200, { domain, status: 'error', user })
      : send(
          res,
          200,
          'text/html; charset=utf-8',
          `<h1>${domain}</h1><form method="post" action="${mounted(req, `/domains/${domain}/fix`)}"></form>`,
        );
  }
  if (path === '/api/domains') return json(res, 200, { user, domains: owned.map((domain) => ({ domain, status: 'error' })) });
  if (path === '/api/jobs/7') return json(res, 200, { id: '7', state: 'done', error: null });
  if (path === '/api/history') return json(res, 200, { user, changes: [] });
  if (path === '/api/changes/3/rollback' && req.method === 'POST') return json(res, 202, { jobId: '8' });
  if (path === '/') {
    const rows = owned.map((domain) => `<li><a href="${mounted(req, `/domains/${domain}`)}">${domain}</a></li>`).join('');
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html><head><title>t</title><link rel="stylesheet" href="${mounted(req, '/static/app.css')}"></head><body><h1>Domains of ${user}</h1><ul>${rows}</ul>${url.search ? `<p>query ${url.search}</p>` : ''}</body></html>`,
    );
  }
  return wantsJson
    ? json(res, 404, { error: { code: 'NOT_FOUND', message: `No route ${path}` } })
    : send(res, 404, 'text/html; charset=utf-8', '<p>Not found</p>');
}

export async function startStubDaemon(dir: string): Promise<StubDaemon> {
  const socket = join(dir, 'daemon.sock');
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stub: StubDaemon = { socket, requests, delayMs: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const go = () => answer(req, res, body);
      if (stub.delayMs <= 0) return go();
      const timer = setTimeout(() => {
        timers.delete(timer);
        go();
      }, stub.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  stub.stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
