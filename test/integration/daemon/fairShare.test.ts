/**
 * Fair share between tenants (src/daemon/fairShare.ts, adapters/cpanel/rateLimit.ts), on the daemon's
 * Unix socket over the simulator: the domain map cached between pages and refreshed by writes and
 * hooks, requests and jobs bounded per user and all together with a clear 429, and the cPanel calls of
 * a request whose client gave up dropped instead of made. Two daemons share one simulated server: one
 * with a fast WHM budget, one with a slow one (2 calls a second) where queues are long enough to see.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig } from '../../../src/config';
import { createDaemon, type Daemon } from '../../../src/daemon';
import type { FairShareLimits } from '../../../src/daemon/fairShare';
import { DEMO_AUTH_ID, DEMO_NAMESERVERS, DEMO_ROOT_TOKEN, demoSeed } from '../../../src/daemon/demo';
import { createServices, type Services } from '../../../src/services';
import { startDnsAnswerer, type DnsAnswerer } from '../../../src/simulator/dnsAnswerer';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { as, send, type Answer, type Call } from './harness';

jest.setTimeout(60000);

interface Node {
  services: Services;
  daemon: Daemon;
  socket: string;
  call(c: Call): Promise<Answer>;
}

let dir: string;
let sim: Simulator;
let dns: DnsAnswerer;
const nodes: Node[] = [];

async function startNode(name: string, rateLimitPerSecond: number, fairShare: Partial<FairShareLimits>): Promise<Node> {
  const endpoint = `127.0.0.1:${dns.port}`;
  const base = join(dir, name);
  mkdirSync(join(base, 'state'), { recursive: true, mode: 0o700 });
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
      rateLimitPerSecond,
      timeoutMs: 5000,
    },
    paths: {
      journal: join(base, 'state', 'journal.db'),
      socket: join(base, 'run', 'daemon.sock'),
      eximMainlog: join(base, 'exim_mainlog'),
      dkimPublicKeys: join(base, 'keys'),
    },
  });
  // Real sleeping: the rate limit is what these tests are about.
  const services = createServices(config, { cpanel: { whmToken: DEMO_ROOT_TOKEN } });
  const daemon = createDaemon(services, {
    listen: { socket: config.paths.socket },
    log: () => undefined,
    shutdownDeadlineMs: 2000,
    fairShare,
  });
  await daemon.listen();
  const node = { services, daemon, socket: config.paths.socket, call: (c: Call) => send({ socketPath: config.paths.socket }, c) };
  nodes.push(node);
  return node;
}

/** A request whose client hangs up after `ms`, like the adminbin giving up; resolves when it is gone. */
function hangUpAfter(socket: string, path: string, headers: Record<string, string>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path, headers });
    req.on('error', () => resolve());
    req.on('response', (res) => res.resume());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const whmCalls = (fn: string) => sim.log.find(fn).length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fea-fair-'));
  sim = await startSimulator({ zonesDir: join(dir, 'named'), seed: demoSeed() });
  dns = await startDnsAnswerer({ zonesDir: join(dir, 'named') });
});

