/**
 * One simulated server (the demo seed), the built-in DNS answerer over its zones, a store in a temp
 * directory and the daemon — on a Unix socket (production mode) or on loopback TCP (demo mode) —
 * plus a raw HTTP helper that can speak over either.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig } from '../../../src/config';
import { createDaemon, type Daemon, type DaemonOptions, type LogEntry } from '../../../src/daemon';
import { DEMO_AUTH_ID, DEMO_NAMESERVERS, DEMO_ROOT_TOKEN, demoSeed } from '../../../src/daemon/demo';
import { createServices, type Services } from '../../../src/services';
import { startDnsAnswerer, type DnsAnswerer } from '../../../src/simulator/dnsAnswerer';
import { startSimulator, type Simulator } from '../../../src/simulator/server';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export interface Call {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A form (urlencoded) or a JSON body. */
  form?: Record<string, string | string[]>;
  json?: unknown;
}

export interface DaemonHarness {
  sim: Simulator;
  services: Services;
  daemon: Daemon;
  dir: string;
  logs: LogEntry[];
  /** Socket path or base URL. */
  address: string;
  call(call: Call): Promise<Answer>;
  zoneText(zone: string): Promise<string>;
  stop(): Promise<void>;
}

export function send(target: { socketPath?: string; baseUrl?: string }, c: Call): Promise<Answer> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  let body: string | undefined;
  if (c.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(c.form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    body = params.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (c.json !== undefined) {
    body = JSON.stringify(c.json);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const url = target.baseUrl ? new URL(c.path, target.baseUrl) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...(target.socketPath
          ? { socketPath: target.socketPath, path: c.path }
          : { host: url!.hostname, port: url!.port, path: `${url!.pathname}${url!.search}` }),
        method: c.method ?? (body !== undefined ? 'POST' : 'GET'),
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Identity headers as the bridges send them over the socket. */
export const as = (user: string, role: 'user' | 'admin' | 'hook' = 'user'): Record<string, string> => ({
  'X-Fix-Email-Auth-User': user,
  'X-Fix-Email-Auth-Role': role,
});

export async function startDaemonHarness(
  mode: 'socket' | 'tcp',
  options: Partial<DaemonOptions> = {},
  /** Runs after the services exist and before the daemon starts (stage a crash's leftovers). */
  prepare?: (services: Services, journalPath: string) => void | Promise<void>,
): Promise<DaemonHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'fea-daemon-'));
  const zonesDir = join(dir, 'named');
  const sim = await startSimulator({ zonesDir, templatesDir: join(dir, 'zonetemplates'), seed: demoSeed() });
  let dns: DnsAnswerer | undefined;
  let services: Services | undefined;
  try {
    dns = await startDnsAnswerer({ zonesDir });
    const endpoint = `127.0.0.1:${dns.port}`;
    mkdirSync(join(dir, 'state'), { mode: 0o700 });
    const config = parseConfig({
      provider: { authId: DEMO_AUTH_ID },
      dns: {
        port: dns.port,
        resolvers: [endpoint],
        nameserverAddresses: Object.fromEntries(DEMO_NAMESERVERS.map((ns) => [ns, [endpoint]])),
        timeoutMs: 1000,
        retries: 1,
      },
      backup: { policy: 'off' },
      cpanel: {
        transport: 'https',
        whmUrl: sim.whmUrl,
        cpanelUrl: sim.cpanelUrl,
        fingerprint: sim.fingerprint256,
        rateLimitPerSecond: 1000,
        timeoutMs: 5000,
      },
      paths: {
        journal: join(dir, 'state', 'journal.db'),
        socket: join(dir, 'run', 'daemon.sock'),
        eximMainlog: join(dir, 'exim_mainlog'),
        dkimPublicKeys: join(dir, 'keys'),
        zoneTemplates: join(dir, 'zonetemplates'),
        templateBackups: join(dir, 'state', 'zonetemplates'),
      },
    });
    services = createServices(config, { cpanel: { whmToken: DEMO_ROOT_TOKEN, sleep: async () => undefined } });
    await prepare?.(services, config.paths.journal);
    const logs: LogEntry[] = [];
    const daemon = createDaemon(services, {
      listen: mode === 'socket' ? { socket: config.paths.socket } : { host: '127.0.0.1', port: 0 },
      log: (entry) => logs.push(entry),
      shutdownDeadlineMs: 2000,
      ...options,
    });
    const { address } = await daemon.listen();
    const target = mode === 'socket' ? { socketPath: address } : { baseUrl: address };
    const svc = services;
    const answerer = dns;
    return {
      sim,
      services: svc,
      daemon,
      dir,
      logs,
      address,
      call: (c) => send(target, c),
      zoneText: async (zone) => (await sim.zoneText(zone)) ?? '',
      stop: async () => {
        await daemon.close();
        svc.close();
        await answerer.stop();
        await sim.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    services?.close();
    await dns?.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Poll a job (as `headers`) until it is over. */
export async function waitForJob(
  h: Pick<DaemonHarness, 'call'>,
  jobId: number,
  headers: Record<string, string>,
  timeoutMs = 20000,
): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await h.call({ path: `/api/jobs/${jobId}`, headers });
    if (answer.status !== 200) throw new Error(`job ${jobId}: HTTP ${answer.status} ${answer.body}`);
    if (answer.json.final) return answer.json;
    if (Date.now() > until) throw new Error(`job ${jobId} did not finish: ${answer.body}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
