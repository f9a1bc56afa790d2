/**
 * The adminbin driven with cPanel's real stdin protocol (docs/reference/cpanel-plugins.md §6.2) against a stub
 * daemon on a Unix socket: who reaches the daemon, with which headers, and what is refused.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ADMINBIN, bridgeEnv, parseAdminbinAnswer, protocolInput, run, UIDS, writeIdentityFiles } from './support/run';
import { startStubDaemon, type StubDaemon } from './support/stubDaemon';

let dir: string;
let daemon: StubDaemon;
let identity: { passwd: string; usersDir: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adminbin-'));
  identity = writeIdentityFiles(dir);
  daemon = await startStubDaemon(dir);
});

afterAll(async () => {
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  daemon.requests.length = 0;
  daemon.delayMs = 0;
});

async function adminbin(input: string, options: { args?: string[]; env?: NodeJS.ProcessEnv; socket?: string } = {}) {
  const result = await run(ADMINBIN, options.args ?? [], {
    input,
    env: bridgeEnv(identity, options.socket ?? daemon.socket, options.env),
    killAfterMs: 5000,
  });
  expect(result.killed).toBe(false);
  expect(result.code).toBe(0);
  return parseAdminbinAnswer(result.stdout);
}

describe('RELAY', () => {
  test('when alice asks for her overview, then the daemon sees alice with the user role and the mount, and the HTML comes back', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { method: 'GET', route: '/', mount: 'index.live.pl?route={route}' }));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(answer.body).toContain('Domains of alice');
    expect(answer.body).toContain('href="index.live.pl?route=%2Fdomains%2Fexample.com"');
    expect(daemon.requests).toHaveLength(1);
    const [request] = daemon.requests;
    expect(request?.headers['x-fix-email-auth-user']).toBe('alice');
    expect(request?.headers['x-fix-email-auth-role']).toBe('user');
    expect(request?.headers['x-fix-email-auth-mount']).toBe('index.live.pl?route={route}');
  });

  test('when the UID is on argv and the action on the first line (Script::Full style), then the same user reaches the daemon', async () => {
    const answer = await adminbin(`RELAY\n.\n${JSON.stringify({ route: '/' })}`, { args: [String(UIDS.bob)] });
    expect(answer.status).toBe(200);
    expect(daemon.requests[0]?.headers['x-fix-email-auth-user']).toBe('bob');
  });

  test("when alice asks for bob's domain, then the daemon refuses it and the refusal comes back unchanged", async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { method: 'GET', route: '/domains/bob.example' }));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('does not belong to your account');
    expect(daemon.requests[0]?.headers['x-fix-email-auth-user']).toBe('alice');
  });

  test('when a payload names another user, then the identity still comes from the UID only', async () => {
    await adminbin(
      protocolInput(UIDS.alice, 'RELAY', { route: '/', user: 'bob', headers: { 'X-Fix-Email-Auth-User': 'bob' }, form: { user: 'bob' } }),
    );
    expect(daemon.requests[0]?.headers['x-fix-email-auth-user']).toBe('alice');
    expect(daemon.requests[0]?.headers['x-fix-email-auth-role']).toBe('user');
  });

  test('when a form is posted, then it reaches the daemon urlencoded and the redirect comes back as a location', async () => {
    const answer = await adminbin(
      protocolInput(UIDS.alice, 'RELAY', {
        method: 'POST',
        route: '/domains/example.com/fix',
        form: { confirm: '1', 'domain[]': ['a', 'b'] },
        mount: 'index.live.pl?route={route}',
      }),
    );
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('index.live.pl?route=%2Fjobs%2F7');
    const [request] = daemon.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('confirm=1&domain%5B%5D=a&domain%5B%5D=b');
  });

  test("when a GET carries form fields, then they are added to the route's query", async () => {
    await adminbin(protocolInput(UIDS.alice, 'RELAY', { method: 'GET', route: '/?sort=name', form: { status: 'error' } }));
    expect(daemon.requests[0]?.url).toBe('/?sort=name&status=error');
  });

  test('when the page asks for JSON, then the daemon gets Accept: application/json', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: '/domains/example.com', accept: 'json' }));
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ domain: 'example.com', status: 'error', user: 'alice' });
    expect(daemon.requests[0]?.headers.accept).toBe('application/json');
  });

  test('when a static file is not text, then it comes back base64-encoded', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: '/static/logo.png' }));
    expect(answer.bodyEncoding).toBe('base64');
    expect(Buffer.from(answer.body, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  test.each([
    ['/admin', 'FORBIDDEN_ROUTE'],
    ['/admin/domains', 'FORBIDDEN_ROUTE'],
    ['/api/hooks/recheck', 'FORBIDDEN_ROUTE'],
    ['/domains/x/../../admin', 'BAD_INPUT'],
    ['/domains/%2e%2e/admin', 'BAD_INPUT'],
    ['/domains/a%2Fb', 'BAD_INPUT'],
    ['//evil.example/', 'BAD_INPUT'],
    ['http://evil.example/', 'BAD_INPUT'],
    ['/\r\nX-Fix-Email-Auth-Role: admin', 'BAD_INPUT'],
  ])('when the route is %j, then it is refused (%s) before reaching the daemon', async (route, code) => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route }));
    expect(answer.error.code).toBe(code);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(daemon.requests).toHaveLength(0);
  });

  test('when the route is longer than 2048 characters, then it is refused as too large', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: `/${'a'.repeat(3000)}` }));
    expect(answer.error.code).toBe('TOO_LARGE');
    expect(daemon.requests).toHaveLength(0);
  });

  test.each([
    ['https://evil.example/x?route={route}'],
    ['//evil.example/?route={route}'],
    ['index.live.pl?route={route}"><script>'],
    ['index.live.pl'],
  ])('when the mount is %j, then it is refused', async (mount) => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: '/', mount }));
    expect(answer.error.code).toBe('BAD_INPUT');
    expect(daemon.requests).toHaveLength(0);
  });

  test('when the route holds a Unicode domain, then it reaches the daemon percent-encoded', async () => {
    await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: '/domains/bücher.example' }));
    expect(daemon.requests[0]?.url).toBe('/domains/b%C3%BCcher.example');
  });

  test('when the method is neither GET nor POST, then it is refused', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { method: 'DELETE', route: '/' }));
    expect(answer.error.code).toBe('BAD_INPUT');
    expect(daemon.requests).toHaveLength(0);
  });
});

describe('API', () => {
  test("when alice lists her domains, then the daemon's JSON comes back with its status", async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'API', { method: 'GET', route: '/api/domains' }));
    expect(answer).toEqual({
      status: 200,
      body: {
        user: 'alice',
        domains: [
          { domain: 'example.com', status: 'error' },
          { domain: 'addon.tld', status: 'error' },
        ],
      },
    });
    expect(daemon.requests[0]?.headers.accept).toBe('application/json');
  });

  test('when alice starts a fix, then the body is sent as JSON with a POST', async () => {
    const answer = await adminbin(
      protocolInput(UIDS.alice, 'API', { method: 'POST', route: '/api/domains/example.com/fix', body: { dryRun: false } }),
    );
    expect(answer.status).toBe(202);
    expect(daemon.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(daemon.requests[0]?.body ?? '')).toEqual({ dryRun: false });
  });

  test("when alice diagnoses bob's domain, then the 403 of the daemon comes back", async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'API', { method: 'GET', route: '/api/domains/bob.example' }));
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('NOT_YOUR_DOMAIN');
  });

  test('when the API action names a page route, then it is refused', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'API', { route: '/domains/example.com' }));
    expect(answer.error.code).toBe('FORBIDDEN_ROUTE');
    expect(daemon.requests).toHaveLength(0);
  });
});

describe('identity and input refusals', () => {
  test('when the UID is 0, then it is refused before the daemon is asked', async () => {
    const answer = await adminbin(protocolInput(UIDS.root, 'RELAY', { route: '/' }));
    expect(answer).toEqual({ status: 403, error: { code: 'ROOT_REFUSED', message: expect.stringContaining('UID 0') } });
    expect(daemon.requests).toHaveLength(0);
  });

  test('when the UID belongs to a system user without a cPanel account, then it is refused', async () => {
    const answer = await adminbin(protocolInput(UIDS.ghost, 'RELAY', { route: '/' }));
    expect(answer.error.code).toBe('NOT_A_CPANEL_USER');
    expect(daemon.requests).toHaveLength(0);
  });

  test('when the UID is unknown, then it is refused', async () => {
    const answer = await adminbin(protocolInput(4242, 'RELAY', { route: '/' }));
    expect(answer.error.code).toBe('NOT_A_CPANEL_USER');
  });

  test('when the action is unknown, then it is refused', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'SHELL', { route: '/' }));
    expect(answer.error.code).toBe('UNKNOWN_ACTION');
    expect(daemon.requests).toHaveLength(0);
  });

  test.each([
    ['an empty stdin', ''],
    ['no action', '1001\n.\n{}'],
    ['a UID that is not a number', 'alice RELAY\n.\n{}'],
    ['no "." line', '1001 RELAY\n{"route":"/"}'],
    ['a payload that is not JSON', '1001 RELAY\n.\n{route:'],
    ['a JSON array', '1001 RELAY\n.\n[]'],
  ])('when the input has %s, then a clear BAD_INPUT error comes back', async (_what, input) => {
    const answer = await adminbin(input);
    expect(answer.status).toBe(400);
    expect(answer.error.code).toBe('BAD_INPUT');
    expect(answer.error.message).toMatch(/Malformed request|route/);
    expect(daemon.requests).toHaveLength(0);
  });

  test('when the payload is larger than 64 KB, then it is refused as too large', async () => {
    const answer = await adminbin(protocolInput(UIDS.alice, 'RELAY', { route: '/', form: { big: 'x'.repeat(70 * 1024) } }));
    expect(answer.error.code).toBe('TOO_LARGE');
    expect(daemon.requests).toHaveLength(0);
  });

  test('when started with --bincheck, then it proves it runs like cPanel binaries do', async () => {
    const result = await run(ADMINBIN, ['--bincheck'], { killAfterMs: 5000 });
    expect(result.stdout).toBe('BinCheck ok\n');
  });
});

describe('daemon trouble', () => {
  test('when the daemon is down, then a clear DAEMON_UNAVAILABLE error comes back at once', async () => {
    const result = await run(ADMINBIN, [], {
      input: protocolInput(UIDS.alice, 'RELAY', { route: '/' }),
      env: bridgeEnv(identity, join(dir, 'no-such.sock')),
      killAfterMs: 3000,
    });
    expect(result.killed).toBe(false);
    const answer = parseAdminbinAnswer(result.stdout);
    expect(answer.status).toBe(503);
    expect(answer.error.code).toBe('DAEMON_UNAVAILABLE');
    expect(answer.error.message).toContain('not running');
  });

  test('when the daemon hangs, then the bridge gives up after its timeout with DAEMON_TIMEOUT', async () => {
    daemon.delayMs = 3000;
    const result = await run(ADMINBIN, [], {
      input: protocolInput(UIDS.alice, 'RELAY', { route: '/' }),
      env: bridgeEnv(identity, daemon.socket, { FIX_EMAIL_AUTH_BRIDGE_TIMEOUT_MS: '300' }),
      killAfterMs: 2500,
    });
    expect(result.killed).toBe(false);
    expect(parseAdminbinAnswer(result.stdout).error.code).toBe('DAEMON_TIMEOUT');
  });

  test('when the socket path comes from the config file, then the bridge uses it', async () => {
    const { writeFileSync } = await import('fs');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ provider: { authId: 'webhostingm' }, paths: { socket: daemon.socket } }));
    const env = bridgeEnv(identity, daemon.socket, { FIX_EMAIL_AUTH_CONFIG: config });
    delete env.FIX_EMAIL_AUTH_SOCKET;
    const result = await run(ADMINBIN, [], { input: protocolInput(UIDS.alice, 'RELAY', { route: '/' }), env, killAfterMs: 5000 });
    expect(parseAdminbinAnswer(result.stdout).status).toBe(200);
  });
});

describe('settings', () => {
  const { loadSettings } = require(ADMINBIN) as { loadSettings: (env: NodeJS.ProcessEnv, path: string) => Record<string, unknown> };
  const hostile = {
    FIX_EMAIL_AUTH_PASSWD: '/home/alice/passwd',
    FIX_EMAIL_AUTH_SOCKET: '/home/alice/fake.sock',
    FIX_EMAIL_AUTH_CPANEL_USERS_DIR: '/home/alice/users',
    FIX_EMAIL_AUTH_CONFIG: '/home/alice/config.json',
  };

  test('when the installed copy runs under /usr/local/cpanel, then the environment cannot move its passwd file, users dir or socket', () => {
    expect(loadSettings(hostile, '/usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth')).toEqual({
      passwd: '/etc/passwd',
      cpanelUsersDir: '/var/cpanel/users',
      socket: expect.stringMatching(/^\/(run|var)\//),
      answerMs: 30000,
    });
  });

  test('when a test copy runs elsewhere, then the environment overrides apply', () => {
    expect(loadSettings(hostile, ADMINBIN)).toMatchObject({ passwd: '/home/alice/passwd', socket: '/home/alice/fake.sock' });
  });
});
