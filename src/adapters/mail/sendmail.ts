/**
 * Hand one message to the local MTA through its sendmail interface (`sendmail -t -i -f <from>`),
 * as a given cPanel user, so that Exim records that user as the sender and MailChannels sees the
 * user's `X-AuthUser` (docs/reference/mailchannels.md §6.2 row 1: for local submissions `$authenticated_id` is the
 * login name of the calling process).
 *
 * Two ways to be "that user":
 * - `setuid` (a real server; the daemon runs as root): look the user up in /etc/passwd and start
 *   sendmail with that uid and gid (Node's spawn also drops root's supplementary groups when it
 *   switches user). Exim then sees an untrusted local caller: `U=<user> P=local`,
 *   `$authenticated_id = <user>`, exactly like the user's own PHP `mail()`.
 * - `trusted-caller` (the test harness, or an MTA that cannot be run as the user): stay root, a
 *   trusted Exim caller, and say who the sender is with `-oMai <user>` (`$authenticated_id`) and
 *   `-oMt <user>` (the `U=` ident). Exim-specific options; both need a trusted caller. Without them a
 *   trusted caller that passes `-f` gets an empty `$authenticated_id` (Exim's exim.c sets it to the
 *   login name only for untrusted callers or when no `-f` is given), so the X-AuthUser header would
 *   be empty.
 * - `auto`: `setuid`, unless this process runs with NoNewPrivileges — the shipped systemd unit sets
 *   it. Then a sendmail started as the user cannot gain Exim's setuid root (the kernel ignores the
 *   set-user-ID bit, https://docs.kernel.org/userspace-api/no_new_privs.html) and Exim, running as
 *   the user, cannot write its spool ("Failed to create spool file … Permission denied"); root stays
 *   root under NoNewPrivileges, so `trusted-caller` works, with the same `X-AuthUser`.
 *
 * Arguments never pass through a shell; the addresses were validated by the use case.
 */
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { FixEmailAuthError } from '../../errors';
import { lookupUnixUser } from './passwd';

export type SubmitIdentity = 'auto' | 'setuid' | 'trusted-caller';

/** This process runs with NoNewPrivileges (`NoNewPrivs: 1` in /proc/self/status, Linux ≥ 4.10). */
export function hasNoNewPrivs(statusText?: string): boolean {
  let text = statusText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      return false;
    }
  }
  return /^NoNewPrivs:\s*1\s*$/m.test(text);
}

export interface SendmailOptions {
  /** The MTA's sendmail program (config `paths.sendmail`). */
  sendmail: string;
  identity: SubmitIdentity;
  /** Extra arguments before ours (e.g. the harness's `-C <config>`); default none. */
  extraArgs?: readonly string[];
  passwdFile?: string;
  /** Give up on sendmail after this long (default 30 s). */
  timeoutMs?: number;
  /** Whether this process runs with NoNewPrivileges (default: read /proc/self/status). */
  noNewPrivs?: () => boolean;
}

export interface Submission {
  /** The cPanel user the message is sent as. */
  user: string;
  /** Envelope sender (`-f`). */
  envelopeFrom: string;
  /** The whole message, header and body, lines ending in LF (`-i`: a lone "." is not the end). */
  message: string;
}

export interface MailSubmitter {
  submit(submission: Submission): Promise<void>;
}

const SAFE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const MAX_STDERR = 2000;

interface SpawnPlan {
  args: string[];
  uid?: number;
  gid?: number;
  env: NodeJS.ProcessEnv;
}

async function planFor(options: SendmailOptions, submission: Submission): Promise<SpawnPlan> {
  const ours = ['-t', '-i', '-f', submission.envelopeFrom];
  const extra = [...(options.extraArgs ?? [])];
  const noNewPrivs = (options.noNewPrivs ?? hasNoNewPrivs)();
  const identity = options.identity === 'auto' ? (noNewPrivs ? 'trusted-caller' : 'setuid') : options.identity;
  if (identity === 'trusted-caller') {
    return { args: [...extra, '-oMai', submission.user, '-oMt', submission.user, ...ours], env: { PATH: SAFE_PATH } };
  }
  if (noNewPrivs)
    throw new FixEmailAuthError(
      'CONFIG_INVALID',
      'mail.submitAs "setuid" cannot work in this process: it runs with NoNewPrivileges (the systemd unit sets it), so sendmail started as the user would not get Exim\'s setuid root and could not write its spool. Use mail.submitAs "auto" (the default) or "trusted-caller".',
      { step: 'mail' },
    );
  const account = await lookupUnixUser(submission.user, options.passwdFile);
  if (!account)
    throw new FixEmailAuthError('NOT_FOUND', `There is no Unix account "${submission.user}" on this server to send the test message as.`, {
      step: 'mail',
    });
  if (account.uid === 0)
    throw new FixEmailAuthError('BAD_INPUT', `"${submission.user}" is a root account; a test message is sent as a cPanel user.`, {
      step: 'mail',
    });
  const env = { PATH: SAFE_PATH, HOME: account.home, USER: account.name, LOGNAME: account.name };
  const current = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (current === account.uid) return { args: [...extra, ...ours], env };
  if (current !== 0)
    throw new FixEmailAuthError('BAD_INPUT', `Sending as "${submission.user}" needs root (this process runs as uid ${current}).`, {
      step: 'mail',
    });
  return { args: [...extra, ...ours], uid: account.uid, gid: account.gid, env };
}

export function createSendmailSubmitter(options: SendmailOptions): MailSubmitter {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async submit(submission) {
      const plan = await planFor(options, submission);
      await new Promise<void>((resolve, reject) => {
        const child = spawn(options.sendmail, plan.args, {
          stdio: ['pipe', 'ignore', 'pipe'],
          env: plan.env,
          cwd: '/',
          ...(plan.uid !== undefined ? { uid: plan.uid, gid: plan.gid } : {}),
        });
        let stderr = '';
        let settled = false;
        const finish = (err?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          finish(
            new FixEmailAuthError('TIMEOUT', `${options.sendmail} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
              step: 'mail',
            }),
          );
        }, timeoutMs);
        child.stderr?.on('data', (chunk: Buffer) => {
          if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
        });
        child.on('error', (err: NodeJS.ErrnoException) =>
          finish(
            new FixEmailAuthError(
              'TRANSPORT',
              `Cannot run ${options.sendmail}: ${err.code === 'ENOENT' ? 'not found (is an MTA installed? config paths.sendmail)' : err.message}`,
              { step: 'mail', cause: err },
            ),
          ),
        );
        child.on('close', (code, signal) => {
          if (code === 0) return finish();
          const why = signal ? `was killed by ${signal}` : `exited with status ${code}`;
          finish(
            new FixEmailAuthError('TRANSPORT', `${options.sendmail} ${why}: ${stderr.trim().slice(0, 500) || 'no message'}`, {
              step: 'mail',
              upstream: stderr.slice(0, MAX_STDERR),
            }),
          );
        });
        // A sendmail that exits early closes its stdin; the exit status tells the story, not EPIPE.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(submission.message);
      });
    },
  };
}
