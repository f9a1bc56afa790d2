/**
 * A staged cPanel server for scripts/install.sh --root: the directories a real server has, the
 * version file, and test/support/cpanel-stubs linked where cPanel keeps its commands; plus a small
 * built package (--source) so the installer's copying is tested without the real node_modules.
 */
import { createHash } from 'crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { dirname, join, relative } from 'path';
import { REPO } from './run';

const STUBS = join(REPO, 'test/support/cpanel-stubs');

/** Where each stand-in goes, as docs/reference/cpanel-plugins.md names the real commands. */
const COMMANDS: Record<string, string> = {
  'usr/local/cpanel/scripts/install_plugin': 'install_plugin',
  'usr/local/cpanel/scripts/uninstall_plugin': 'uninstall_plugin',
  'usr/local/cpanel/bin/register_appconfig': 'register_appconfig',
  'usr/local/cpanel/bin/unregister_appconfig': 'unregister_appconfig',
  'usr/local/cpanel/bin/manage_hooks': 'manage_hooks',
  'usr/local/cpanel/bin/whmapi1': 'whmapi1',
  'usr/bin/systemctl': 'systemctl',
};

/** Directories a cPanel & WHM server already has (the installer creates only its own). */
const SERVER_DIRS = [
  'usr/local/cpanel/Cpanel/API',
  'usr/local/cpanel/base/frontend/jupiter',
  'usr/local/cpanel/bin/admin',
  'usr/local/cpanel/whostmgr/docroot/cgi',
  'usr/local/cpanel/whostmgr/docroot/addon_plugins',
  'usr/local/cpanel/whostmgr/addonfeatures',
  'etc/systemd/system',
  'var/cpanel/users',
  'var/cpanel/apps',
  'opt',
  'run',
];

export function stageServer(root: string): void {
  for (const dir of SERVER_DIRS) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'usr/local/cpanel/version'), '11.120.0.16\n');
  for (const [path, stub] of Object.entries(COMMANDS)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(join(STUBS, stub), join(root, path));
  }
}

/** A built copy of the package: the real plugin files, a stand-in dist/ and a tiny node_modules. */
export function stageSource(source: string): void {
  cpSync(join(REPO, 'plugin'), join(source, 'plugin'), { recursive: true });
  cpSync(join(REPO, 'install.json'), join(source, 'install.json'));
  cpSync(join(REPO, 'bin'), join(source, 'bin'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(source, 'package.json'));
  const files: Record<string, string> = {
    'dist/cli/main.js': "exports.runFromProcess = () => process.stdout.write('stub daemon\\n');\n",
    'views/layout.ejs': '<main><%- body %></main>\n',
    'node_modules/tiny-prod/index.js': 'module.exports = 1;\n',
    'node_modules/tiny-prod/bin/cli': '#!/bin/sh\necho tiny\n',
    'node_modules/tiny-prod/node_modules/nested/index.js': 'module.exports = 2;\n',
    'node_modules/@scope/tiny-scoped/index.js': 'module.exports = 3;\n',
    'node_modules/tiny-dev/index.js': 'module.exports = 4;\n',
    'package-lock.json': JSON.stringify({
      name: 'fix-email-auth',
      lockfileVersion: 3,
      packages: {
        '': { name: 'fix-email-auth' },
        'node_modules/tiny-prod': { version: '1.0.0' },
        'node_modules/tiny-prod/node_modules/nested': { version: '1.0.0' },
        'node_modules/@scope/tiny-scoped': { version: '1.0.0' },
        'node_modules/tiny-dev': { version: '1.0.0', dev: true },
        'node_modules/not-on-this-platform': { version: '1.0.0', optional: true },
      },
    }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), text);
  }
  chmodSync(join(source, 'node_modules/tiny-prod/bin/cli'), 0o755);
}

export interface Entry {
  type: 'file' | 'dir' | 'link';
  mode: string;
  sha256?: string;
  target?: string;
}

/** Every path under root with its type, mode and content hash: what "changes nothing" compares. */
export function snapshot(root: string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const stat = lstatSync(full);
      const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
      const path = relative(root, full);
      if (stat.isSymbolicLink()) out[path] = { type: 'link', mode, target: readlinkSync(full) };
      else if (stat.isDirectory()) {
        out[path] = { type: 'dir', mode };
        walk(full);
      } else out[path] = { type: 'file', mode, sha256: createHash('sha256').update(readFileSync(full)).digest('hex') };
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

export interface Call {
  cmd: string;
  args: string[];
}

export function readCalls(log: string): Call[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
}

/** Calls that change something on the server (reads and state queries left out). */
export function mutating(calls: Call[]): Call[] {
  const readOnly = (c: Call) =>
    (c.cmd === 'whmapi1' && c.args.some((a) => a === 'list_hooks' || a === 'api_token_list')) ||
    (c.cmd === 'systemctl' && (c.args[0] === 'is-enabled' || c.args[0] === 'is-active')) ||
    (c.cmd === 'manage_hooks' && c.args[0] === 'list');
  return calls.filter((c) => !readOnly(c));
}

/** The manifest's lines as {kind, mode, owner} by final path. */
export function readManifest(root: string): Record<string, { kind: string; mode: string; owner: string }> {
  const out: Record<string, { kind: string; mode: string; owner: string }> = {};
  for (const line of readFileSync(join(root, 'opt/fix-email-auth/install-manifest.txt'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [kind = '', mode = '', owner = '', path = ''] = line.split(' ');
    out[path] = { kind, mode, owner };
  }
  return out;
}
