/** `rollback <change-id> [--force] [--json]`: undo a change, serial-checked, recorded as its own change. */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import { restoreFromBackup, rollbackChange } from '../../usecases/repair';
import { cliActor } from '../actor';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { renderChangeDetail, renderPropagation, renderStep } from '../render/change';

export function parseChangeId(text: string): number {
  const id = /^#?(\d{1,15})$/.exec(text.trim());
  if (!id) throw new FixEmailAuthError('BAD_INPUT', `“${text.slice(0, 40)}” is not a change number (see: fix-email-auth history)`);
  return Number(id[1]);
}

export function registerRollback(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('rollback')
    .description('Undo a change: put back exactly the records it removed and remove the one it added')
    .argument('<change-id>', 'the change number from `history`')
    .option('--force', 'undo even though the lockdown record changed since')
    .option(
      '--from-backup',
      "restore the account's DNS zones from the JetBackup snapshot taken before the change (loses later edits to those zones)",
    )
    .option('--json', 'print JSON')
    .action(async (idText: string, options: { force?: boolean; fromBackup?: boolean; json?: boolean }) => {
      const changeId = parseChangeId(idText);
      if (options.fromBackup) {
        if (options.force) throw new FixEmailAuthError('BAD_INPUT', '--force has no meaning with --from-backup');
        const restored = await withServices(cliConfig(io), (services) =>
          restoreFromBackup(services.repairContext(), {
            changeId,
            actor: cliActor(io),
            ...(options.json ? {} : { onStep: (e) => io.stdout.write(renderStep(e)) }),
          }),
        );
        if (options.json) printJson(io, restored);
        else io.stdout.write(`${restored.status.toUpperCase()}: ${restored.message}\n`);
        setExit(restored.status === 'restored' ? EXIT_OK : EXIT_PROBLEMS);
        return;
      }
      const result = await withServices(cliConfig(io), (services) =>
        rollbackChange(services.repairContext(), {
          changeId,
          actor: cliActor(io),
          ...(options.force ? { force: true } : {}),
          ...(options.json ? {} : { onStep: (e) => io.stdout.write(renderStep(e)) }),
        }),
      );
      if (options.json) {
        printJson(io, {
          status: result.status,
          message: result.message,
          original: result.original,
          rollback: result.rollback ?? null,
          plan: result.plan ?? null,
          verification: result.outcome?.verification ?? null,
          error: result.error ?? null,
        });
      } else {
        io.stdout.write(`${result.status.toUpperCase()}: ${result.message}\n`);
        if (result.rollback) io.stdout.write(renderChangeDetail(result.rollback));
        if (result.outcome?.verification) io.stdout.write(renderPropagation(result.outcome.verification));
      }
      setExit(result.status === 'verified' || result.status === 'unchanged' ? EXIT_OK : EXIT_PROBLEMS);
    });
}
