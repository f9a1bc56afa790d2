/**
 * One `jetbackup5api -F <fn> [-D <query>] -O json` call (docs/reference/jetbackup-and-exim.md §1.1): build the
 * argv, run it with a per-call timeout, read the envelope, and turn every way it can go wrong into a
 * JetBackupError with a reason. Success is decided by the envelope's `success`, never the exit code.
 */
import type { Step } from '../../errors';
import { parseEnvelope } from './envelope';
import { ExecFailure, execFileRunner, type ExecFn } from './exec';
import { JetBackupError } from './jetbackup-error';
import { silentLogger, type JetBackupLogger } from './logger';
import { booleanStyleFor, encodeQuery, type BooleanStyle, type QueryParams } from './query-string';

export interface JetBackupCliOptions {
  /** Path of `jetbackup5api` (config `backup.jetbackupApi`). */
  apiPath: string;
  callTimeoutMs: number;
  exec?: ExecFn;
  /** Environment of the child process (default: the daemon's). */
  env?: NodeJS.ProcessEnv;
  /** Force one boolean style for every function (query-string.ts explains why it is a switch). */
  booleanStyle?: BooleanStyle;
  logger?: JetBackupLogger;
}

export interface CallResult {
  data: unknown;
  message: string;
}

export class JetBackupCli {
  private readonly exec: ExecFn;
  private readonly logger: JetBackupLogger;

  constructor(private readonly options: JetBackupCliOptions) {
    this.exec = options.exec ?? execFileRunner;
    this.logger = options.logger ?? silentLogger;
  }

  get apiPath(): string {
    return this.options.apiPath;
  }

  /** The argv after the program name; exported for tests and logs. */
  argsFor(fn: string, params: QueryParams): string[] {
    const query = encodeQuery(params, booleanStyleFor(fn, this.options.booleanStyle));
    return query === '' ? ['-F', fn, '-O', 'json'] : ['-F', fn, '-D', query, '-O', 'json'];
  }

  async call(fn: string, params: QueryParams, step: Step): Promise<CallResult> {
    const args = this.argsFor(fn, params);
    const path = this.options.apiPath;
    this.logger.debug('jetbackup5api call', { fn, args });
    let result;
    try {
      result = await this.exec(path, args, { timeoutMs: this.options.callTimeoutMs, env: this.options.env });
    } catch (err) {
      throw this.execError(err, fn, step);
    }
    const parsed = parseEnvelope(result.stdout);
    if (!parsed.ok) {
      const stderr = result.stderr.trim();
      throw new JetBackupError(
        'bad-output',
        `JetBackup's ${fn} gave no usable answer: ${parsed.problem} (exit code ${result.exitCode ?? 'none'}${stderr ? `; stderr: ${stderr.slice(0, 500)}` : ''})`,
        { step, upstream: { stdout: result.stdout.slice(0, 4000), stderr: result.stderr.slice(0, 4000), exitCode: result.exitCode } },
      );
    }
    const { envelope } = parsed;
    if (!envelope.success) {
      throw new JetBackupError('api-error', `JetBackup's ${fn} failed: ${envelope.message || '(no message)'}`, {
        step,
        upstream: envelope,
      });
    }
    if (result.exitCode !== 0)
      this.logger.warn('jetbackup5api exited non-zero with success:1; trusting the JSON', { fn, exitCode: result.exitCode });
    return { data: envelope.data, message: envelope.message };
  }

  private execError(err: unknown, fn: string, step: Step): JetBackupError {
    const path = this.options.apiPath;
    if (err instanceof ExecFailure) {
      switch (err.kind) {
        case 'not-found':
          return new JetBackupError('not-installed', `JetBackup is not installed: ${path} does not exist`, { step, cause: err });
        case 'not-runnable':
          return new JetBackupError('not-runnable', `${path} cannot be run by this process (JetBackup's API needs root): ${err.message}`, {
            step,
            cause: err,
          });
        case 'timeout':
          return new JetBackupError(
            'call-timeout',
            `JetBackup's ${fn} did not answer within ${Math.round(this.options.callTimeoutMs / 1000)} s`,
            { step, cause: err },
          );
        default:
          return new JetBackupError('bad-output', `Running ${path} -F ${fn} failed: ${err.message}`, { step, cause: err });
      }
    }
    return new JetBackupError('bad-output', `Running ${path} -F ${fn} failed: ${err instanceof Error ? err.message : String(err)}`, {
      step,
      cause: err,
    });
  }
}
