/**
 * Running `jetbackup5api`: always `execFile` with an argv array, never a shell, so a value can never
 * be read as shell syntax. Injected into the client so unit tests can answer without a process.
 */
import { execFile } from 'child_process';

export interface ExecRequest {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed by a signal. */
  exitCode: number | null;
}

/** Failures to start or finish a process (not a non-zero exit: that is an ExecResult). */
export class ExecFailure extends Error {
  constructor(
    readonly kind: 'not-found' | 'not-runnable' | 'timeout' | 'other',
    message: string,
    readonly partial?: ExecResult,
  ) {
    super(message);
    this.name = 'ExecFailure';
  }
}

export type ExecFn = (file: string, args: readonly string[], request: ExecRequest) => Promise<ExecResult>;

/** Room for `get_log_contents=1` answers, which carry a whole queue log. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export const execFileRunner: ExecFn = (file, args, request) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        timeout: request.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        env: request.env ?? process.env,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const result: ExecResult = { stdout: String(stdout), stderr: String(stderr), exitCode: 0 };
        if (!error) return resolve(result);
        const err = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
        if (err.code === 'ENOENT') return reject(new ExecFailure('not-found', `${file} does not exist`));
        if (err.code === 'EACCES' || err.code === 'EPERM')
          return reject(new ExecFailure('not-runnable', `${file} cannot be run (${err.code})`));
        if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return reject(new ExecFailure('other', `${file} printed more than ${MAX_OUTPUT_BYTES} bytes`));
        if (err.killed && err.signal) {
          return reject(new ExecFailure('timeout', `${file} did not answer within ${request.timeoutMs} ms`, { ...result, exitCode: null }));
        }
        if (typeof err.code === 'number') return resolve({ ...result, exitCode: err.code });
        if (err.signal) return resolve({ ...result, exitCode: null });
        reject(new ExecFailure('other', err.message));
      },
    );
  });
