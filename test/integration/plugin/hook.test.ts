/**
 * The hook script fed cPanel's hook payloads (docs/reference/cpanel-plugins.md §8.3): it asks the daemon for a
 * re-check with the hook role and always answers `1 …` before a 1 s kill timer, with the daemon up,
 * down or hanging.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { HOOK, run } from './support/run';
import { startStubDaemon, type StubDaemon } from './support/stubDaemon';

let dir: string;
let daemon: StubDaemon;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hook-'));
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

const payload = (category: string, event: string, data: unknown, stage = 'post') =>
  JSON.stringify({ context: { category, event, stage }, data, hook: {} });

const SAMPLES = {
  restore: payload('PkgAcct', 'Restore', { user: 'alice', extract_dir: '/home/cpmove-alice' }),
  create: payload('Whostmgr', 'Accounts::Create', { user: 'bob', domain: 'bob.example', plan: 'default' }),
  session: payload('Whostmgr', 'Transfers::Session', {
    session_details: { session_id: 'abc', items: [{ user: 'alice' }, { localuser: 'carol' }] },
  }),
  massEdit: payload('Cpanel', 'UAPI::DNS::mass_edit_zone', {
    user: 'alice',
    args: { zone: 'Example.COM', serial: '2024030101' },
    output: [{ result: 1 }],
  }),
};

/** Runs the hook with a 1 s kill timer: finishing at all proves it answered in time. */
async function hook(input: string, socket = daemon.socket, options: { keepStdinOpen?: boolean } = {}) {
  const result = await run(HOOK, [], {
    input,
    env: { PATH: process.env.PATH, FIX_EMAIL_AUTH_SOCKET: socket },
    killAfterMs: 1000,
    ...options,
  });
  expect(result.killed).toBe(false);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^1 /);
  return result;
}

const recheckBodies = () => daemon.requests.filter((r) => r.url === '/api/hooks/recheck').map((r) => JSON.parse(r.body));

