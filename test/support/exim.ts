/**
 * A real Exim (Debian's exim4-daemon-light, 4.96 here) for tests, relaying every message to the
 * MailChannels relay double the way cPanel's MailChannels smarthost setup does
 * (test/support/exim/exim.conf.template), with its own spool and main log in a temp folder.
 *
 * How it runs, and why:
 * - `exim -C <our config>`: Exim accepts an alternate configuration from root, but because the file
 *   is not in its TRUSTED_CONFIG_LIST (/etc/exim4/trusted_configs on Debian; we do not edit /etc),
 *   it gives up root for the exim user ("exim user lost privilege for using -C option" in the log).
 *   So the temp folder must be traversable, and the spool and log folders owned by the exim user
 *   (Debian-exim on Debian). A non-root caller with -C would run as itself and could not write that
 *   spool, so the tests must run as root (CI does; so do cPanel servers).
 * - A local submission "as cPanel user alice" (docs/reference/mailchannels.md §6.2 row 1): the test process is root,
 *   a trusted caller, and passes `-oMai alice -oMt alice` (what adapters/mail calls the
 *   `trusted-caller` identity): `$authenticated_id` is alice (so `X-AuthUser: alice`) and the
 *   arrival line reads `U=alice P=local`, as when alice's own PHP calls sendmail. Running sendmail as a
 *   real Unix user is what production does (`setuid`), but with -C it would drop to that user and
 *   fail on the spool (see above).
 * - A mailbox login (row 2) submits over SMTP AUTH to an `exim -bdf` daemon on a loopback port; the
 *   `dovecot_login` authenticator sets `$authenticated_id` to the login (`A=dovecot_login:joe@…`).
 * - Local submissions use `-odf` (deliver in the foreground): when sendmail returns, the relay has
 *   answered and the log lines are written. SMTP submissions are delivered by a process the daemon
 *   forks; tests wait for the log lines with a bounded wait.
 */
import { spawn, type ChildProcess } from 'child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createConnection, createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';
import { createTransport } from 'nodemailer';
import { findPasswdEntry } from '../../src/adapters/mail/passwd';
import { parseMessageLine } from '../../src/adapters/mail/logLine';

export const EXIM_INSTALL_HINT = 'apt-get install exim4-daemon-light';
const TEMPLATE = join(__dirname, 'exim', 'exim.conf.template');

/** The two `X-AuthUser` transport forms of docs/reference/mailchannels.md §9. */
export const X_AUTHUSER_FORMS = {
  plain: 'X-AuthUser: $authenticated_id',
  appendHostname:
    'X-AuthUser: ${if match {$authenticated_id}{.*@.*}{$authenticated_id} {${if match {$authenticated_id}{.+}{$authenticated_id@$primary_hostname}{$authenticated_id}}}}',
} as const;

export interface EximOptions {
  relayPort: number;
  relayUsername: string;
  relayPassword: string;
  primaryHostname?: string;
  /** Mailbox logins the SMTP daemon accepts (login → password). */
  mailboxes?: Record<string, string>;
  xAuthUser?: keyof typeof X_AUTHUSER_FORMS;
  /** Start the SMTP daemon for mailbox submissions (default false). */
  smtpDaemon?: boolean;
}

export interface LocalSubmission {
  /** The cPanel user to stand in for (`-oMai`/`-oMt`). */
  user: string;
  envelopeFrom: string;
  /** Whole message, LF line ends; recipients are read from its header (`-t`). */
  message: string;
}

export interface SmtpSubmission {
  login: string;
  password: string;
  from: string;
  to: string;
  subject: string;
  /** Extra header fields (e.g. a forged X-AuthUser). */
  headers?: Record<string, string>;
}

