/**
 * A real Postfix (Debian's 3.7 package, unpacked by test/support/postfix/obtain.sh — it cannot be
 * installed beside Exim) for tests, relaying every message to the MailChannels relay double the way
 * a Plesk server with a MailChannels smarthost does (`relayhost` + SASL login; docs/reference/plesk.md
 * §8), with its own configuration, queue and log file in a temp folder.
 *
 * How it runs, and why:
 * - `master -c <conf> -d` in the foreground, as root (Postfix's daemons then switch to `mail_owner`
 *   = the `postfix` user the obtain script makes); the queue directories are created first with
 *   `postfix -c <conf> check`, which runs the package's post-install.
 * - The binaries' RUNPATH is /usr/lib/postfix; the unpacked copy's libraries are found through
 *   LD_LIBRARY_PATH, which Postfix passes to its daemons only when `import_environment` lists it.
 * - The log is written by `postlogd` to `maillog_file` (Postfix ≥ 3.4) in Postfix's own line format
 *   (`Mon DD HH:MM:SS host postfix/…`), the fields syslog writes to /var/log/maillog, so no syslog
 *   daemon is needed. `postfix check` runs before postlogd exists, so it logs to /dev/stdout.
 * - Mail is submitted over SMTP to smtpd on a loopback port, optionally with SASL: no setgid
 *   postdrop is involved, and `sasl_username=` is logged as it is for a mailbox login.
 * Without the unpacked Postfix the tests skip, except under CI (CI=true), where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createConnection, createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { createTransport } from 'nodemailer';
import { describeIf } from './requires';

export const POSTFIX_ROOT = process.env.FIX_EMAIL_AUTH_POSTFIX_ROOT || '/opt/fix-email-auth-test/postfix';
export const POSTFIX_HINT = "run test/support/postfix/obtain.sh as root (downloads and unpacks Debian's postfix without installing it)";

export function postfixAvailable(): boolean {
  return existsSync(join(POSTFIX_ROOT, 'usr/sbin/postfix')) && process.getuid?.() === 0 && userExists('postfix');
}

function userExists(name: string): boolean {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((line) => line.startsWith(`${name}:`));
}

/** `describe` when Postfix is there; in CI a missing Postfix fails (test/support/requires.ts), elsewhere it skips. */
export function describeWithPostfix(name: string, body: () => void): void {
  describeIf(postfixAvailable(), `Postfix in ${POSTFIX_ROOT} (${POSTFIX_HINT})`)(name, body);
}

export interface PostfixOptions {
  relayPort: number;
  relayUsername: string;
  relayPassword: string;
  myhostname?: string;
}

