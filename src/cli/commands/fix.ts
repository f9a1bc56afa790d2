/**
 * `fix <domain…> [--dry-run] [--yes] [--allow-block-all] [--keep-foreign] [--backup required|best-effort|off] [--json]`:
 * show the record before and after, ask on a terminal, then snapshot → apply → verify → record.
 * A record that blocks all mail is replaced only with `--allow-block-all` or a yes to its own
 * question (`--yes` does not answer it: usecases/plan/confirmation.ts).
 * `fix --all-stale [--include-block-all] [--dry-run] [--concurrency N] [--yes] [--no-scan]`: every
 * stale domain (checks/findings.ts), as one resumable bulk job (fixAllStale.ts).
 */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import type { Config } from '../../config';
import { repairDomain, type RepairResult } from '../../usecases/repair';
import { cliConfig, withServices } from '../context';
import { cliActor } from '../actor';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { renderBeforeAfter, renderRepairResult, renderStep } from '../render/change';
import { runAllStale } from './fixAllStale';

interface FixOptions {
  dryRun?: boolean;
  yes?: boolean;
  keepForeign?: boolean;
  backup?: string;
  json?: boolean;
  allStale?: boolean;
  allowBlockAll?: boolean;
  includeBlockAll?: boolean;
  concurrency?: string;
  scan?: boolean;
}

const POLICIES = ['required', 'best-effort', 'off'] as const;

function withBackupPolicy(config: Config, policy: string | undefined): Config {
  if (policy === undefined) return config;
  if (!(POLICIES as readonly string[]).includes(policy))
    throw new FixEmailAuthError('BAD_INPUT', `--backup must be one of ${POLICIES.join(', ')}`);
  return { ...config, backup: { ...config.backup, policy: policy as Config['backup']['policy'] } };
}

/** The parts of a result a script needs, without the full diagnosis twice. */
function resultJson(r: RepairResult): Record<string, unknown> {
  return {
    domain: r.domain,
    zone: r.zone,
    user: r.user,
    status: r.status,
    message: r.message,
    changeId: r.changeId ?? null,
    plan: r.plan,
    before: r.recordsBefore,
    findingsBefore: r.before.findings.map((f) => f.code),
    findingsAfter: r.after ? r.after.findings.map((f) => f.code) : null,
    backup: r.backup ?? null,
    verification: r.verification ?? null,
    warnings: r.warnings,
    steps: r.steps,
    error: r.error ?? null,
  };
}

const SUCCESS = new Set(['verified', 'unchanged', 'planned']);

/**
 * A record that blocks all mail is replaced only when the person says so: `--allow-block-all`, or a
 * yes to the question on a terminal. Not on a terminal and no flag: refused. `undefined` when the
 * plan needs no such consent.
 */
async function consentToBlockAll(io: CliIO, preview: RepairResult, allowed: boolean): Promise<boolean | undefined> {
  if (!preview.needsConfirmation) return undefined;
  if (allowed) return true;
  if (!io.confirm)
    throw new FixEmailAuthError(
      'CONFIRMATION_REQUIRED',
      `${preview.domain}: ${preview.needsConfirmation} Not on a terminal: add --allow-block-all to replace the record.`,
    );
  return io.confirm(`${preview.domain}: ${preview.needsConfirmation}`);
}

