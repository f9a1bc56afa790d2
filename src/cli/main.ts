/**
 * Entry point of `fix-email-auth`: parse the command line, run one use case, render. Each command
 * lives in `commands/<name>.ts` and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { createInterface } from 'readline';
import { describeError, isInputError } from '../errors';
import { CliExit, CliIO, EXIT_BAD_INPUT } from './io';
import { commandsFor } from './commands';
import { version as packageVersion } from '../../package.json';

export function buildProgram(io: CliIO, setExit: (code: number) => void, argv: readonly string[] = []): Command {
  const program = new Command('fix-email-auth')
    .description('Find and repair broken MailChannels Domain Lockdown records; check SPF, DKIM and DMARC.')
    .version(packageVersion)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError();
  for (const register of commandsFor(argv)) register(program, io, setExit);
  return program;
}

/** Run the CLI with `argv` (without node and script) and return the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    argv,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander but success to the user.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return EXIT_BAD_INPUT;
    }
    if (err instanceof CliExit) {
      if (err.message) io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`fix-email-auth: ${describeError(err)}\n`);
    return isInputError(err) ? EXIT_BAD_INPUT : 3;
  }
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    confirm: process.stdin.isTTY
      ? (question) =>
          new Promise((resolve) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            rl.question(`${question} [y/N] `, (answer) => {
              rl.close();
              resolve(/^y(es)?$/i.test(answer.trim()));
            });
          })
      : undefined,
  };
}

export function runFromProcess(): void {
  run(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`fix-email-auth: ${describeError(err)}\n`);
      process.exitCode = 3;
    },
  );
}
