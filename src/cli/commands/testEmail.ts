/**
 * `test-email --user U --from ADDR --to ADDR [--timeout 60s] [--json]` — send a test message through
 * the local MTA as cPanel user U and follow it in the Exim main log until it is delivered, bounced,
 * or the timeout passes. Exit: 0 delivered, 1 anything else (rejected, delayed, no result), 2 bad input.
 */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import { MAX_TEST_TIMEOUT_MS, sendTestEmail, type TestEmailResult } from '../../usecases/testEmail';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';

interface TestEmailOptions {
  user: string;
  from: string;
  to: string;
  timeout?: string;
  json?: boolean;
}

/** `90`, `90s`, `2m` → milliseconds. */
export function parseTimeout(text: string): number {
  const m = /^(\d{1,4})(s|m)?$/.exec(text.trim());
  if (!m) throw new FixEmailAuthError('BAD_INPUT', `--timeout: "${text.slice(0, 20)}" is not a duration like 60s or 2m`);
  const ms = Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
  if (ms < 1000 || ms > MAX_TEST_TIMEOUT_MS)
    throw new FixEmailAuthError('BAD_INPUT', `--timeout: between 1s and ${MAX_TEST_TIMEOUT_MS / 60_000}m`);
  return ms;
}

export function renderTestEmail(r: TestEmailResult): string {
  const lines = [
    `Test message ${r.from} → ${r.to} as ${r.user}${r.eximId ? ` (Exim id ${r.eximId})` : ''}:`,
    `  ${r.status.toUpperCase()}: ${r.summary}`,
  ];
  if (r.verdict && r.verdict.class !== 'OTHER')
    lines.push(`  Class: ${r.verdict.class}${r.verdict.domain ? ` (${r.verdict.domain})` : ''}`);
  if (r.advice) lines.push(`  What to do: ${r.advice}`);
  if (r.logLines.length > 0) lines.push('  Mail log:', ...r.logLines.map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}

export function registerTestEmail(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('test-email')
    .description("Send a test message as a cPanel user through this server's MTA and report what the relay answered")
    .requiredOption('--user <user>', 'the cPanel user to send as (the From domain must be theirs)')
    .requiredOption('--from <address>', "sender address, at one of the user's domains")
    .requiredOption('--to <address>', 'recipient; use an address outside this server to test the MailChannels path')
    .option('--timeout <duration>', 'how long to follow the message in the mail log (e.g. 60s, 2m)', '60s')
    .option('--json', 'print the result as JSON')
    .action(async (options: TestEmailOptions) => {
      const timeoutMs = parseTimeout(options.timeout ?? '60s');
      const config = cliConfig(io);
      const result = await withServices(config, (services) =>
        sendTestEmail(
          {
            accounts: services.accounts,
            mail: services.mail,
            relayHost: config.provider.relayHost,
            provider: config.provider.authId,
            logPath: config.paths.eximMainlog,
          },
          { user: options.user, from: options.from, to: options.to, timeoutMs },
        ),
      );
      if (options.json) printJson(io, result);
      else io.stdout.write(renderTestEmail(result));
      setExit(result.status === 'delivered' ? EXIT_OK : EXIT_PROBLEMS);
    });
}