export interface Postfix {
  readonly dir: string;
  readonly maillog: string;
  readonly smtpPort: number;
  /** Submit over SMTP (SASL PLAIN when login is given); returns the Message-ID. */
  submit(message: { from: string; to: string; subject: string; login?: { user: string; pass: string } }): Promise<string>;
  log(): string;
  /** Wait (bounded) until the log holds a line matching; returns it. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function mainCf(dir: string, opts: PostfixOptions, logFile: string): string {
  const lib = join(POSTFIX_ROOT, 'usr/lib/postfix');
  const relay = `[127.0.0.1]:${opts.relayPort}`;
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${join(dir, 'queue')}`,
    `data_directory = ${join(dir, 'data')}`,
    `meta_directory = ${join(POSTFIX_ROOT, 'etc/postfix')}`,
    `daemon_directory = ${join(POSTFIX_ROOT, 'usr/lib/postfix/sbin')}`,
    `command_directory = ${join(POSTFIX_ROOT, 'usr/sbin')}`,
    `shlib_directory = ${lib}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${opts.myhostname ?? 'plesk.example.net'}`,
    'mydestination =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    'smtpd_relay_restrictions = permit_mynetworks, reject',
    `relayhost = ${relay}`,
    'smtp_sasl_auth_enable = yes',
    // texthash: read as it is, no postmap step (the usual Plesk smarthost setup uses hash:/etc/postfix/sasl_passwd).
    `smtp_sasl_password_maps = texthash:${join(dir, 'conf', 'sasl_passwd')}`,
    'smtp_sasl_security_options = noanonymous',
    'smtp_tls_security_level = none',
    'smtp_host_lookup = native',
    'smtputf8_enable = no',
    'alias_maps =',
    'alias_database =',
    'biff = no',
    `maillog_file = ${logFile}`,
    // Postfix writes its log only under these prefixes (default /var and /dev/stdout).
    `maillog_file_prefixes = ${dir}, /dev/stdout`,
    `import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH=${lib}`,
    '',
  ].join('\n');
}

function masterCf(smtpPort: number): string {
  const services = [
    `127.0.0.1:${smtpPort} inet n - n - - smtpd -o smtpd_sasl_auth_enable=no`,
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'local unix - n n - - local',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return `${services.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPostfix(opts: PostfixOptions): Promise<Postfix> {
  if (!postfixAvailable()) throw new Error(`Postfix is not available in ${POSTFIX_ROOT}: ${POSTFIX_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'fea-postfix-'));
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  mkdirSync(conf);
  mkdirSync(join(dir, 'queue'), { mode: 0o755 });
  const smtpPort = await freePort();
  const maillog = join(dir, 'maillog');
  writeFileSync(maillog, '');
  writeFileSync(join(conf, 'main.cf'), mainCf(dir, opts, '/dev/stdout'));
  writeFileSync(join(conf, 'master.cf'), masterCf(smtpPort));
  writeFileSync(join(conf, 'sasl_passwd'), `[127.0.0.1]:${opts.relayPort} ${opts.relayUsername}:${opts.relayPassword}\n`, { mode: 0o600 });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: join(POSTFIX_ROOT, 'usr/lib/postfix'), LANG: 'C' };
  const check = spawnSync(join(POSTFIX_ROOT, 'usr/sbin/postfix'), ['-c', conf, 'check'], { env, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`postfix check failed: ${check.stderr}${check.stdout}`);
  writeFileSync(join(conf, 'main.cf'), mainCf(dir, opts, maillog));
  let output = '';
  const master: ChildProcess = spawn(join(POSTFIX_ROOT, 'usr/lib/postfix/sbin/master'), ['-c', conf, '-d'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  master.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  master.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const up = await (async () => {
    for (let i = 0; i < 100; i++) {
      if (master.exitCode !== null) return false;
      const ok = await new Promise<boolean>((resolve) => {
        const s = createConnection({ port: smtpPort, host: '127.0.0.1' });
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) return true;
      await sleep(100);
    }
    return false;
  })();
  if (!up) {
    master.kill('SIGKILL');
    const log = existsSync(maillog) ? readFileSync(maillog, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Postfix did not start: ${output}\n${log.slice(-3000)}`);
  }

  const log = () => readFileSync(maillog, 'utf8');
  return {
    dir,
    maillog,
    smtpPort,
    log,
    submit: async (message) => {
      const transport = createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        ignoreTLS: true,
        ...(message.login ? { auth: message.login } : {}),
      });
      const info = await transport.sendMail({ from: message.from, to: message.to, subject: message.subject, text: 'test body' });
      transport.close();
      return String(info.messageId).replace(/^<|>$/g, '');
    },
    waitForLine: async (pattern, timeoutMs = 15000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const line = log()
          .split('\n')
          .find((l) => pattern.test(l));
        if (line) return line;
        if (Date.now() > until) throw new Error(`no Postfix log line matching ${pattern} within ${timeoutMs} ms:\n${log().slice(-3000)}`);
        await sleep(100);
      }
    },
    stop: async () => {
      if (master.exitCode === null) {
        const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
        master.kill('SIGTERM');
        const timer = setTimeout(() => master.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
