/**
 * The bridges against the real daemon: `bin/fix-email-auth serve --socket` (the command the systemd
 * unit runs, from the built dist/) over the cPanel/WHM simulator and its DNS answerer. The adminbin,
 * the hook script, the WHM CGI and the Jupiter page are driven exactly as cPanel drives them.
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadSeedFile } from '../../../src/simulator/seed';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { startDnsAnswerer, type DnsAnswerer } from '../../../src/simulator/dnsAnswerer';
import { ADMINBIN, bridgeEnv, HOOK, parseAdminbinAnswer, protocolInput, REPO, run, UIDS, writeIdentityFiles } from './support/run';

const ROOT_TOKEN = 'ROOTTOKEN0123456789ABCDEFGHIJKLMN';

let dir: string;
let socket: string;
let sim: Simulator;
let dns: DnsAnswerer;
let daemon: ChildProcess;
let daemonErr = '';
let identity: { passwd: string; usersDir: string };

function health(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/api/health', headers: { Host: 'x' } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
    req.end();
  });
}

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist/cli/main.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
  dir = mkdtempSync(join(tmpdir(), 'real-daemon-'));
  identity = writeIdentityFiles(dir);
  const zonesDir = join(dir, 'named');
  sim = await startSimulator({ zonesDir, seed: loadSeedFile(join(REPO, 'test/fixtures/seed/test.json')) });
  dns = await startDnsAnswerer({ zonesDir });
  const endpoint = `127.0.0.1:${dns.port}`;
  socket = join(dir, 'run', 'daemon.sock');
  writeFileSync(join(dir, 'whm-token'), `${ROOT_TOKEN}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'exim_mainlog'), '');
  mkdirSync(join(dir, 'domain_keys'));
  mkdirSync(join(dir, 'state'), { mode: 0o700 });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      provider: { authId: 'webhostingm' },
      dns: {
        port: dns.port,
        resolvers: [endpoint],
        nameserverAddresses: { 'ns1.example.net': [endpoint], 'ns2.example.net': [endpoint] },
        timeoutMs: 1000,
        retries: 0,
      },
      backup: { policy: 'off' },
      cpanel: {
        transport: 'https',
        whmUrl: sim.whmUrl,
        cpanelUrl: sim.cpanelUrl,
        fingerprint: sim.fingerprint256,
        tokenFile: join(dir, 'whm-token'),
        rateLimitPerSecond: 200,
      },
      paths: {
        journal: join(dir, 'state/journal.db'),
        socket,
        eximMainlog: join(dir, 'exim_mainlog'),
        dkimPublicKeys: join(dir, 'domain_keys'),
        namedDir: zonesDir,
      },
    }),
  );
  daemon = spawn(process.execPath, [join(REPO, 'bin/fix-email-auth'), 'serve', '--socket', socket], {
    env: { PATH: process.env.PATH, FIX_EMAIL_AUTH_CONFIG: join(dir, 'config.json') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  daemon.stderr?.on('data', (chunk: Buffer) => (daemonErr += chunk.toString()));
  for (let i = 0; i < 100 && !(await health(socket)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await health(socket))) throw new Error(`the daemon did not come up: ${daemonErr}`);
}, 30000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (daemon.exitCode === null) daemon.kill('SIGKILL');
  }
  await dns?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function adminbin(uid: number, action: string, payload: unknown) {
  const result = await run(ADMINBIN, [], {
    input: protocolInput(uid, action, payload),
    env: bridgeEnv(identity, socket),
    killAfterMs: 20000,
  });
  expect(result.killed).toBe(false);
  return parseAdminbinAnswer(result.stdout);
}

describe('adminbin → real daemon', () => {
  test('when alice opens her overview through the relay, then her domains come back with links through the page', async () => {
    const answer = await adminbin(UIDS.alice, 'RELAY', { method: 'GET', route: '/', mount: 'index.live.pl?route={route}' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(answer.body).toContain('example.com');
    expect(answer.body).toContain('index.live.pl?route=%2Fdomains%2Fexample.com');
    expect(answer.body).not.toContain('bob.example');
  }, 20000);

  test("when alice lists her domains through the API action, then the JSON names hers and not bob's", async () => {
    const answer = await adminbin(UIDS.alice, 'API', { method: 'GET', route: '/api/domains' });
    expect(answer.status).toBe(200);
    const text = JSON.stringify(answer.body);
    expect(text).toContain('example.com');
    expect(text).not.toContain('bob.example');
  }, 20000);

  test("when alice asks for bob's domain, then the daemon refuses with 403", async () => {
    const answer = await adminbin(UIDS.alice, 'API', { method: 'GET', route: '/api/domains/bob.example' });
    expect(answer.status).toBe(403);
  }, 20000);

  test("when bob opens alice's domain page, then the daemon refuses with 403", async () => {
    const answer = await adminbin(UIDS.bob, 'RELAY', { method: 'GET', route: '/domains/example.com' });
    expect(answer.status).toBe(403);
  }, 20000);

  test('when alice posts Fix through the relay, then she is sent to her job, which bob cannot see', async () => {
    const answer = await adminbin(UIDS.alice, 'RELAY', {
      method: 'POST',
      route: '/domains/example.com/fix',
      form: {},
      mount: 'index.live.pl?route={route}',
    });
    expect(answer.status).toBe(303);
    const job = /^index\.live\.pl\?route=%2Fjobs%2F(\d+)$/.exec(answer.location ?? '')?.[1];
    expect(job).toBeDefined();
    expect((await adminbin(UIDS.alice, 'API', { method: 'GET', route: `/api/jobs/${job}` })).status).toBe(200);
    expect((await adminbin(UIDS.bob, 'API', { method: 'GET', route: `/api/jobs/${job}` })).status).toBe(403);
    // One running change per account (src/daemon/fairShare.ts): the next tests start their own.
    for (let i = 0; i < 100 && !(await adminbin(UIDS.alice, 'API', { method: 'GET', route: `/api/jobs/${job}` })).body.final; i++)
      await new Promise((r) => setTimeout(r, 100));
  }, 30000);

  test('when alice cancels her job through the relay, then the daemon takes it; bob may not', async () => {
    const started = await adminbin(UIDS.alice, 'RELAY', {
      method: 'POST',
      route: '/domains/addon.tld/fix',
      form: {},
      mount: 'index.live.pl?route={route}',
    });
    const job = /route=%2Fjobs%2F(\d+)$/.exec(started.location ?? '')?.[1];
    expect(job).toBeDefined();
    const bobs = await adminbin(UIDS.bob, 'RELAY', { method: 'POST', route: `/jobs/${job}/cancel`, form: {} });
    expect(bobs.status).toBe(403);
    const answer = await adminbin(UIDS.alice, 'RELAY', {
      method: 'POST',
      route: `/jobs/${job}/cancel`,
      form: {},
      mount: 'index.live.pl?route={route}',
    });
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`index.live.pl?route=%2Fjobs%2F${job}`);
  }, 20000);

  test('when a user whose fix_email_auth feature is off calls the adminbin directly (not through the UAPI module), then the daemon refuses', async () => {
    sim.setFeatureEnabled('carol', 'fix_email_auth', false);
    const answer = await adminbin(UIDS.carol, 'RELAY', { method: 'GET', route: '/' });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('not enabled for your account');
    expect((await adminbin(UIDS.carol, 'API', { method: 'GET', route: '/api/domains' })).body.error.code).toBe('FEATURE_DISABLED');
    expect(sim.log.find('verify_user_has_feature').some((e) => e.params.user === 'carol' && e.params.feature === 'fix_email_auth')).toBe(
      true,
    );
  }, 20000);

  test("when cPanel fails on the server's side, then alice gets a plain message and a reference, and the log has the details under it", async () => {
    sim.injectFault({
      kind: 'status',
      status: 500,
      match: 'listaccts',
      times: 3,
      body: '<h1>cpsrvd: /usr/local/cpanel/internal failure</h1>',
    });
    const answer = await adminbin(UIDS.alice, 'API', { method: 'GET', route: '/api/domains/example.com' });
    expect(answer.status).toBe(502);
    const { message, reference } = answer.body.error;
    expect(message).toMatch(
      /^Something went wrong on the server\. Your hosting provider can look it up with the reference E-[0-9a-f]{8}\.$/,
    );
    expect(message).not.toMatch(/127\.0\.0\.1|json-api|listaccts|HTTP 500/);
    for (let i = 0; i < 50 && !daemonErr.includes(reference); i++) await new Promise((r) => setTimeout(r, 100));
    const line = daemonErr.split('\n').find((l) => l.includes(reference));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'error',
      reference,
      user: 'alice',
      error: {
        code: 'TRANSPORT',
        message: expect.stringContaining('HTTP 500'),
        upstream: { httpStatus: 500, body: expect.stringContaining('internal failure') },
      },
    });
  }, 20000);

  test('when alice asks for the admin overview, then the bridge refuses before the daemon', async () => {
    const answer = await adminbin(UIDS.alice, 'RELAY', { method: 'GET', route: '/admin' });
    expect(answer.error.code).toBe('FORBIDDEN_ROUTE');
  });
});

describe('hook script → real daemon', () => {
  test('when an account restore finishes, then the daemon accepts the re-check within a second', async () => {
    const input = JSON.stringify({ context: { category: 'PkgAcct', event: 'Restore', stage: 'post' }, data: { user: 'alice' } });
    const result = await run(HOOK, [], { input, env: { PATH: process.env.PATH, FIX_EMAIL_AUTH_SOCKET: socket }, killAfterMs: 1000 });
    expect(result.killed).toBe(false);
    expect(result.stdout).toBe('1 fix-email-auth: re-check queued for alice (PkgAcct::Restore)\n');
  });
});

describe('Perl bridges → real daemon', () => {
  let libDir: string;
  beforeAll(() => {
    libDir = join(dir, 'perl-lib');
    mkdirSync(join(libDir, 'Cpanel/API'), { recursive: true });
    symlinkSync(join(REPO, 'plugin/cpanel/FixEmailAuth.pm'), join(libDir, 'Cpanel/API/FixEmailAuth.pm'));
  });

  const perl = (script: string, env: NodeJS.ProcessEnv) =>
    run('perl', [join(REPO, script)], {
      env: {
        PATH: process.env.PATH,
        PERL5LIB: [join(REPO, 'test/perl/lib'), libDir].join(':'),
        REQUEST_METHOD: 'GET',
        FIX_EMAIL_AUTH_SOCKET: socket,
        ...env,
      },
      killAfterMs: 20000,
    });

  test("when root opens the WHM plugin, then the daemon's admin overview comes back", async () => {
    const result = await perl('plugin/whm/cgi/fix_email_auth/index.cgi', {
      STUB_WHM_ACLS: 'all',
      REMOTE_USER: 'root',
      QUERY_STRING: 'route=%2Fadmin',
    });
    expect(result.stdout).toMatch(/^Content-type: text\/html/);
    expect(result.stdout).not.toMatch(/^Status: /);
    expect(result.stdout).toContain('index.cgi?route=');
  }, 20000);

  test("when root opens the WHM plugin and downloads a CSV, then the daemon's protective headers reach the browser", async () => {
    const page = await perl('plugin/whm/cgi/fix_email_auth/index.cgi', {
      STUB_WHM_ACLS: 'all',
      REMOTE_USER: 'root',
      QUERY_STRING: 'route=%2Fadmin',
    });
    const head = page.stdout.slice(0, page.stdout.indexOf('\r\n\r\n'));
    expect(head).toContain("Content-Security-Policy: default-src 'none'; script-src 'self'");
    expect(head).toContain('X-Content-Type-Options: nosniff');
    expect(head).toContain('X-Frame-Options: SAMEORIGIN');
    expect(head).toContain('Cache-Control: no-store');
    const csv = await perl('plugin/whm/cgi/fix_email_auth/index.cgi', {
      STUB_WHM_ACLS: 'all',
      REMOTE_USER: 'root',
      QUERY_STRING: 'route=%2Fadmin%2Fdomains%3Fformat%3Dcsv',
    });
    expect(csv.stdout).toMatch(/^Content-type: text\/csv/);
    expect(csv.stdout).toMatch(/\r\nContent-Disposition: attachment; filename="?[\w.-]+\.csv"?\r\n/);
  }, 20000);

  test("when alice opens the Jupiter page or downloads her history, then the protective headers come along (in Jupiter's chrome only the framing rule of the policy)", async () => {
    const env = {
      ...bridgeEnv(identity, socket),
      STUB_FEATURES: 'fix_email_auth',
      STUB_CPWRAPD_ADMINBIN: ADMINBIN,
      STUB_CPWRAPD_UID: String(UIDS.alice),
    };
    const page = await perl('plugin/cpanel/index.live.pl', { ...env, QUERY_STRING: 'route=%2F' });
    const head = page.stdout.slice(0, page.stdout.indexOf('\r\n\r\n'));
    expect(head).toContain("Content-Security-Policy: frame-ancestors 'self'");
    expect(head).toContain('X-Content-Type-Options: nosniff');
    expect(head).toContain('X-Frame-Options: SAMEORIGIN');
    expect(head).toContain('Cache-Control: no-store');
    const csv = await perl('plugin/cpanel/index.live.pl', { ...env, QUERY_STRING: 'route=%2Fhistory%3Fformat%3Dcsv' });
    const csvHead = csv.stdout.slice(0, csv.stdout.indexOf('\r\n\r\n'));
    expect(csvHead).toMatch(/^Content-type: text\/csv/);
    expect(csvHead).toMatch(/Content-Disposition: attachment; filename="?[\w.-]+\.csv"?/);
    expect(csvHead).toContain("Content-Security-Policy: default-src 'none'");
    expect(csvHead).toContain('X-Content-Type-Options: nosniff');
  }, 20000);

  test('when alice opens the Jupiter page, then her domains appear inside the chrome', async () => {
    const result = await perl('plugin/cpanel/index.live.pl', {
      ...bridgeEnv(identity, socket),
      STUB_FEATURES: 'fix_email_auth',
      STUB_CPWRAPD_ADMINBIN: ADMINBIN,
      STUB_CPWRAPD_UID: String(UIDS.alice),
      QUERY_STRING: 'route=%2F',
    });
    expect(result.stdout).toContain('<!-- jupiter header: Fix Email Authorization -->');
    expect(result.stdout).toContain('example.com');
    expect(result.stdout).toContain('index.live.pl?route=%2Fdomains%2Fexample.com');
    expect(result.stdout).not.toMatch(/<html/i);
  }, 20000);
});
