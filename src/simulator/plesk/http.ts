/**
 * One HTTPS request to the Plesk simulator (port 8443 on a real server): read the body, name the
 * call, apply an injected transport fault (src/simulator/faults.ts: status, hang, drop, auth,
 * latency), authenticate, run the XML API (`POST /enterprise/control/agent.php`, `text/xml`) or
 * REST (`/api/v2/…`), then write and reload the zones the call changed, and answer.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { parseXml, type XmlElement } from '../../adapters/plesk/xml/nodes';
import type { Faults } from '../faults';
import { restCaller, xmlCaller, type SecretKeys } from './auth';
import { ERR } from './records';
import { runRest } from './rest';
import type { PleskState } from './state';
import { runOperator } from './xml/accounts';
import type { DnsHooks } from './xml/context';
import { runDns } from './xml/dns';
import { packet, systemError } from './xml/reply';

export const AGENT_PATH = '/enterprise/control/agent.php';
const MAX_BODY = 4 * 1024 * 1024;

export interface PleskRequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** XML: the operations in order (`dns/get_rec`, `dns/del_rec`); REST: `GET /api/v2/domains`. */
  ops: string[];
  /** The request body as sent (the XML packet, or REST JSON). */
  body: string;
  /** Login of the authenticated caller; null when refused. */
  login: string | null;
  /** HTTP status; 0 when hung or dropped. */
  status: number;
}

export interface PleskHttpDeps {
  state: PleskState;
  keys: SecretKeys;
  faults: Faults;
  hooks: DnsHooks;
  log: PleskRequestLogEntry[];
  hung: Set<ServerResponse>;
  /** Write and reload these zones (after every change, before the answer). */
  flush(zoneIds: Set<number>): Promise<void>;
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
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function opsOf(root: XmlElement | null): string[] {
  if (!root) return [];
  return root.children.flatMap((operator) => operator.children.map((op) => `${operator.name}/${op.name}`));
}

export function createPleskHandler(deps: PleskHttpDeps) {
  let seq = 0;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://plesk.invalid');
    const entry: PleskRequestLogEntry = { seq: ++seq, method, path: url.pathname, ops: [], body: '', login: null, status: 0 };
    deps.log.push(entry);
    try {
      entry.body = await readBody(req);
      const isXml = url.pathname === AGENT_PATH;
      let root: XmlElement | null = null;
      if (isXml) {
        try {
          root = parseXml(entry.body);
        } catch {
          root = null;
        }
      }
      entry.ops = isXml ? opsOf(root) : [`${method} ${url.pathname}`];
      const label = `${method} ${url.pathname}${entry.ops.length && isXml ? ` ${entry.ops.join(' ')}` : ''}`;
      const latency = deps.faults.latencyFor(label);
      if (latency > 0) await sleep(latency);
      const fault = deps.faults.take(label);
      if (fault?.kind === 'drop') return void req.socket.destroy();
      if (fault?.kind === 'hang') {
        deps.hung.add(res);
        res.on('close', () => deps.hung.delete(res));
        return;
      }
      if (fault?.kind === 'status') {
        entry.status = fault.status ?? 500;
        return send(res, entry.status, 'text/html', fault.body ?? '<html><body><h1>500 Internal Server Error</h1></body></html>');
      }
      const remoteIp = req.socket.remoteAddress ?? '';
      const changed = new Set<number>();
      if (isXml) {
        const caller = fault?.kind === 'auth' ? undefined : xmlCaller(deps.state, deps.keys, req.headers, remoteIp);
        entry.status = 200;
        if (!caller) return send(res, 200, 'text/xml', systemError(ERR.auth()));
        entry.login = caller.login;
        if (!root || root.name !== 'packet')
          return send(res, 200, 'text/xml', systemError(ERR.request('the request is not an XML API packet')));
        const call = { state: deps.state, caller, changed, hooks: deps.hooks };
        const answer = packet(root.children.map((operator) => runOperator(call, operator, runDns)));
        await deps.flush(changed);
        return send(res, 200, 'text/xml', answer);
      }
      if (!url.pathname.startsWith('/api/v2/')) {
        entry.status = 404;
        return send(res, 404, 'text/html', '<html><body>Not Found</body></html>');
      }
      const caller = fault?.kind === 'auth' ? undefined : restCaller(deps.state, deps.keys, req.headers, remoteIp);
      if (!caller) {
        entry.status = 401;
        return send(res, 401, 'application/json', JSON.stringify({ code: 1001, message: 'Authentication failed' }));
      }
      entry.login = caller.login;
      const answer = runRest(deps.state, method, url, entry.body, changed, deps.hooks);
      await deps.flush(changed);
      entry.status = answer.status;
      return send(res, answer.status, 'application/json', JSON.stringify(answer.body));
    } catch (err) {
      entry.status = 500;
      if (!res.headersSent) send(res, 500, 'text/plain', `Internal simulator error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    }
  };
}
