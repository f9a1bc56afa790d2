/**
 * scripts/install-plesk.sh on a staged Plesk server (--root) with a recording stand-in of the `plesk`
 * command (test/support/plesk-stubs/plesk) and of systemctl: the package, config, secret key and
 * extension in place with their modes, Plesk's commands called with the right arguments, a second
 * run changes nothing, and a server without Plesk is refused before anything is placed.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REPO, run } from './support/run';
import { mutating, readCalls, readManifest, snapshot, stageSource, type Call } from './support/stagedServer';

const INSTALL = join(REPO, 'scripts/install-plesk.sh');
const EXT = 'usr/local/psa/admin';

interface Staged {
  dir: string;
  root: string;
  source: string;
  log: string;
}

function stage(opts: { plesk?: boolean } = {}): Staged {
  const dir = mkdtempSync(join(tmpdir(), 'install-plesk-'));
  const s = { dir, root: join(dir, 'root'), source: join(dir, 'source'), log: join(dir, 'calls.jsonl') };
  for (const d of ['usr/local/psa/admin', 'usr/sbin', 'usr/bin', 'etc/systemd/system', 'opt', 'run', 'var'])
    mkdirSync(join(s.root, d), { recursive: true });
  if (opts.plesk ?? true) writeFileSync(join(s.root, 'usr/local/psa/version'), '18.0.65 Debian 12.0 1800241213.14\n');
  symlinkSync(join(REPO, 'test/support/plesk-stubs/plesk'), join(s.root, 'usr/sbin/plesk'));
  symlinkSync(join(REPO, 'test/support/cpanel-stubs/systemctl'), join(s.root, 'usr/bin/systemctl'));
  mkdirSync(s.source);
  stageSource(s.source);
  // The installer builds the extension zip with the package's own script and its fflate dependency.
  cpSync(join(REPO, 'scripts/package-plesk.js'), join(s.source, 'scripts/package-plesk.js'));
  cpSync(join(REPO, 'node_modules/fflate'), join(s.source, 'node_modules/fflate'), { recursive: true });
  const lock = JSON.parse(readFileSync(join(s.source, 'package-lock.json'), 'utf8'));
  lock.packages['node_modules/fflate'] = { version: '0.8.3' };
  writeFileSync(join(s.source, 'package-lock.json'), JSON.stringify(lock));
  return s;
}

async function install(s: Staged, args: string[]) {
  rmSync(s.log, { force: true });
  const result = await run('bash', [INSTALL, '--root', s.root, '--source', s.source, ...args], {
    env: { PATH: process.env.PATH, STUB_ROOT: s.root, STUB_LOG: s.log },
    killAfterMs: 60000,
  });
  return { ...result, calls: readCalls(s.log) };
}

const modeOf = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
const isRead = (c: Call) => c.cmd === 'plesk' && c.args[1] === 'extension' && c.args[2] === '--list';

describe('install-plesk.sh: a first install and a re-run', () => {
  const s = stage();
  let afterInstall: ReturnType<typeof snapshot>;
  let firstCalls: Call[];
  afterAll(() => rmSync(s.dir, { recursive: true, force: true }));

  test('when installed with --auth-id, then it succeeds', async () => {
    const result = await install(s, ['--auth-id', 'webhostingm', '--backup', 'required']);
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    firstCalls = result.calls;
    afterInstall = snapshot(s.root);
  });

  test.each([
    ['/opt/fix-email-auth', 'dir', '0755'],
    ['/opt/fix-email-auth/dist', 'tree', '0755'],
    ['/opt/fix-email-auth/node_modules', 'tree', '0755'],
    ['/opt/fix-email-auth/plesk', 'dir', '0755'],
    ['/opt/fix-email-auth/plesk/fix-email-auth-plesk.zip', 'file', '0644'],
    ['/opt/fix-email-auth/plesk/.installed', 'file', '0644'],
    ['/etc/fix-email-auth', 'dir', '0700'],
    ['/etc/fix-email-auth/config.json', 'file', '0600'],
    ['/etc/fix-email-auth/plesk-key', 'file', '0600'],
    ['/etc/systemd/system/fix-email-auth.service', 'file', '0644'],
    ['/var/lib/fix-email-auth', 'keep', '0700'],
  ])('when installed, then %s is in place as %s %s, owned by root in the manifest', (path, kind, mode) => {
    expect(modeOf(join(s.root, path))).toBe(mode);
    expect(readManifest(s.root)[path]).toEqual({ kind, mode, owner: 'root:root' });
  });

  test("when installed, then the config holds the flags, the key file Plesk's new key, and the fflate the packager needs is among the production dependencies", () => {
    expect(JSON.parse(readFileSync(join(s.root, 'etc/fix-email-auth/config.json'), 'utf8'))).toEqual({
      provider: { authId: 'webhostingm' },
      backup: { policy: 'required' },
    });
    expect(readFileSync(join(s.root, 'etc/fix-email-auth/plesk-key'), 'utf8')).toBe('STUBKEY1-0123456789abcdef\n');
    expect(existsSync(join(s.root, 'opt/fix-email-auth/node_modules/fflate/package.json'))).toBe(true);
  });

  test("when installed, then Plesk's commands ran once each: a key bound to 127.0.0.1, the extension from the placed zip; then the service", () => {
    expect(mutating(firstCalls.filter((c) => !isRead(c))).map((c) => [c.cmd, ...c.args])).toEqual([
      ['plesk', 'bin', 'secret_key', '--create', '-ip-address', '127.0.0.1', '-description', 'fix-email-auth daemon'],
      ['plesk', 'bin', 'extension', '--install', join(s.root, 'opt/fix-email-auth/plesk/fix-email-auth-plesk.zip')],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'fix-email-auth.service'],
    ]);
  });

  test('when installed, then Plesk unpacked the extension and its root helper starts with the Node the installer found', () => {
    const node = readFileSync(join(s.root, 'opt/fix-email-auth/install-manifest.txt'), 'utf8').match(/^# node (.+)$/m)?.[1];
    const helper = readFileSync(join(s.root, EXT, 'sbin/modules/fix-email-auth/fix-email-auth-relay'), 'utf8');
    expect(helper.split('\n')[0]).toBe(`#!${node}`);
    expect(existsSync(join(s.root, EXT, 'plib/modules/fix-email-auth/library/Relay.php'))).toBe(true);
    expect(existsSync(join(s.root, EXT, 'htdocs/modules/fix-email-auth/index.php'))).toBe(true);
  });

  test('when run again with the same package and no flags, then nothing changes and no Plesk command runs', async () => {
    const result = await install(s, []);
    expect(result.code).toBe(0);
    expect(snapshot(s.root)).toEqual(afterInstall);
    expect(mutating(result.calls.filter((c) => !isRead(c)))).toEqual([]);
  });
});

describe('install-plesk.sh on a server without Plesk', () => {
  test('when /usr/local/psa/version is missing, then it stops with a clear message and places nothing', async () => {
    const s = stage({ plesk: false });
    try {
      const before = snapshot(s.root);
      const result = await install(s, ['--auth-id', 'webhostingm']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('this is not a Plesk server');
      expect(snapshot(s.root)).toEqual(before);
      expect(result.calls).toEqual([]);
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
