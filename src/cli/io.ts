/**
 * What a CLI command may touch of the outside world, passed in so tests run commands in-process
 * and read what they printed.
 */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Ask a yes/no question on a terminal; undefined when stdin is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes of the CLI contract: 0 ok, 1 problems found, 2 bad input (or could not run). */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown by commands to end with a given exit code after printing `message` on stderr. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