export function registerFix(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('fix')
    .description('Repair the _mailchannels record of domains: backup, serial-checked change, verification, journal')
    .argument('[domains...]', 'domains to repair')
    .option('--dry-run', 'show the change and make none')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--keep-foreign', "keep other providers' auth= values in the record")
    .option('--backup <policy>', 'JetBackup snapshot policy for this run: required, best-effort or off')
    .option('--json', 'print JSON: { "results": [ … ] } (with --all-stale: { "dryRun", "job" }, zone by zone)')
    .option('--allow-block-all', 'replace a record that blocks all mail (v=mc1 alone) without asking')
    .option(
      '--all-stale',
      'every domain whose lockdown record makes MailChannels reject its mail by mistake: scan, dry run, then one bulk job',
    )
    .option('--include-block-all', 'with --all-stale: also the domains whose record blocks all mail on purpose')
    .option('--concurrency <n>', 'with --all-stale: zones repaired at once (default 4)')
    .option('--no-scan', 'with --all-stale: use the latest stored scan instead of scanning first')
    .action(async (domains: string[], options: FixOptions) => {
      if (options.allStale) {
        if (domains.length > 0) throw new FixEmailAuthError('BAD_INPUT', 'Give either domains or --all-stale, not both');
        const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
        if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
          throw new FixEmailAuthError('BAD_INPUT', '--concurrency must be a whole number from 1 to 64');
        }
        const code = await runAllStale(io, withBackupPolicy(cliConfig(io), options.backup), {
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(options.yes ? { yes: true } : {}),
          ...(options.keepForeign ? { keepForeign: true } : {}),
          ...(options.includeBlockAll ? { includeBlockAll: true } : {}),
          ...(options.json ? { json: true } : {}),
          ...(concurrency !== undefined ? { concurrency } : {}),
          scan: options.scan !== false,
        });
        setExit(code);
        return;
      }
      if (domains.length === 0) throw new FixEmailAuthError('BAD_INPUT', 'Name at least one domain to repair (or --all-stale)');
      if (options.includeBlockAll)
        throw new FixEmailAuthError('BAD_INPUT', '--include-block-all goes with --all-stale (one domain: --allow-block-all)');
      if (options.concurrency !== undefined) throw new FixEmailAuthError('BAD_INPUT', '--concurrency goes with --all-stale');
      const config = withBackupPolicy(cliConfig(io), options.backup);
      const results = await withServices(config, async (services) => {
        const ctx = services.repairContext();
        const actor = cliActor(io);
        const out: RepairResult[] = [];
        for (const domain of domains) {
          const preview = await repairDomain(ctx, { domain, actor, dryRun: true, ...(options.keepForeign ? { keepForeign: true } : {}) });
          if (options.dryRun || preview.status !== 'planned') {
            out.push(preview);
            if (!options.json) io.stdout.write(`${renderBeforeAfter(preview)}${renderRepairResult(preview)}\n`);
            continue;
          }
          if (!options.json) io.stdout.write(renderBeforeAfter(preview));
          const allowBlockAll = await consentToBlockAll(io, preview, options.allowBlockAll === true);
          if (allowBlockAll === false) {
            io.stdout.write('Nothing changed.\n');
            out.push({ ...preview, status: 'unchanged', message: 'Declined; the record still blocks all mail.' });
            continue;
          }
          if (!options.yes) {
            if (!io.confirm)
              throw new FixEmailAuthError('BAD_INPUT', 'Refusing to change DNS without confirmation when not on a terminal: add --yes');
            if (!(await io.confirm(`Apply this change to zone ${preview.zone}?`))) {
              io.stdout.write('Nothing changed.\n');
              out.push({ ...preview, status: 'unchanged', message: 'Declined; nothing was changed.' });
              continue;
            }
          }
          const result = await repairDomain(ctx, {
            domain,
            actor,
            ...(allowBlockAll ? { allowBlockAll: true } : {}),
            ...(preview.plan ? { confirmedPlan: preview.plan } : {}),
            ...(options.keepForeign ? { keepForeign: true } : {}),
            ...(options.json ? {} : { onStep: (e) => io.stdout.write(renderStep(e)) }),
          });
          out.push(result);
          if (!options.json) io.stdout.write(`${renderRepairResult(result)}\n`);
        }
        return out;
      });
      if (options.json) printJson(io, { results: results.map(resultJson) });
      setExit(results.every((r) => SUCCESS.has(r.status)) ? EXIT_OK : EXIT_PROBLEMS);
    });
}
