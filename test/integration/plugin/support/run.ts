/**
 * Runs a plugin executable the way cPanel does (stdin in, stdout out) with a kill timer, so a bridge
 * that hangs fails its test instead of stalling the suite.
 */
import { spawn } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

export const REPO = resolve(__dirname, '../../../..');
export const ADMINBIN = join(REPO, 'plugin/adminbin/FixEmailAuth');
export const HOOK = join(REPO, 'plugin/hooks/fix-email-auth-hook');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  /** True when the kill timer fired before the process ended. */
  killed: boolean;
  ms: number;
}

export function run(
  command: string,
  args: string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; killAfterMs?: number; cwd?: string; keepStdinOpen?: boolean } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, options.killAfterMs ?? 10000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      done({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        killed,
        ms: Date.now() - started,
      });
    });
    if (options.keepStdinOpen) {
      if (options.input !== undefined) child.stdin.write(options.input);
    } else if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** The adminbin's answer: `.\n` then one JSON object (docs/reference/cpanel-plugins.md §6.2). */
export function parseAdminbinAnswer(stdout: string): any {
  if (!stdout.startsWith('.\n')) throw new Error(`adminbin answer does not start with ".\\n": ${JSON.stringify(stdout.slice(0, 200))}`);
  return JSON.parse(stdout.slice(2));
}

/** The cPanel accounts of the tests, as /etc/passwd and /var/cpanel/users would show them. */
export const UIDS = { root: 0, alice: 1001, bob: 1002, ghost: 1003, carol: 1004 } as const;

export function writeIdentityFiles(dir: string): { passwd: string; usersDir: string } {
  const passwd = join(dir, 'passwd');
  const usersDir = join(dir, 'cpanel-users');
  writeFileSync(
    passwd,
    [
      'root:x:0:0:root:/root:/bin/bash',
      'alice:x:1001:1001::/home/alice:/bin/bash',
      'bob:x:1002:1002::/home/bob:/bin/bash',
      // A system user that is not a cPanel account (no /var/cpanel/users file).
      'ghost:x:1003:1003::/home/ghost:/sbin/nologin',
      'carol:x:1004:1004::/home/carol:/bin/bash',
      '',
    ].join('\n'),
  );
  mkdirSync(usersDir, { recursive: true });
  writeFileSync(join(usersDir, 'alice'), 'DNS=example.com\n');
  writeFileSync(join(usersDir, 'bob'), 'DNS=bob.example\n');
  writeFileSync(join(usersDir, 'carol'), 'DNS=carol.example\n');
  return { passwd, usersDir };
}

/** Environment of a bridge run in tests: its identity files and the daemon socket. */
export function bridgeEnv(
  identity: { passwd: string; usersDir: string },
  socket: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    FIX_EMAIL_AUTH_PASSWD: identity.passwd,
    FIX_EMAIL_AUTH_CPANEL_USERS_DIR: identity.usersDir,
    FIX_EMAIL_AUTH_SOCKET: socket,
    FIX_EMAIL_AUTH_CONFIG: '/nonexistent/config.json',
    ...extra,
  };
}

/** The stdin cpwrapd writes for a full-mode adminbin. */
export function protocolInput(uid: number, action: string, payload: unknown): string {
  return `${uid} ${action}\n.\n${JSON.stringify(payload)}`;
}
