/** `history [--domain D] [--user U] [--limit N] [--json]`: the change journal, newest first. */
import type { Command } from 'commander';
import { openStore } from '../../adapters/store';
import { FixEmailAuthError } from '../../errors';
import { checkDomainSyntax } from '../../usecases/repair';
import { cliConfig } from '../context';
import { EXIT_OK, printJson, type CliIO } from '../io';
import { renderChangeDetail, renderChangeRow } from '../render/change';

export function registerHistory(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('history')
    .description('List the changes made (journal), newest first')
    .option('--domain <domain>', 'only changes for this domain')
    .option('--user <user>', 'only changes to this cPanel account')
    .option('--limit <n>', 'how many', '50')
    .option('--details', 'show the records removed and added')
    .option('--json', 'print JSON: { "changes": [ … ] }')
    .action((options: { domain?: string; user?: string; limit: string; details?: boolean; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
        throw new FixEmailAuthError('BAD_INPUT', '--limit must be a whole number from 1 to 10000');
      const config = cliConfig(io);
      const store = openStore(config.paths.journal);
      try {
        const changes = store.listChanges({
          limit,
          ...(options.domain ? { domain: checkDomainSyntax(options.domain) } : {}),
          ...(options.user ? { user: options.user } : {}),
        });
        if (options.json) printJson(io, { changes });
        else if (changes.length === 0) io.stdout.write('No changes recorded.\n');
        else for (const c of changes) io.stdout.write(options.details ? renderChangeDetail(c) : renderChangeRow(c));
      } finally {
        store.close();
      }
      setExit(EXIT_OK);
    });
}
