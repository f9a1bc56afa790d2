/**
 * `fix <domain…> [--dry-run] [--yes] [--keep-foreign] [--backup required|best-effort|off] [--json]`:
 * show the record before and after, ask on a terminal, then snapshot → apply → verify → record.
 */
import type { Command } from 'commander';
import { FixEmailAuthError } from '../../errors';
import type { Config } from '../../config';
import { repairDomain, type RepairResult } from '../../usecases/repair';
import { cliConfig, withServices } from '../context';
import { cliActor } from '../actor';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { renderBeforeAfter, renderRepairResult, renderStep } from '../render/change';

interface FixOptions {
  dryRun?: boolean;
  yes?: boolean;
  keepForeign?: boolean;
  backup?: string;
  json?: boolean;
}

const POLICIES = ['required', 'best-effort', 'off'] as const;

function withBackupPolicy(config: Config, policy: string | undefined): Config {
  if (policy === undefined) return config;
  if (!(POLICIES as readonly string[]).includes(policy)) throw new FixEmailAuthError('BAD_INPUT', `--backup must be one of ${POLICIES.join(', ')}`);
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

export function registerFix(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('fix')
    .description('Repair the _mailchannels record of domains: backup, serial-checked change, verification, journal')
    .argument('<domains...>', 'domains to repair')
    .option('--dry-run', 'show the change and make none')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--keep-foreign', "keep other providers' auth= values in the record")
    .option('--backup <policy>', 'JetBackup snapshot policy for this run: required, best-effort or off')
    .option('--json', 'print JSON: { "results": [ … ] }')
    .action(async (domains: string[], options: FixOptions) => {
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
          if (!options.yes) {
            if (!io.confirm) throw new FixEmailAuthError('BAD_INPUT', 'Refusing to change DNS without confirmation when not on a terminal: add --yes');
            if (!(await io.confirm(`Apply this change to zone ${preview.zone}?`))) {
              io.stdout.write('Nothing changed.\n');
              out.push({ ...preview, status: 'unchanged', message: 'Declined; nothing was changed.' });
              continue;
            }
          }
          const result = await repairDomain(ctx, {
            domain,
            actor,
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
