/**
 * `explain "<bounce text>"` (or `explain -` to read it from stdin) — what a bounce means and the fix.
 * Exit: 1 when the text is a recognised failure (any class but OTHER), 0 otherwise, 2 no text.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { FixEmailAuthError } from '../../errors';
import { BounceExplanation, explainBounce } from '../../usecases/explain';
import { CliIO, EXIT_OK, EXIT_PROBLEMS, printJson } from '../io';

/** Largest input read from stdin; a bounce is a few KB (the classifier looks at 64 KiB at most). */
const MAX_STDIN_BYTES = 1 << 20;

/**
 * CliIO has no stdin yet; a test (or a future CliIO) may provide one as `stdin`, else the process's.
 * Anything async-iterable over strings or Buffers works.
 */
type StdinLike = AsyncIterable<string | Buffer>;

async function readStdin(io: CliIO): Promise<string> {
  const stdin = (io as CliIO & { stdin?: StdinLike }).stdin ?? (process.stdin as StdinLike);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(b);
    size += b.length;
    if (size >= MAX_STDIN_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, MAX_STDIN_BYTES).toString('utf8');
}

function providerIfConfigured(io: CliIO): string | undefined {
  try {
    const authId = loadConfig(io.env, { provider: { authId: 'unconfigured' } }).provider.authId;
    return authId === 'unconfigured' ? undefined : authId;
  } catch {
    return undefined; // the wording is all the config is used for here
  }
}

export function renderExplanation(e: BounceExplanation): string {
  const code = [e.smtpCode, e.enhancedCode].filter(Boolean).join(' ');
  const lines = [`Class:   ${e.class}${code ? ` (${code})` : ''}`];
  if (e.domain) lines.push(`Domain:  ${e.domain}`);
  if (e.recipient) lines.push(`To:      ${e.recipient}`);
  if (e.messageId) lines.push(`Message: ${e.messageId}`);
  if (e.reply) lines.push(`Reply:   ${e.reply.split('\n').join('\n         ')}`);
  lines.push('', `What happened: ${e.explanation}`, `What to do:    ${e.fix}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description('Explain a bounce message or Exim log line and say what fixes it ("-" reads the text from stdin)')
    .argument('<text...>', 'the bounce text (quote it), or - for stdin')
    .option('--json', 'print the classification as JSON')
    .action(async (words: string[], opts: { json?: boolean }) => {
      const text = words.length === 1 && words[0] === '-' ? await readStdin(io) : words.join(' ');
      if (text.trim() === '')
        throw new FixEmailAuthError('BAD_INPUT', 'No bounce text given: paste the error message (or one Exim log line) to explain', {
          step: 'input',
        });
      const explanation = explainBounce(text, { provider: providerIfConfigured(io) });
      if (opts.json) printJson(io, explanation);
      else io.stdout.write(renderExplanation(explanation));
      setExit(explanation.problem ? EXIT_PROBLEMS : EXIT_OK);
    });
}
