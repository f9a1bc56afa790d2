/**
 * Run `whmapi1` / `uapi` (docs/reference/cpanel-api.md §3) with execFile — never a shell, arguments as an array — and a
 * hard deadline, then parse the JSON it printed (`--output=json`). A non-zero exit with JSON on stdout is
 * still an API answer (the envelope says what failed); without JSON it is a TRANSPORT failure.
 *
 * The tool's stderr stays in the error's `upstream`, never in its message: messages reach cPanel users
 * (pages, job results), and a tool's error output can name paths and internals of the server. The
 * daemon logs `upstream`; the CLI shows it to root (cli/main.ts).
 */
import { execFile } from 'child_process';
import type { Step } from '../../errors';
import { cpanelError, excerpt } from './failures';
import type { RawAnswer } from './types';

export interface CliCall {
  binary: string;
  args: string[];
  timeoutMs: number;
  step: Step;
  /** What is being called, for messages (`whmapi1 parse_dns_zone`). */
  what: string;
  /** Name of the config key that sets the binary, for the "not found" hint. */
  configKey: string;
  env?: NodeJS.ProcessEnv;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function runCliJson(call: CliCall): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    let timedOut = false;
    const child = execFile(
      call.binary,
      call.args,
      { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, env: call.env ?? process.env, windowsHide: true, shell: false },
      (err, stdout, stderr) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(
            cpanelError('TIMEOUT', `${call.what}: no answer within ${call.timeoutMs} ms (process killed)`, {
              step: call.step,
              upstream: { stderr: excerpt(stderr) },
            }),
          );
          return;
        }
        const errno = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (errno && (errno.code === 'ENOENT' || errno.code === 'EACCES')) {
          reject(
            cpanelError('TRANSPORT', `${call.what}: cannot run ${call.binary} (${errno.code}); check ${call.configKey}`, {
              step: call.step,
              retryable: false,
              cause: err,
            }),
          );
          return;
        }
        if (errno && errno.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(
            cpanelError('TRANSPORT', `${call.what}: output exceeds ${MAX_OUTPUT_BYTES} bytes`, {
              step: call.step,
              retryable: false,
              cause: err,
            }),
          );
          return;
        }
        const exitCode = typeof errno?.code === 'number' ? errno.code : errno ? null : 0;
        try {
          resolve({ httpStatus: null, body: JSON.parse(stdout) as unknown });
        } catch {
          const how = exitCode === null ? `was stopped (${child.signalCode ?? errno?.message ?? 'unknown'})` : `exited with ${exitCode}`;
          reject(
            cpanelError(
              'TRANSPORT',
              `${call.what}: ${call.binary} ${how} without printing JSON${stderr.trim() ? ' (its error output is in the log)' : ''}`,
              {
                step: call.step,
                cause: err ?? undefined,
                upstream: { exitCode, stdout: excerpt(stdout), stderr: excerpt(stderr) },
              },
            ),
          );
        }
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, call.timeoutMs);
  });
}