afterAll(async () => {
  for (const node of nodes) {
    await node.daemon.close();
    node.services.close();
  }
  await dns?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('with a fast WHM budget', () => {
  let fast: Node;
  beforeAll(async () => {
    fast = await startNode('fast', 1000, { perUserJobs: 1 });
  });
  beforeEach(() => {
    sim.log.clear();
    sim.faults.clear();
  });

  test('when a user opens pages one after the other, then the domain map is fetched once; a hook and a write make the next page fetch it again', async () => {
    for (let i = 0; i < 3; i++) expect((await fast.call({ path: '/api/domains', headers: as('alice') })).status).toBe(200);
    expect(whmCalls('get_domain_info')).toBe(1);
    expect((await fast.call({ path: '/api/domains', headers: as('bob') })).status).toBe(200);
    expect(whmCalls('get_domain_info')).toBe(1);

    const hook = await fast.call({
      method: 'POST',
      path: '/api/hooks/recheck',
      headers: as('cpanel-hook', 'hook'),
      json: { user: 'bob', event: 'create' },
    });
    expect(hook.status).toBe(202);
    const afterHook = whmCalls('get_domain_info');
    await fast.call({ path: '/api/domains', headers: as('alice') });
    expect(whmCalls('get_domain_info')).toBe(afterHook + 1);

    // A change decides who owns what on a fresh map, and its write forgets the cached one.
    const fix = await fast.call({ method: 'POST', path: '/api/domains/migrated.example/fix', headers: as('alice') });
    expect(fix.status).toBe(202);
    await fast.daemon.runner.settled(fix.json.jobId);
    const afterFix = whmCalls('get_domain_info');
    expect(afterFix).toBeGreaterThan(afterHook + 1);
    await fast.call({ path: '/api/domains', headers: as('alice') });
    expect(whmCalls('get_domain_info')).toBe(afterFix + 1);
  });

  test('when a user starts a second change while the first runs, then 429 and no job; another user may start one', async () => {
    sim.setLatency(1500, 'mass_edit_dns_zone');
    try {
      const first = await fast.call({ method: 'POST', path: '/api/domains/blockall.example/fix', headers: as('alice') });
      expect(first.status).toBe(202);
      const jobsBefore = fast.services.store.listJobs({ limit: 1000 }).length;
      const second = await fast.call({ method: 'POST', path: '/api/domains/alias.example/fix', headers: as('alice') });
      expect(second.status).toBe(429);
      expect(second.json.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('already have 1 change') });
      expect(fast.services.store.listJobs({ limit: 1000 })).toHaveLength(jobsBefore);
      const bobs = await fast.call({ method: 'POST', path: '/api/domains/cfid.example/fix', headers: as('bob') });
      expect(bobs.status).toBe(202);
      await Promise.all([fast.daemon.runner.settled(first.json.jobId), fast.daemon.runner.settled(bobs.json.jobId)]);
      expect((await fast.call({ method: 'POST', path: '/api/domains/alias.example/fix', headers: as('alice') })).status).toBe(202);
    } finally {
      sim.setLatency(0, 'mass_edit_dns_zone');
    }
  });

  test('when cPanel fails, then the admin sees the details with the reference and a user only the reference', async () => {
    fast.services.cpanel.invalidateDomainMap();
    sim.injectFault({ kind: 'status', status: 500, match: 'listaccts', times: Infinity });
    const user = await fast.call({ path: '/api/domains/good.example', headers: as('erin') });
    const admin = await fast.call({ path: '/api/domains/good.example', headers: as('root', 'admin') });
    sim.faults.clear();
    for (const answer of [user, admin]) expect(answer.status).toBe(502);
    expect(user.json.error.message).toMatch(/^Something went wrong on the server\. .*reference E-[0-9a-f]{8}\.$/);
    expect(user.json.error.message).not.toContain('HTTP 500');
    expect(admin.json.error.message).toMatch(/listaccts: .* answered HTTP 500 \(reference E-[0-9a-f]{8}\)$/);
    expect(admin.json.error.reference).not.toBe(user.json.error.reference);
  });
});

describe('with a slow WHM budget (2 calls a second)', () => {
  let slow: Node;
  beforeAll(async () => {
    slow = await startNode('slow', 2, { perIdentityRequests: 2, userRequests: 3 });
  });
  beforeEach(() => {
    sim.log.clear();
    sim.faults.clear();
  });

  test('when a user has more requests in flight than allowed, then the extra ones get 429 (held a second); so do other users, at once, when all users together are at the bound; not the admin', async () => {
    const hangUps = [
      hangUpAfter(slow.socket, '/api/domains', as('alice'), 3000),
      hangUpAfter(slow.socket, '/api/domains', as('alice'), 3000),
    ];
    await sleep(200);
    const extra = await slow.call({ path: '/api/domains', headers: as('alice') });
    expect(extra.status).toBe(429);
    expect(extra.headers['retry-after']).toBe('2');
    expect(extra.json.error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringContaining('You have 2 requests still being answered'),
    });

    hangUps.push(hangUpAfter(slow.socket, '/api/domains', as('bob'), 3000));
    await sleep(200);
    const carol = await slow.call({ path: '/api/domains', headers: as('carol') });
    expect(carol.status).toBe(429);
    expect(carol.json.error.message).toContain('many requests of other accounts');
    expect((await slow.call({ path: '/admin/config', headers: as('root', 'admin') })).status).toBe(200);
    await Promise.all(hangUps);
  });

  test('when the client hangs up (the adminbin gave up), then the cPanel calls its request still had queued are never made', async () => {
    await sleep(2500); // the previous test's abandoned requests are gone
    await slow.call({ path: '/api/domains', headers: as('erin') }); // the domain map is cached now
    sim.log.clear();
    // alice's page: DNS authority and her three zones, 4 calls, one a second (half of 2/s).
    await hangUpAfter(slow.socket, '/api/domains', as('alice'), 1200);
    const atHangUp = sim.log.all().length;
    await sleep(4000);
    const later = sim.log.all().length;
    expect(atHangUp).toBeGreaterThanOrEqual(1);
    // At most one call already let through may still arrive; the rest of the page's calls never come.
    expect(later - atHangUp).toBeLessThanOrEqual(1);
    expect(later).toBeLessThan(4);

    // The same page, waited for, makes them all.
    sim.log.clear();
    expect((await slow.call({ path: '/api/domains', headers: as('alice') })).status).toBe(200);
    expect(sim.log.all().length).toBe(4);
  });
});
