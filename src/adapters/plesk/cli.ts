/**
 * The local fallback: Plesk's command-line utilities, `plesk bin <utility> …`, run by the root daemon
 * with execFile (no shell, arguments as a list) and a deadline. Used when no API key is configured.
 * Documented: https://docs.plesk.com/en-US/obsidian/cli-linux/using-command-line-utilities/dns-dns-zones-on-domains.37771
 * (`dns --info|--add|--del`, exit code 2 when an added record exists). Output texts are read
 * leniently because their exact wording is unverified (docs/reference/plesk.md §4).
 */
import { execFile } from 'child_process';
import { FixEmailAuthError, type Step } from '../../errors';

export interface CliAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PleskCli {
  readonly description: string;
  run(utility: 'dns' | 'site', args: readonly string[], step: Step): Promise<CliAnswer>;
}

export interface LocalCliOptions {
  /** `/usr/sbin/plesk` */
  binary: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

const MAX_OUTPUT = 64 * 1024 * 1024;

export class LocalPleskCli implements PleskCli {
  readonly description: string;

  constructor(private readonly options: LocalCliOptions) {
    this.description = `${options.binary} bin`;
  }

  run(utility: 'dns' | 'site', args: readonly string[], step: Step): Promise<CliAnswer> {
    const what = `plesk bin ${utility} ${args[0] ?? ''}`.trim();
    return new Promise((resolve, reject) => {
      execFile(
        this.options.binary,
        ['bin', utility, ...args],
        {
          encoding: 'utf8',
          timeout: this.options.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: MAX_OUTPUT,
          env: this.options.env ?? process.env,
          shell: false,
        },
        (err, stdout, stderr) => {
          const errno = err as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
          if (errno?.killed) {
            reject(new FixEmailAuthError('TIMEOUT', `${what}: no answer within ${this.options.timeoutMs} ms (killed)`, { step }));
            return;
          }
          if (errno && typeof errno.code === 'string') {
            reject(
              new FixEmailAuthError('TRANSPORT', `${what}: cannot run ${this.options.binary} (${errno.code}); check plesk.cli`, {
                step,
                cause: err,
              }),
            );
            return;
          }
          resolve({ code: typeof errno?.code === 'number' ? errno.code : 0, stdout, stderr });
        },
      );
    });
  }
}

/** A failed utility run as a typed error: "Unable to find domain" → UNKNOWN_DOMAIN, else API_ERROR. */
export function cliFailure(what: string, answer: CliAnswer, step: Step): FixEmailAuthError {
  const text = (answer.stderr || answer.stdout).trim().split('\n').slice(-3).join(' ');
  const code = /unable to find (domain|site)|domain does not exist/i.test(text) ? 'UNKNOWN_DOMAIN' : 'API_ERROR';
  return new FixEmailAuthError(code, `${what}: exit ${answer.code}: ${text || 'no message'}`, {
    step,
    upstream: { code: answer.code, stdout: answer.stdout.slice(0, 2000), stderr: answer.stderr.slice(0, 2000) },
  });
}