describe('with the daemon up', () => {
  test('when an account is restored, then the daemon is asked to re-check it with the hook role and the restore event', async () => {
    const result = await hook(SAMPLES.restore);
    expect(result.stdout).toBe('1 fix-email-auth: re-check queued for alice (PkgAcct::Restore)\n');
    expect(recheckBodies()).toEqual([{ user: 'alice', event: 'restore', hook: 'PkgAcct::Restore' }]);
    expect(daemon.requests[0]?.method).toBe('POST');
    expect(daemon.requests[0]?.headers['x-fix-email-auth-role']).toBe('hook');
  });

  test('when an account is created, then its re-check is queued', async () => {
    await hook(SAMPLES.create);
    expect(recheckBodies()).toEqual([{ user: 'bob', event: 'create', hook: 'Whostmgr::Accounts::Create' }]);
  });

  test('when a transfer session ends, then every account found in it is re-checked', async () => {
    const result = await hook(SAMPLES.session);
    expect(result.stdout).toContain('alice, carol');
    expect(recheckBodies()).toEqual([
      { user: 'alice', event: 'transfer', hook: 'Whostmgr::Transfers::Session' },
      { user: 'carol', event: 'transfer', hook: 'Whostmgr::Transfers::Session' },
    ]);
  });

  test("when a restore's data names no user (none given to the restore), then the account is read from the archive's cp/ folder", async () => {
    const extract = join(dir, 'cpmove-dave', 'contents');
    mkdirSync(join(extract, 'cp'), { recursive: true });
    writeFileSync(join(extract, 'cp', 'dave'), 'DNS=dave.example\n');
    const result = await hook(payload('PkgAcct', 'Restore', { extract_dir: extract, restoreall: 1 }));
    expect(result.stdout).toContain('re-check queued for dave');
    expect(recheckBodies()).toEqual([{ user: 'dave', event: 'restore', hook: 'PkgAcct::Restore' }]);
  });

  test("when a transfer session ends with cPanel's real data (the session's row, no account), then the daemon is asked to look again at the accounts restored since it started", async () => {
    const session = {
      sessionid: 'abcd1234',
      initiator: 'root',
      state: 'COMPLETED',
      starttime_unix: '1764300000',
      endtime_unix: '1764300600',
    };
    const result = await hook(payload('Whostmgr', 'Transfers::Session', { session_details: session }));
    expect(result.stdout).toContain('the accounts restored in this session');
    expect(recheckBodies()).toEqual([{ event: 'transfer', hook: 'Whostmgr::Transfers::Session', since: '1764300000' }]);
  });

  test('when a user edits a zone through UAPI, then the re-check names the user and the zone', async () => {
    await hook(SAMPLES.massEdit);
    expect(recheckBodies()).toEqual([
      { user: 'alice', event: 'zone-edit', hook: 'Cpanel::UAPI::DNS::mass_edit_zone', zone: 'example.com' },
    ]);
  });

  test('when a mailbox is created or removed, then the re-check names the user and the mailbox domain, never the password', async () => {
    await hook(
      payload('Cpanel', 'UAPI::Email::add_pop', {
        user: 'alice',
        args: { email: 'joe', domain: 'Example.COM', password: 's3cret!' },
        result: 'joe+example.com',
      }),
    );
    await hook(payload('Cpanel', 'UAPI::Email::delete_pop', { user: 'alice', args: { email: 'ann@example.com' }, result: null }));
    expect(recheckBodies()).toEqual([
      { user: 'alice', event: 'mailbox-added', hook: 'Cpanel::UAPI::Email::add_pop', domain: 'example.com' },
      { user: 'alice', event: 'mailbox-removed', hook: 'Cpanel::UAPI::Email::delete_pop', domain: 'example.com' },
    ]);
    expect(daemon.requests.map((r) => r.body).join('')).not.toContain('s3cret');
  });

  test('when cPanel leaves stdin open after the document, then the hook still answers at once', async () => {
    const result = await hook(SAMPLES.restore, daemon.socket, { keepStdinOpen: true });
    expect(result.stdout).toContain('re-check queued for alice');
  });

  test('when cPanel sends nothing and never closes stdin, then the hook gives up reading and answers 1', async () => {
    const result = await hook('', daemon.socket, { keepStdinOpen: true });
    expect(result.stdout).toMatch(/^1 fix-email-auth: nothing to do/);
  });

  test.each([
    ['empty input', ''],
    ['not JSON', 'hello'],
    ['a JSON array', '[]'],
    ['an unknown event', payload('Whostmgr', 'Accounts::Remove', { user: 'alice' })],
    ['a pre stage', payload('PkgAcct', 'Restore', { user: 'alice' }, 'pre')],
    ['no user', payload('PkgAcct', 'Restore', { extract_dir: '/x' })],
    ['a user name that is not one', payload('PkgAcct', 'Restore', { user: 'alice; rm -rf /' })],
    ['root as the user', payload('Whostmgr', 'Accounts::Create', { user: 'root' })],
    ['data that is a string', payload('PkgAcct', 'Restore', 'alice')],
  ])('when the payload has %s, then it answers "1 … nothing to do" and asks nothing', async (_what, input) => {
    const result = await hook(input);
    expect(result.stdout).toMatch(/^1 fix-email-auth: nothing to do/);
    expect(daemon.requests).toHaveLength(0);
  });
});

describe('with the daemon in trouble', () => {
  test.each(Object.entries(SAMPLES))(
    'when the daemon is down and the %s hook fires, then it still answers 1 within a second',
    async (_name, input) => {
      const result = await hook(input, join(dir, 'absent.sock'));
      expect(result.stdout).toMatch(/^1 fix-email-auth: daemon unavailable/);
      expect(result.stderr).toContain('did not take the re-check');
    },
  );

  test('when the daemon hangs, then the hook stops waiting after its short timeout and answers 1', async () => {
    daemon.delayMs = 5000;
    const result = await hook(SAMPLES.restore);
    expect(result.stdout).toMatch(/^1 fix-email-auth: daemon unavailable \(no answer within 300 ms\)/);
  });
});
