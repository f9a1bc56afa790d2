/**
 * The Perl side of the plugin, driven from jest so `npm test` runs it: `perl -c` of every Perl file
 * against the stub cPanel library (test/perl/lib), then the prove-style tests in test/perl/ — the
 * UAPI module with a recording cpwrapd, and the Jupiter page and WHM CGI end to end through the real
 * adminbin to a stub daemon.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ADMINBIN, REPO, run, UIDS, writeIdentityFiles } from './support/run';
import { startStubDaemon, type StubDaemon } from './support/stubDaemon';

const PERL_FILES = [
  'plugin/cpanel/index.live.pl',
  'plugin/cpanel/FixEmailAuth.pm',
  'plugin/whm/cgi/fix_email_auth/index.cgi',
  ...readdirSync(join(REPO, 'test/perl/lib/Cpanel')).map((f) => `test/perl/lib/Cpanel/${f}`),
  'test/perl/lib/Whostmgr/ACLS.pm',
  'test/perl/lib/TestCgi.pm',
];

let dir: string;
let libDir: string;
let daemon: StubDaemon;
let identity: { passwd: string; usersDir: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perl-plugin-'));
  // Installed layout: the UAPI module is Cpanel/API/FixEmailAuth.pm under cPanel's library root.
  libDir = join(dir, 'lib');
  mkdirSync(join(libDir, 'Cpanel/API'), { recursive: true });
  symlinkSync(join(REPO, 'plugin/cpanel/FixEmailAuth.pm'), join(libDir, 'Cpanel/API/FixEmailAuth.pm'));
  identity = writeIdentityFiles(dir);
  daemon = await startStubDaemon(dir);
});

afterAll(async () => {
  await daemon.stop();
  rmSync(dir, { recursive: true, force: true });
});

const perlEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  PERL5LIB: [join(REPO, 'test/perl/lib'), libDir].join(':'),
  FIX_EMAIL_AUTH_SOCKET: daemon.socket,
  FIX_EMAIL_AUTH_CONFIG: '/nonexistent/config.json',
  FIX_EMAIL_AUTH_PASSWD: identity.passwd,
  FIX_EMAIL_AUTH_CPANEL_USERS_DIR: identity.usersDir,
  STUB_CPWRAPD_ADMINBIN: ADMINBIN,
  UID_ALICE: String(UIDS.alice),
});

test.each(PERL_FILES)('when %s is compiled against the stub cPanel library, then perl -c passes', async (file) => {
  const result = await run('perl', ['-c', join(REPO, file)], { env: perlEnv(), killAfterMs: 10000 });
  expect(result.stderr).toContain('syntax OK');
  expect(result.code).toBe(0);
});

test('when the Perl tests run, then all pass and none is skipped', async () => {
  const result = await run('prove', ['-v', join(REPO, 'test/perl')], { env: perlEnv(), killAfterMs: 25000 });
  if (result.code !== 0 || process.env.SHOW_PROVE) console.error(result.stdout, result.stderr);
  expect(result.killed).toBe(false);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Result: PASS');
  expect(result.stdout).not.toMatch(/skipped/i);
  // What the daemon saw: alice as a user through the page, root as an admin through WHM.
  const seen = daemon.requests.map((r) => `${String(r.headers['x-fix-email-auth-role'])}:${String(r.headers['x-fix-email-auth-user'])}`);
  expect(seen).toContain('user:alice');
  expect(seen).toContain('admin:root');
  expect(seen.filter((who) => !['user:alice', 'admin:root'].includes(who))).toEqual([]);
  const scan = daemon.requests.find((r) => r.url === '/admin/scan');
  expect(scan?.body).toBe('all=1');
  expect(scan?.headers['x-fix-email-auth-mount']).toBe('index.cgi?route={route}');
}, 30000);