export interface Exim {
  readonly binary: string;
  readonly dir: string;
  readonly configPath: string;
  readonly mainlog: string;
  /** `sendmail` for the code under test: runs this Exim with `-C <config> -odf` and the caller's arguments. */
  readonly sendmailPath: string;
  readonly smtpPort: number | null;
  submitLocal(submission: LocalSubmission): Promise<void>;
  submitSmtp(submission: SmtpSubmission): Promise<string>;
  log(): string;
  /** Wait (bounded) until the main log holds a line with this Exim id and flag; returns that line. */
  waitForLine(eximId: string, flags: readonly string[], timeoutMs?: number): Promise<string>;
  /** The Exim id of the arrival whose line contains `text` (e.g. `id=<message-id>`), waiting boundedly. */
  waitForArrival(text: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function findExim(): string | null {
  return ['/usr/sbin/exim4', '/usr/sbin/exim', '/usr/bin/exim'].find((p) => existsSync(p)) ?? null;
}

/** Debian's exim user, or the names other distributions use. */
function eximAccount(): { name: string; uid: number; gid: number } {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  for (const name of ['Debian-exim', 'exim', 'mailnull']) {
    const entry = findPasswdEntry(passwd, name);
    if (entry) return { name, uid: entry.uid, gid: entry.gid };
  }
  throw new Error(`no exim user (Debian-exim, exim or mailnull) in /etc/passwd: ${EXIM_INSTALL_HINT}`);
}

/** Exim runs as its own user: every folder above the temp folder must let that user through. */
function assertTraversable(folder: string, account: { name: string; uid: number }): void {
  for (let d = resolve(folder); ; d = dirname(d)) {
    const s = statSync(d);
    if (s.uid !== account.uid && (s.mode & 0o001) === 0) {
      throw new Error(
        `the exim user ${account.name} cannot enter ${d} (mode ${(s.mode & 0o777).toString(8)}); point TMPDIR at a folder others may traverse, e.g. /tmp`,
      );
    }
    if (d === dirname(d)) return;
  }
}

function groupName(gid: number): string {
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const fields = line.split(':');
    if (fields[2] === String(gid) && fields[0]) return fields[0];
  }
  return String(gid);
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

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Values go into the config verbatim: keep them to characters that need no Exim quoting. */
function configValue(name: string, value: string): string {
  if (!/^[A-Za-z0-9._@/+-]+$/.test(value))
    throw new Error(`exim harness: ${name} ${JSON.stringify(value)} needs quoting; use plain characters`);
  return value;
}

function run(binary: string, args: string[], input: string, timeoutMs = 15000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`exim ${args.join(' ')} did not finish within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    // Exim may exit before reading its input (-bV reads none): its status tells the story, not EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

export async function startExim(options: EximOptions): Promise<Exim> {
  const binary = findExim();
  if (!binary) throw new Error(`Exim is not installed (no /usr/sbin/exim4 or /usr/sbin/exim): ${EXIM_INSTALL_HINT}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('the Exim harness must run as root: with -C, Exim runs as the exim user and needs a spool that user owns');
  }
  const account = eximAccount();
  assertTraversable(tmpdir(), account);
  const dir = mkdtempSync(join(tmpdir(), 'fea-exim-'));
  try {
    return await startIn(dir, binary, account, options);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(
  dir: string,
  binary: string,
  account: { name: string; uid: number; gid: number },
  options: EximOptions,
): Promise<Exim> {
  // mkdtemp makes 0700; the exim user must reach the config, spool and log inside.
  chmodSync(dir, 0o755);
  const spool = join(dir, 'spool');
  const logDir = join(dir, 'log');
  for (const d of [spool, logDir]) {
    mkdirSync(d);
    chownSync(d, account.uid, account.gid);
  }
  const mailboxesFile = join(dir, 'mailboxes');
  writeFileSync(
    mailboxesFile,
    Object.entries(options.mailboxes ?? {})
      .map(([login, pw]) => `${configValue('mailbox', login)}: ${configValue('password', pw)}\n`)
      .join(''),
    { mode: 0o644 },
  );
  const smtpPort = options.smtpDaemon ? await freePort() : null;
  const values: Record<string, string> = {
    PRIMARY_HOSTNAME: configValue('primaryHostname', options.primaryHostname ?? 'host.example.net'),
    EXIM_USER: account.name,
    EXIM_GROUP: groupName(account.gid),
    SPOOL_DIR: spool,
    LOG_DIR: logDir,
    SMTP_PORT: String(smtpPort ?? 25),
    RELAY_HOST: '127.0.0.1',
    RELAY_PORT: String(options.relayPort),
    RELAY_USERNAME: configValue('relayUsername', options.relayUsername),
    RELAY_PASSWORD: configValue('relayPassword', options.relayPassword),
    MAILBOXES_FILE: mailboxesFile,
    X_AUTHUSER_HEADER: X_AUTHUSER_FORMS[options.xAuthUser ?? 'plain'],
  };
  const config = readFileSync(TEMPLATE, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`exim template: unknown placeholder ${whole}`);
    return value;
  });
  const configPath = join(dir, 'exim.conf');
  writeFileSync(configPath, config, { mode: 0o644 });
  const mainlog = join(logDir, 'mainlog');

  const check = await run(binary, ['-C', configPath, '-bV'], '');
  if (check.code !== 0) {
    throw new Error(`exim rejected the test configuration:\n${check.stderr}`);
  }

  const sendmailPath = join(dir, 'sendmail');
  writeFileSync(
    sendmailPath,
    `#!/bin/sh\n# Exim with the harness configuration, delivering in the foreground.\nexec ${binary} -C ${configPath} -odf "$@"\n`,
    { mode: 0o755 },
  );

  let daemon: ChildProcess | null = null;
  if (smtpPort !== null) {
    let output = '';
    daemon = spawn(binary, ['-C', configPath, '-bdf', '-oX', String(smtpPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    daemon.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    let up = false;
    for (let i = 0; i < 100 && !up && daemon.exitCode === null; i++) {
      up = await canConnect(smtpPort);
      if (!up) await sleep(50);
    }
    if (!up) {
      daemon.kill('SIGKILL');
      throw new Error(`exim -bdf did not listen on 127.0.0.1:${smtpPort}:\n${output}`);
    }
  }

  const log = () => (existsSync(mainlog) ? readFileSync(mainlog, 'latin1') : '');

  async function waitFor<T>(what: string, find: () => T | null, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== null) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; main log:\n${log().slice(-3000)}`);
      await sleep(50);
    }
  }

  return {
    binary,
    dir,
    configPath,
    mainlog,
    sendmailPath,
    smtpPort,
    log,
    async submitLocal(s) {
      const result = await run(
        binary,
        ['-C', configPath, '-odf', '-oMai', s.user, '-oMt', s.user, '-f', s.envelopeFrom, '-t', '-i'],
        s.message,
      );
      if (result.code !== 0) throw new Error(`exim local submission failed (${result.code}): ${result.stderr}`);
    },
    async submitSmtp(s) {
      if (smtpPort === null) throw new Error('start the harness with smtpDaemon: true to submit over SMTP');
      const transport = createTransport({
        host: '127.0.0.1',
        port: smtpPort,
        secure: false,
        ignoreTLS: true,
        auth: { user: s.login, pass: s.password, method: 'LOGIN' },
      });
      try {
        const info = await transport.sendMail({ from: s.from, to: s.to, subject: s.subject, text: 'test\n', headers: s.headers ?? {} });
        return info.messageId.replace(/^<|>$/g, '');
      } finally {
        transport.close();
      }
    },
    waitForLine(eximId, flags, timeoutMs = 10000) {
      return waitFor(
        `a ${flags.join('/')} line of ${eximId}`,
        () =>
          log()
            .split('\n')
            .find((line) => {
              const parsed = parseMessageLine(line);
              return parsed !== null && parsed.eximId === eximId && flags.includes(parsed.flag);
            }) ?? null,
        timeoutMs,
      );
    },
    waitForArrival(text, timeoutMs = 10000) {
      return waitFor(
        `an arrival containing ${text}`,
        () => {
          for (const line of log().split('\n')) {
            const parsed = parseMessageLine(line);
            if (parsed && parsed.flag === '<=' && line.includes(text)) return parsed.eximId;
          }
          return null;
        },
        timeoutMs,
      );
    },
    async stop() {
      if (daemon && daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon?.once('exit', resolve));
        daemon.kill('SIGTERM');
        const timer = setTimeout(() => daemon?.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
