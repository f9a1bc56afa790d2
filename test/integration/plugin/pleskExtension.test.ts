/**
 * The Plesk extension: the zip `npm run package:plesk` builds, its PHP (`php -l`, and the relay run
 * with stand-ins of Plesk's SDK through the real root helper to a stub daemon), and the helper's own
 * checks. The point under test: who the daemon is told is asking comes from Plesk's session, never
 * from the request.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { unzipSync } from 'fflate';
import { parseXml, childText } from '../../../src/adapters/plesk/xml/nodes';
import { REPO, run } from './support/run';
import { startStubDaemon, type StubDaemon } from './support/stubDaemon';
import { hasExecutable, itIf } from '../../support/requires';

const EXTENSION = join(REPO, 'plugin/plesk');
const HELPER = join(EXTENSION, 'sbin/fix-email-auth-relay');
const { build } = require('../../../scripts/package-plesk.js') as {
  build: (o: { node: string | null; out: string }) => { files: string[] };
};
const MOUNT = '/modules/fix-email-auth/index.php/index/relay?route={route}';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [relative(EXTENSION, full)];
  });
}

const itWithPhp = itIf(hasExecutable('php'), 'php-cli (apt-get install php-cli)');

describe('the Plesk extension zip', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-zip-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('when packaged, then every file of plugin/plesk is at the zip root, meta.xml has the package version, the helper runs with the given Node, and the same input gives the same bytes', () => {
    const out = join(dir, 'ext.zip');
    build({ node: '/opt/node20/bin/node', out });
    const zip = unzipSync(new Uint8Array(readFileSync(out)));
    expect(Object.keys(zip).sort()).toEqual(files(EXTENSION).sort());
    const meta = parseXml(Buffer.from(zip['meta.xml'] as Uint8Array).toString('utf8'));
    expect([childText(meta, 'id'), childText(meta, 'version')]).toEqual([
      'fix-email-auth',
      JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
    ]);
    expect(
      Buffer.from(zip['sbin/fix-email-auth-relay'] as Uint8Array)
        .toString('utf8')
        .split('\n')[0],
    ).toBe('#!/opt/node20/bin/node');
    const again = join(dir, 'again.zip');
    build({ node: '/opt/node20/bin/node', out: again });
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });
});

describe('the extension relaying through the root helper', () => {
  let dir: string;
  let daemon: StubDaemon;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-php-'));
    daemon = await startStubDaemon(dir);
  });
  afterAll(async () => {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    daemon.requests.length = 0;
  });

  const env = () => ({
    PATH: process.env.PATH,
    FIX_EMAIL_AUTH_SOCKET: daemon.socket,
    FIX_EMAIL_AUTH_CONFIG: '/nonexistent',
    FEA_NODE: process.execPath,
    FEA_RELAY_HELPER: HELPER,
    FEA_SBIN_LOG: join(dir, 'sbin.log'),
  });
  const helper = (args: string[]) => run(process.execPath, [HELPER, ...args], { env: env(), killAfterMs: 15000 });
  const args = (extra: Record<string, string>) =>
    Object.entries({
      role: 'user',
      'plesk-role': 'customer',
      login: 'alice',
      'client-id': '7',
      method: 'GET',
      route: '/',
      mount: MOUNT,
      ...extra,
    }).flatMap(([k, v]) => [`--${k}`, v]);

  itWithPhp('when every PHP file is checked, then it parses (php -l)', async () => {
    for (const file of files(EXTENSION).filter((f) => f.endsWith('.php'))) {
      const result = await run('php', ['-l', join(EXTENSION, file)]);
      expect([file, result.code]).toEqual([file, 0]);
    }
  });

  itWithPhp(
    "when a customer's page posts a form naming another user and role, then the daemon still hears the session's login and role",
    async () => {
      const input = JSON.stringify({
        client: { login: 'alice', id: 7, admin: false, reseller: false, domains: [3] },
        method: 'POST',
        route: '/domains/example.com/fix',
        form: { user: 'bob', role: 'admin', 'X-Fix-Email-Auth-User': 'bob', confirm: '1' },
      });
      const result = await run('php', [join(REPO, 'test/php/plesk/relay.php')], { input, env: env(), killAfterMs: 20000 });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: expect.any(Number) });
      const [request] = daemon.requests;
      expect(request?.headers['x-fix-email-auth-user']).toBe('alice');
      expect(request?.headers['x-fix-email-auth-role']).toBe('user');
      expect(request?.headers['x-fix-email-auth-panel']).toBe('plesk');
      expect(request?.headers['x-fix-email-auth-mount']).toBe(MOUNT);
      expect(request?.body).toContain('user=bob');
      expect(readFileSync(join(dir, 'sbin.log'), 'utf8')).toContain('"fix-email-auth-relay"');
    },
  );

  test('when a customer asks for an admin or hook route, then the helper refuses before the daemon hears of it', async () => {
    for (const route of ['/admin', '/admin/scan', '/api/hooks/recheck']) {
      const answer = JSON.parse((await helper(args({ route }))).stdout);
      expect([route, answer.status, answer.error?.code]).toEqual([route, 403, 'FORBIDDEN_ROUTE']);
    }
    const admin = JSON.parse((await helper(args({ role: 'admin', 'plesk-role': 'admin', route: '/api/hooks/recheck' }))).stdout);
    expect(admin.error?.code).toBe('FORBIDDEN_ROUTE');
    expect(daemon.requests).toEqual([]);
  });

  test('when identity arguments are malformed or contradict each other, or the mount is foreign, then nothing is relayed', async () => {
    const cases: Array<Record<string, string>> = [
      { login: 'alice\r\nX-Fix-Email-Auth-Role: admin' },
      { role: 'admin' },
      { 'client-id': '0' },
      { mount: 'https://evil.example/?route={route}' },
      { route: '/domains/%2e%2e/fix' },
    ];
    for (const extra of cases) {
      const answer = JSON.parse((await helper(args(extra))).stdout);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    expect(daemon.requests).toEqual([]);
  });

  test('when an administrator relays, then the daemon hears role admin', async () => {
    const answer = JSON.parse((await helper(args({ role: 'admin', 'plesk-role': 'admin', login: 'admin', route: '/admin' }))).stdout);
    expect(answer.status).toBe(200);
    expect(daemon.requests[0]?.headers['x-fix-email-auth-role']).toBe('admin');
  });
});
