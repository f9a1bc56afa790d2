/**
 * scripts/install.sh and scripts/uninstall.sh on a staged root (--root) with recording stand-ins of
 * cPanel's commands (test/support/cpanel-stubs): every file in place with owner and mode, every cPanel
 * command called with the right arguments, a second run changes nothing, uninstall leaves only the
 * journal (and --purge not even that). The tests of one describe run in order on one staged server.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { mutating, readCalls, readManifest, snapshot, stageServer, stageSource, type Call, type Entry } from './support/stagedServer';
import { ADMINBIN, parseAdminbinAnswer, protocolInput, REPO, run, UIDS } from './support/run';

const INSTALL = join(REPO, 'scripts/install.sh');
const UNINSTALL = join(REPO, 'scripts/uninstall.sh');
const HOOK = '/opt/fix-email-auth/plugin/hooks/fix-email-auth-hook';

// Each test runs the real installer (and some the uninstaller too): seconds each, far more on a loaded machine.
jest.setTimeout(120_000);

interface Staged {
  dir: string;
  root: string;
  source: string;
  log: string;
}

function stage(): Staged {
  const dir = mkdtempSync(join(tmpdir(), 'install-'));
  const staged = { dir, root: join(dir, 'root'), source: join(dir, 'source'), log: join(dir, 'calls.jsonl') };
  mkdirSync(staged.root);
  mkdirSync(staged.source);
  stageServer(staged.root);
  stageSource(staged.source);
  return staged;
}

async function script(s: Staged, file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  rmSync(s.log, { force: true });
  const result = await run('bash', [file, '--root', s.root, ...(file === INSTALL ? ['--source', s.source] : []), ...args], {
    env: { PATH: process.env.PATH, STUB_ROOT: s.root, STUB_LOG: s.log, ...env },
    killAfterMs: 60000,
  });
  return { ...result, calls: readCalls(s.log) };
}

const modeOf = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');
const filesOnly = (snap: Record<string, Entry>) => Object.fromEntries(Object.entries(snap).filter(([, e]) => e.type !== 'dir'));

describe('a first install, a re-run and an uninstall', () => {
  const s = stage();
  let before: Record<string, Entry>;
  let afterInstall: Record<string, Entry>;
  let firstCalls: Call[];

  afterAll(() => rmSync(s.dir, { recursive: true, force: true }));

  test('when installed with --auth-id, then it succeeds', async () => {
    before = snapshot(s.root);
    const result = await script(s, INSTALL, [
      '--auth-id',
      'webhostingm',
      '--sender-id-template',
      'webhostingm|x-authuser|{user}',
      '--backup',
      'required',
    ]);
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    firstCalls = result.calls;
    afterInstall = snapshot(s.root);
  });

  test.each([
    ['/usr/local/cpanel/bin/admin/FixEmailAuth', 'dir', '0755'],
    ['/usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth', 'file', '0700'],
    ['/usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth.conf', 'file', '0700'],
    ['/usr/local/cpanel/Cpanel/API/FixEmailAuth.pm', 'file', '0644'],
    ['/usr/local/cpanel/base/frontend/jupiter/fix_email_auth', 'dir', '0755'],
    ['/usr/local/cpanel/base/frontend/jupiter/fix_email_auth/index.live.pl', 'file', '0755'],
    ['/usr/local/cpanel/whostmgr/docroot/cgi/fix_email_auth', 'dir', '0755'],
    ['/usr/local/cpanel/whostmgr/docroot/cgi/fix_email_auth/index.cgi', 'file', '0755'],
    ['/usr/local/cpanel/whostmgr/docroot/addon_plugins/fix_email_auth.png', 'file', '0644'],
    ['/opt/fix-email-auth', 'dir', '0755'],
    [HOOK, 'file', '0755'],
    ['/opt/fix-email-auth/plugin/whm/fix_email_auth.conf', 'file', '0644'],
    ['/opt/fix-email-auth/cpanel-plugin/install.json', 'file', '0644'],
    ['/opt/fix-email-auth/cpanel-plugin/fix_email_auth.svg', 'file', '0644'],
    ['/opt/fix-email-auth/dist', 'tree', '0755'],
    ['/opt/fix-email-auth/node_modules', 'tree', '0755'],
    ['/opt/fix-email-auth/package.json', 'file', '0644'],
    ['/opt/fix-email-auth/install-manifest.txt', 'file', '0644'],
    ['/etc/systemd/system/fix-email-auth.service', 'file', '0644'],
    ['/etc/fix-email-auth', 'dir', '0700'],
    ['/etc/fix-email-auth/config.json', 'file', '0600'],
    ['/etc/fix-email-auth/whm-token', 'file', '0600'],
    ['/var/lib/fix-email-auth', 'keep', '0700'],
  ])('when installed, then %s is in place as %s %s, owned by root in the manifest', (path, kind, mode) => {
    expect(existsSync(join(s.root, path))).toBe(true);
    expect(modeOf(join(s.root, path))).toBe(mode);
    expect(readManifest(s.root)[path]).toEqual({ kind, mode, owner: 'root:root' });
  });

  test('when installed, then every file the manifest lists exists with the mode it records', () => {
    const manifest = readManifest(s.root);
    expect(Object.keys(manifest).length).toBeGreaterThan(20);
    for (const [path, entry] of Object.entries(manifest)) {
      expect(existsSync(join(s.root, path))).toBe(true);
      expect([path, modeOf(join(s.root, path))]).toEqual([path, entry.mode]);
    }
  });

  test('when installed, then the Node scripts start the Node found with an empty environment and are otherwise the repository files', () => {
    const node = readFileSync(join(s.root, 'opt/fix-email-auth/install-manifest.txt'), 'utf8').match(/^# node (.+)$/m)?.[1];
    expect(node).toMatch(/\/node$/);
    for (const [installed, original] of [
      ['usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth', 'plugin/adminbin/FixEmailAuth'],
      [HOOK.slice(1), 'plugin/hooks/fix-email-auth-hook'],
    ] as const) {
      const [first, ...rest] = readFileSync(join(s.root, installed), 'utf8').split('\n');
      expect(first).toBe(`#!/usr/bin/env -S -i PATH=/usr/bin:/bin ${node}`);
      expect(rest.join('\n')).toBe(readFileSync(join(REPO, original), 'utf8').split('\n').slice(1).join('\n'));
    }
    expect(readFileSync(join(s.root, 'etc/systemd/system/fix-email-auth.service'), 'utf8')).toContain(
      `ExecStart=${node} /opt/fix-email-auth/bin/fix-email-auth serve\n`,
    );
  });

  test('when a cPanel user hands the adminbin a hostile NODE_OPTIONS, then the installed one ignores it (the bare script would run the code)', async () => {
    const evil = join(s.dir, 'evil.js');
    const marker = join(s.dir, 'ran-as-root');
    writeFileSync(evil, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'owned');\n`);
    const input = protocolInput(UIDS.root, 'RELAY', { method: 'GET', route: '/' });
    const hostile = { PATH: process.env.PATH, NODE_OPTIONS: `--require ${evil}` };
    // The file as cPanel runs it: its #! line, with the environment cpwrapd was handed.
    const installed = await run(join(s.root, 'usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth'), [], { input, env: hostile });
    expect(existsSync(marker)).toBe(false);
    expect(parseAdminbinAnswer(installed.stdout)).toMatchObject({ status: 403, error: { code: 'ROOT_REFUSED' } });
    const hook = await run(join(s.root, HOOK.slice(1)), [], { input: '{}', env: hostile });
    expect(existsSync(marker)).toBe(false);
    expect(hook.stdout).toMatch(/^1 fix-email-auth: /);
    // Started by a plain `node` (the old #! line), the same variable runs the file as root.
    await run(process.execPath, [ADMINBIN], { input, env: hostile });
    expect(readFileSync(marker, 'utf8')).toBe('owned');
  });

  test('when installed, then the adminbin may be started only from cPanel and uapi (allowed_parents)', () => {
    expect(readFileSync(join(s.root, 'usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth.conf'), 'utf8')).toBe(
      'mode=full\nallowed_parents=/usr/local/cpanel/cpanel,/usr/local/cpanel/uapi\n',
    );
  });

  test('when installed, then only production dependencies are copied, nested ones and executables kept', () => {
    const modules = join(s.root, 'opt/fix-email-auth/node_modules');
    expect(existsSync(join(modules, 'tiny-prod/index.js'))).toBe(true);
    expect(existsSync(join(modules, 'tiny-prod/node_modules/nested/index.js'))).toBe(true);
    expect(existsSync(join(modules, '@scope/tiny-scoped/index.js'))).toBe(true);
    expect(existsSync(join(modules, 'tiny-dev'))).toBe(false);
    expect(modeOf(join(modules, 'tiny-prod/bin/cli'))).toBe('0755');
    expect(modeOf(join(modules, 'tiny-prod/index.js'))).toBe('0644');
    expect(modeOf(join(s.root, 'opt/fix-email-auth/bin/fix-email-auth'))).toBe('0755');
  });

  test('when installed, then the config holds the flags and the token file the token WHM created', () => {
    expect(JSON.parse(readFileSync(join(s.root, 'etc/fix-email-auth/config.json'), 'utf8'))).toEqual({
      provider: { authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' },
      backup: { policy: 'required' },
    });
    expect(readFileSync(join(s.root, 'etc/fix-email-auth/whm-token'), 'utf8')).toMatch(/^STUBTOKEN[0-9]+\n$/);
  });

  test("when installed, then cPanel's commands were called with the right arguments, each once", () => {
    const hook = join(s.root, HOOK);
    const changing = mutating(firstCalls).map((c) => [c.cmd, ...c.args]);
    expect(changing).toEqual([
      ['whmapi1', '--output=json', 'api_token_create', 'token_name=fix-email-auth', 'acl-0=all'],
      ['install_plugin', join(s.root, 'opt/fix-email-auth/cpanel-plugin'), '--theme=jupiter'],
      ['register_appconfig', join(s.root, 'opt/fix-email-auth/plugin/whm/fix_email_auth.conf')],
      ['manage_hooks', 'add', 'script', hook, '--manual', '--category', 'PkgAcct', '--event', 'Restore', '--stage', 'post'],
      ['manage_hooks', 'add', 'script', hook, '--manual', '--category', 'Whostmgr', '--event', 'Transfers::Session', '--stage', 'post'],
      ['manage_hooks', 'add', 'script', hook, '--manual', '--category', 'Whostmgr', '--event', 'Accounts::Create', '--stage', 'post'],
      [
        'manage_hooks',
        'add',
        'script',
        hook,
        '--manual',
        '--category',
        'Cpanel',
        '--event',
        'UAPI::DNS::mass_edit_zone',
        '--stage',
        'post',
        '--escalateprivs',
        '1',
      ],
      [
        'manage_hooks',
        'add',
        'script',
        hook,
        '--manual',
        '--category',
        'Cpanel',
        '--event',
        'UAPI::Email::add_pop',
        '--stage',
        'post',
        '--escalateprivs',
        '1',
      ],
      [
        'manage_hooks',
        'add',
        'script',
        hook,
        '--manual',
        '--category',
        'Cpanel',
        '--event',
        'UAPI::Email::delete_pop',
        '--stage',
        'post',
        '--escalateprivs',
        '1',
      ],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'fix-email-auth.service'],
    ]);
  });

  test('when installed, then cPanel sees the plugin: Feature Manager entry, AppConfig registered, service enabled and running', () => {
    // cPanel shows the link's name in Feature Manager (install.json has no description: cPanel drops it).
    expect(readFileSync(join(s.root, 'usr/local/cpanel/whostmgr/addonfeatures/fix_email_auth'), 'utf8')).toBe(
      'fix_email_auth:Fix Email Authorization\n',
    );
    expect(JSON.parse(readFileSync(join(REPO, 'install.json'), 'utf8'))[0]).not.toHaveProperty('description');
    expect(readFileSync(join(s.root, 'var/cpanel/apps/fix_email_auth.conf'), 'utf8')).toBe(
      readFileSync(join(REPO, 'plugin/whm/fix_email_auth.conf'), 'utf8'),
    );
    expect(JSON.parse(readFileSync(join(s.root, 'run/stub-systemd.json'), 'utf8'))).toEqual({
      'fix-email-auth.service': { enabled: true, active: true },
    });
  });

  test('when run again with the same package and no flags, then no file, mode or registration changes', async () => {
    const result = await script(s, INSTALL, []);
    expect(result.code).toBe(0);
    expect(snapshot(s.root)).toEqual(afterInstall);
    expect(mutating(result.calls)).toEqual([]);
  });

  test('when run again with another --backup, then only the config changes', async () => {
    const result = await script(s, INSTALL, ['--backup', 'off']);
    expect(result.code).toBe(0);
    const now = snapshot(s.root);
    const changed = Object.keys(now).filter((path) => JSON.stringify(now[path]) !== JSON.stringify(afterInstall[path]));
    expect(changed).toEqual(['etc/fix-email-auth/config.json']);
    expect(JSON.parse(readFileSync(join(s.root, 'etc/fix-email-auth/config.json'), 'utf8')).backup).toEqual({ policy: 'off' });
    // A changed config is a changed install: the running daemon is restarted to read it.
    expect(mutating(result.calls).map((c) => [c.cmd, ...c.args])).toEqual([['systemctl', 'restart', 'fix-email-auth.service']]);
  });

  test('when the package is upgraded, then its files are replaced and the service restarted, nothing registered again', async () => {
    writeFileSync(join(s.source, 'dist/cli/main.js'), "exports.runFromProcess = () => process.stdout.write('v2\\n');\n");
    const result = await script(s, INSTALL, []);
    expect(result.code).toBe(0);
    expect(readFileSync(join(s.root, 'opt/fix-email-auth/dist/cli/main.js'), 'utf8')).toContain('v2');
    expect(mutating(result.calls).map((c) => [c.cmd, ...c.args])).toEqual([['systemctl', 'restart', 'fix-email-auth.service']]);
  });

  test('when uninstalled, then every step is reversed and only the journal is left', async () => {
    writeFileSync(join(s.root, 'var/lib/fix-email-auth/journal.db'), 'journal');
    const result = await script(s, UNINSTALL, []);
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    const hook = join(s.root, HOOK);
    expect(mutating(result.calls).map((c) => [c.cmd, ...c.args])).toEqual([
      ['systemctl', 'disable', '--now', 'fix-email-auth.service'],
      ['systemctl', 'daemon-reload'],
      ['manage_hooks', 'delete', 'script', hook, '--manual', '--category', 'PkgAcct', '--event', 'Restore', '--stage', 'post'],
      ['manage_hooks', 'delete', 'script', hook, '--manual', '--category', 'Whostmgr', '--event', 'Transfers::Session', '--stage', 'post'],
      ['manage_hooks', 'delete', 'script', hook, '--manual', '--category', 'Whostmgr', '--event', 'Accounts::Create', '--stage', 'post'],
      [
        'manage_hooks',
        'delete',
        'script',
        hook,
        '--manual',
        '--category',
        'Cpanel',
        '--event',
        'UAPI::DNS::mass_edit_zone',
        '--stage',
        'post',
      ],
      ['manage_hooks', 'delete', 'script', hook, '--manual', '--category', 'Cpanel', '--event', 'UAPI::Email::add_pop', '--stage', 'post'],
      [
        'manage_hooks',
        'delete',
        'script',
        hook,
        '--manual',
        '--category',
        'Cpanel',
        '--event',
        'UAPI::Email::delete_pop',
        '--stage',
        'post',
      ],
      ['unregister_appconfig', 'fix_email_auth'],
      ['uninstall_plugin', join(s.root, 'opt/fix-email-auth/cpanel-plugin'), '--theme=jupiter'],
      ['whmapi1', '--output=json', 'api_token_revoke', 'token_name=fix-email-auth'],
    ]);
    const expected = {
      ...before,
      'var/lib/fix-email-auth': { type: 'dir', mode: '0700' },
      'var/lib': expect.anything(),
      'var/lib/fix-email-auth/journal.db': expect.objectContaining({ type: 'file' }),
    };
    expect(snapshot(s.root)).toEqual(expected);
  });

  test('when installed again and uninstalled with --purge, then the server is exactly as before', async () => {
    expect((await script(s, INSTALL, ['--auth-id', 'webhostingm'])).code).toBe(0);
    const result = await script(s, UNINSTALL, ['--purge']);
    expect(result.code).toBe(0);
    const now = snapshot(s.root);
    delete now['var/lib'];
    expect(now).toEqual(before);
  });
});

describe('upgrading in place an install whose WHM API token was limited to an ACL list', () => {
  const s = stage();
  afterAll(() => rmSync(s.dir, { recursive: true, force: true }));

  test('when the installer runs again, then the token is widened to all with api_token_update and its secret kept', async () => {
    // What an older installer left: the token file and a token limited to four ACLs.
    mkdirSync(join(s.root, 'etc/fix-email-auth'), { recursive: true, mode: 0o700 });
    writeFileSync(join(s.root, 'etc/fix-email-auth/whm-token'), 'OLDSECRET0123456789\n', { mode: 0o600 });
    mkdirSync(join(s.root, 'var/cpanel'), { recursive: true });
    writeFileSync(
      join(s.root, 'var/cpanel/stub-api-tokens.json'),
      JSON.stringify({
        'fix-email-auth': { name: 'fix-email-auth', acls: ['list-accts', 'acct-summary', 'edit-dns', 'create-dns'], create_time: 1 },
      }),
    );
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm']);
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    expect(
      mutating(result.calls)
        .filter((c) => c.cmd === 'whmapi1')
        .map((c) => c.args),
    ).toEqual([['--output=json', 'api_token_update', 'token_name=fix-email-auth', 'acl-0=all']]);
    expect(readFileSync(join(s.root, 'etc/fix-email-auth/whm-token'), 'utf8')).toBe('OLDSECRET0123456789\n');
    expect(JSON.parse(readFileSync(join(s.root, 'var/cpanel/stub-api-tokens.json'), 'utf8'))['fix-email-auth'].acls).toEqual(['all']);
  });

  test('when it runs once more, then the token is left alone', async () => {
    const result = await script(s, INSTALL, []);
    expect(result.code).toBe(0);
    expect(mutating(result.calls)).toEqual([]);
  });
});

describe('refusals', () => {
  let s: Staged;
  beforeEach(() => {
    s = stage();
  });
  afterEach(() => rmSync(s.dir, { recursive: true, force: true }));

  const untouched = (staged: Staged, start: Record<string, Entry>) => expect(filesOnly(snapshot(staged.root))).toEqual(filesOnly(start));

  test('when --auth-id is missing on the first install, then it stops before registering anything', async () => {
    const start = snapshot(s.root);
    const result = await script(s, INSTALL, []);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--auth-id is required on the first install');
    expect(mutating(result.calls)).toEqual([]);
    untouched(s, start);
  });

  test.each([
    [['--auth-id', 'web hosting'], '--auth-id'],
    [['--auth-id', 'webhostingm', '--backup', 'sometimes'], '--backup must be one of'],
    [['--auth-id', 'webhostingm', '--sender-id-template', 'webhostingm|{user}'], '--sender-id-template'],
  ])('when a flag is invalid (%j), then it says which and registers nothing', async (args, message) => {
    const result = await script(s, INSTALL, args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(mutating(result.calls)).toEqual([]);
  });

  test('when the server is not a cPanel server, then it refuses', async () => {
    rmSync(join(s.root, 'usr/local/cpanel/version'));
    const start = snapshot(s.root);
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('not a cPanel & WHM server');
    untouched(s, start);
  });

  test('when the package is not built, then a staged install refuses with the build command', async () => {
    rmSync(join(s.source, 'dist'), { recursive: true });
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('npm ci && npm run build');
  });

  test('when no Node is on PATH or in ea-nodejs, then it says how to install one', async () => {
    const bin = join(s.dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'cmp', 'cp', 'mv', 'rm', 'mkdir', 'chmod', 'sed', 'cat', 'dirname', 'mktemp', 'sort', 'id'])
      symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm'], { PATH: bin });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('dnf install -y ea-nodejs22');
    expect(result.stderr).toContain('yum install -y ea-nodejs22');
  });

  test('when PATH has a current Node and ea-nodejs 20, 22 and 24 exist, then ea-nodejs24 is used (the newest cPanel package first)', async () => {
    for (const version of ['20', '22', '24']) {
      mkdirSync(join(s.root, `opt/cpanel/ea-nodejs${version}/bin`), { recursive: true });
      symlinkSync(process.execPath, join(s.root, `opt/cpanel/ea-nodejs${version}/bin/node`));
    }
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(s.root, 'etc/systemd/system/fix-email-auth.service'), 'utf8')).toContain(
      'ExecStart=/opt/cpanel/ea-nodejs24/bin/node /opt/fix-email-auth/bin/fix-email-auth serve',
    );
  });

  test('when PATH has an old Node but ea-nodejs has newer ones, then the newest ea-nodejs is used', async () => {
    const bin = join(s.dir, 'bin');
    mkdirSync(bin);
    // Node 18 to the installer's version check; the stand-ins of cPanel's commands still run on the real Node.
    writeFileSync(join(bin, 'node'), `#!/bin/sh\nif [ "$1" = "-e" ]; then printf 18; else exec ${process.execPath} "$@"; fi\n`);
    chmodSync(join(bin, 'node'), 0o755);
    for (const version of ['20', '22']) {
      mkdirSync(join(s.root, `opt/cpanel/ea-nodejs${version}/bin`), { recursive: true });
      symlinkSync(process.execPath, join(s.root, `opt/cpanel/ea-nodejs${version}/bin/node`));
    }
    const result = await script(s, INSTALL, ['--auth-id', 'webhostingm'], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).toBe(0);
    expect(readFileSync(join(s.root, 'usr/local/cpanel/bin/admin/FixEmailAuth/FixEmailAuth'), 'utf8').split('\n')[0]).toBe(
      '#!/usr/bin/env -S -i PATH=/usr/bin:/bin /opt/cpanel/ea-nodejs22/bin/node',
    );
  });
});
