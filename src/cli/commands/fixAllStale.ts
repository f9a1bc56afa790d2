/**
 * `fix --all-stale [--include-block-all] [--dry-run] [--concurrency N] [--yes] [--no-scan]`: repair
 * every stale domain (checks/findings.ts `staleSelection`), as one resumable job. Domains whose record
 * blocks all mail are left alone (and counted) unless `--include-block-all` asks for them.
 *
 * 1. Scan the server (fast path when the files are readable) so the selection is current — or, with
 *    `--no-scan`, take the latest scan from the journal's database.
 * 2. A dry-run job shows every planned change (`repairDomain` with dryRun, zone by zone).
 * 3. Ask (unless --yes; required when not on a terminal), then run the real job over the domains the
 *    dry run planned: one write at a time per zone, journalled, serial-checked, verified.
 * Ctrl-C stops claiming new domains and lets the running ones finish; `job resume <id>` continues.
 */
import { BLOCK_ALL_CODE } from '../../checks/findings';
import { FixEmailAuthError } from '../../errors';
import type { Config } from '../../config';
import { bulkReport, selectFromScan, startBulkFix, type BulkReport } from '../../usecases/bulk';
import type { RepairItemResult } from '../../usecases/jobs';
import { describePlan } from '../../usecases/repair';
import { runScan } from '../../usecases/scan';
import { cliActor } from '../actor';
import { withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { createProgress } from '../progress';
import { cliRunner, followJob, renderJob } from './jobs';
import { boundHeapGrowth } from './scan';

export interface AllStaleOptions {
  dryRun?: boolean;
  yes?: boolean;
  keepForeign?: boolean;
  /** Also the domains whose record blocks all mail (and replace those records). */
  includeBlockAll?: boolean;
  json?: boolean;
  concurrency?: number;
  /** false: use the latest stored scan instead of scanning first. */
  scan?: boolean;
}

/** How long running repairs may take to finish after Ctrl-C before the job is marked interrupted. */
const DRAIN_MS = 30_000;

function plannedDomains(report: BulkReport): Array<{ domain: string; zone: string; plan: string }> {
  const out: Array<{ domain: string; zone: string; plan: string }> = [];
  for (const zone of report.zones) {
    for (const d of zone.domains) {
      if (d.status === 'planned' && d.plan)
        out.push({ domain: d.domain, zone: zone.zone, plan: describePlan(d.plan as RepairItemResult['plan'] & object) });
    }
  }
  return out;
}

function reportJson(report: BulkReport | undefined): unknown {
  return report ? { job: report.job, zones: report.zones, counts: report.counts } : null;
}

export async function runAllStale(io: CliIO, config: Config, options: AllStaleOptions): Promise<number> {
  return withServices(config, async (services) => {
    const store = services.store;
    const actor = cliActor(io);
    const say = (text: string) => (options.json ? io.stderr : io.stdout).write(text);

    if (options.scan !== false) {
      boundHeapGrowth();
      const ctx = await services.scanContext();
      const bar = createProgress(io, { label: 'scan', unit: 'zones' });
      const done = await runScan(ctx, { onProgress: (p) => bar.update(p.zonesDone, p.zonesTotal) });
      bar.done(`Scanned ${done.domainsDone} domain(s) in ${done.zonesDone} zone(s).`);
    }
    const includeBlockAll = options.includeBlockAll === true;
    const selected = selectFromScan(store, { allStale: true, includeBlockAll });
    const blockAll = includeBlockAll ? [] : selectFromScan(store, { codes: [BLOCK_ALL_CODE] });
    if (blockAll.length > 0)
      say(
        `${blockAll.length} domain(s) are set to block all mail (v=mc1 alone) and are left as they are; add --include-block-all to change them too.\n`,
      );
    if (selected.length === 0) {
      if (options.json) printJson(io, { dryRun: null, job: null });
      else say('No domain has a lockdown record that makes MailChannels reject its mail by mistake.\n');
      return EXIT_OK;
    }

    const runner = cliRunner(services);
    const concurrency = options.concurrency !== undefined ? { concurrency: options.concurrency } : {};
    const keep = { ...(options.keepForeign ? { keepForeign: true } : {}), ...(includeBlockAll ? { allowBlockAll: true } : {}) };
    const dry = startBulkFix(runner, selected, actor, { dryRun: true, ...concurrency, ...keep });
    await followJob(io, store, dry.id, { runner, label: 'dry run' });
    const preview = bulkReport({ queue: store, scans: store }, dry.id)!;
    const planned = plannedDomains(preview);
    if (!options.json) {
      say(`Dry run (job ${dry.id}): ${planned.length} of ${selected.length} domain(s) would be changed.\n`);
      for (const p of planned.slice(0, 200)) say(`  ${p.domain}: ${p.plan}\n`);
      if (planned.length > 200) say(`  … and ${planned.length - 200} more (fix-email-auth job ${dry.id} --all-zones)\n`);
      const others = preview.zones.flatMap((z) => z.domains).filter((d) => d.status !== 'planned');
      for (const d of others.slice(0, 50)) say(`  ${d.domain}: ${d.status}${d.message ? ` — ${d.message}` : ''}\n`);
    }
    if (options.dryRun || planned.length === 0) {
      if (options.json) printJson(io, { dryRun: reportJson(preview), job: null });
      return planned.length > 0 || preview.counts.failed ? EXIT_PROBLEMS : EXIT_OK;
    }

    if (!options.yes) {
      if (!io.confirm)
        throw new FixEmailAuthError('BAD_INPUT', 'Refusing to change DNS without confirmation when not on a terminal: add --yes');
      if (!(await io.confirm(`Apply these ${planned.length} change(s)?`))) {
        say('Nothing changed.\n');
        return EXIT_OK;
      }
    }

    const job = startBulkFix(runner, planned, actor, { ...concurrency, ...keep });
    say(`Bulk repair: job ${job.id} (follow it from another shell with \`fix-email-auth job ${job.id} --follow\`).\n`);
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
      io.stderr.write(`\nStopping: running repairs finish, the rest waits for \`fix-email-auth job resume ${job.id}\`.\n`);
      void runner.drain(DRAIN_MS);
    };
    process.once('SIGINT', onSignal);
    try {
      await followJob(io, store, job.id, { runner, label: 'repair' });
    } finally {
      process.removeListener('SIGINT', onSignal);
    }
    const done = bulkReport({ queue: store, scans: store }, job.id)!;
    if (options.json) printJson(io, { dryRun: reportJson(preview), job: reportJson(done) });
    else {
      say(renderJob(done.job, done));
      if (interrupted) say(`Interrupted: continue with \`fix-email-auth job resume ${job.id}\`.\n`);
    }
    return done.job.status === 'done' && (done.counts.failed ?? 0) === 0 ? EXIT_OK : EXIT_PROBLEMS;
  });
}
