/**
 * Entry point of `fix-email-auth`: parse the command line, run one use case, render. Each command
 * lives in `commands/<name>.ts` and registers itself on the program.
 */
import { Command, CommanderError } from 'commander';
import { createInterface } from 'readline';
import { describeError, FixEmailAuthError, isInputError } from '../errors';
import { CliExit, CliIO, EXIT_BAD_INPUT } from './io';
import { terminalSafe, terminalSafeWriter } from './render/terminal';
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

/**
 * Run the CLI with `argv` (without node and script) and return the exit code. What reaches the
 * terminal is escaped first (render/terminal.ts): zone data and upstream messages can hold escape
 * sequences, and root reads this output.
 */
export async function run(argv: string[], rawIo: CliIO): Promise<number> {
  const io: CliIO = { ...rawIo, stdout: terminalSafeWriter(rawIo.stdout) };
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
      if (err.message) io.stderr.write(`${terminalSafe(err.message)}\n`);
      return err.exitCode;
    }
    io.stderr.write(`fix-email-auth: ${terminalSafe(describeError(err))}\n${upstreamDetail(err)}`);
    return isInputError(err) ? EXIT_BAD_INPUT : 3;
  }
}

/**
 * What a cPanel tool printed on stderr when it failed: kept out of error messages (pages show those
 * to cPanel users), but root at a shell should see it.
 */
function upstreamDetail(err: unknown): string {
  if (!(err instanceof FixEmailAuthError)) return '';
  const stderr = (err.upstream as { stderr?: unknown } | undefined)?.stderr;
  if (typeof stderr !== 'string' || !stderr.trim()) return '';
  return `  the tool's error output: ${terminalSafe(stderr.trim().slice(0, 2000))}\n`;
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
