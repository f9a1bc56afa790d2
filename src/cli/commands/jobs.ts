/**
 * `jobs [--status S] [--kind K] [--limit N] [--json]`, `job <id> [--follow] [--all-zones] [--json]`,
 * `job cancel <id>`, `job resume <id> [--concurrency N]`: background jobs (bulk repairs, scans) kept in the journal's
 * database, whichever process runs them (the daemon or a CLI). `--follow` polls the store, so it
 * works for the daemon's jobs too; `resume` works a job left behind by a process that is gone (a
 * killed `fix --all-stale`, a crashed daemon) in this process, without repeating finished zones.
 * Exit: 0 the job finished with nothing failed, 1 something failed or it did not finish, 2 bad input.
 */
import type { Command } from 'commander';
import type { Job, JobStatus, Store } from '../../adapters/store';
import { isRunnerAlive } from '../../adapters/store/runner';
import { FixEmailAuthError } from '../../errors';
import type { Services } from '../../services';
import { bulkReport, registerServerJobs, resumeJob, type BulkReport } from '../../usecases/bulk';
import { createJobRunner, registerChangeJobs, type JobRunner } from '../../usecases/jobs';
import { settleChangeFromZone } from '../../usecases/repair';
import { cliActor } from '../actor';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, printJson, type CliIO } from '../io';
import { createProgress, formatDuration } from '../progress';

const OVER: readonly JobStatus[] = ['done', 'failed', 'cancelled'];
const POLL_MS = 500;

/** A job runner in this process with every kind registered (the daemon builds the same). */
export function cliRunner(services: Services): JobRunner {
  const runner = createJobRunner({
    queue: services.store,
    settleChange: (changeId) => settleChangeFromZone(services.repairContext(), changeId),
  });
  registerChangeJobs(runner, { context: () => services.repairContext(), scans: services.store });
  registerServerJobs(runner, services.serverJobDeps());
  return runner;
}

interface JobOptions {
  follow?: boolean;
  allZones?: boolean;
  json?: boolean;
  concurrency?: string;
}

function jobId(text: string | undefined): number {
  const id = Number(text);
  if (!text || !Number.isInteger(id) || id < 1) throw new FixEmailAuthError('BAD_INPUT', `“${String(text).slice(0, 40)}” is not a job id`);
  return id;
}

function requireJob(store: Pick<Store, 'getJob'>, id: number): Job {
  const job = store.getJob(id);
  if (!job) throw new FixEmailAuthError('NOT_FOUND', `There is no job ${id}`);
  return job;
}

function progressText(job: Job): string {
  const p = job.progress;
  const finished = p.done + p.failed + p.skipped + p.cancelled;
  const parts = [`${finished}/${p.total}`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.cancelled) parts.push(`${p.cancelled} cancelled`);
  if (p.running) parts.push(`${p.running} running`);
  return parts.join(', ');
}

function title(job: Job): string {
  return `${job.kind}${job.dryRun ? ' (dry run)' : ''}`;
}

/** True when nobody works the job any more although it is not over (the process that ran it is gone). */
export function isOrphaned(job: Job, self: string): boolean {
  if (job.status === 'interrupted') return true;
  if (OVER.includes(job.status) || job.status === 'queued') return false;
  return job.runner !== undefined && !isRunnerAlive(job.runner, self);
}

export function renderJob(job: Job, report: BulkReport | undefined, options: { allZones?: boolean } = {}): string {
  const lines = [`Job ${job.id}: ${title(job)} — ${job.status}, ${progressText(job)}`];
  lines.push(`  started by ${job.actor.kind} ${job.actor.name} at ${job.createdAt}${job.finishedAt ? `, ended ${job.finishedAt}` : ''}`);
  if (job.startedAt && job.finishedAt) lines.push(`  took ${formatDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt))}`);
  if (job.error) lines.push(`  error: ${job.error.message}`);
  if (report && job.kind === 'bulk-fix') {
    const counts = Object.entries(report.counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    lines.push(`  domains: ${counts || 'none'}`);
    const zones = options.allZones ? report.zones : report.zones.slice(0, 50);
    for (const z of zones) {
      lines.push(`  ${z.zone}: ${z.status}`);
      for (const d of z.domains)
        lines.push(
          `    ${d.domain}: ${d.status}${d.changeId !== undefined ? ` (change ${d.changeId})` : ''}${d.message ? ` — ${d.message}` : ''}`,
        );
    }
    if (zones.length < report.zones.length) lines.push(`  … ${report.zones.length - zones.length} more zone(s) (--all-zones to list them)`);
  }
  return `${lines.join('\n')}\n`;
}

function jobJson(job: Job, report: BulkReport | undefined): unknown {
  return { job, ...(report ? { zones: report.zones, counts: report.counts } : {}) };
}

function exitFor(job: Job): number {
  return job.status === 'done' && job.progress.failed === 0 ? EXIT_OK : EXIT_PROBLEMS;
}

/**
 * Wait for a job to end, showing progress on stderr. With `runner` (the job runs here) it ends when
 * the runner is done with it; otherwise it polls the store and stops when the job is over or nobody
 * works it any more.
 */
export async function followJob(
  io: CliIO,
  store: Pick<Store, 'getJob' | 'runnerId'>,
  id: number,
  options: { runner?: JobRunner; label?: string; quiet?: boolean } = {},
): Promise<Job> {
  const bar = options.quiet ? null : createProgress(io, { label: options.label ?? `job ${id}`, unit: 'items' });
  const show = () => {
    const job = requireJob(store, id);
    const p = job.progress;
    bar?.update(p.done + p.failed + p.skipped + p.cancelled, p.total, p.failed ? `${p.failed} failed` : undefined);
    return job;
  };
  let job = show();
  if (options.runner) {
    const settled = options.runner.settled(id);
    let over = false;
    void settled.then(() => (over = true));
    while (!over) {
      await Promise.race([settled, new Promise((r) => setTimeout(r, POLL_MS))]);
      show();
    }
  } else {
    while (!OVER.includes(job.status) && !isOrphaned(job, store.runnerId)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      job = show();
    }
  }
  bar?.done();
  return show();
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('jobs')
    .description('List background jobs (bulk repairs, dry runs, scans), newest first')
    .option('--status <status>', 'only jobs in this status (queued, running, done, failed, cancelled, interrupted, cancelling)')
    .option('--kind <kind>', 'only jobs of this kind (bulk-fix, scan, repair, rollback)')
    .option('--limit <n>', 'at most this many (default 20)')
    .option('--json', 'print { "jobs": [ … ] }')
    .action(async (options: { status?: string; kind?: string; limit?: string; json?: boolean }) => {
      const limit = options.limit === undefined ? 20 : Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new FixEmailAuthError('BAD_INPUT', '--limit must be a whole number from 1 to 1000');
      await withServices(cliConfig(io), async (services) => {
        const jobs = services.store.listJobs({
          limit,
          ...(options.status ? { status: options.status as JobStatus } : {}),
          ...(options.kind ? { kind: options.kind as Job['kind'] } : {}),
        });
        if (options.json) return printJson(io, { jobs });
        if (jobs.length === 0) return void io.stdout.write('No jobs.\n');
        for (const job of jobs) {
          const orphan =
            isOrphaned(job, services.store.runnerId) && job.status !== 'interrupted' ? ' (its process is gone: job resume)' : '';
          io.stdout.write(
            `${String(job.id).padStart(5)}  ${title(job).padEnd(20)} ${job.status.padEnd(11)} ${progressText(job).padEnd(28)} ${job.createdAt}  ${job.actor.name}${orphan}\n`,
          );
        }
      });
      setExit(EXIT_OK);
    });

  program
    .command('job')
    .description(
      'Show a job (zone by zone for bulk repairs), follow it, cancel it or resume it: job <id> | job cancel <id> | job resume <id>',
    )
    .argument('<id-or-action>', 'a job id, or cancel / resume')
    .argument('[id]', 'the job id for cancel and resume')
    .option('--follow', 'wait for the job to end, with progress on stderr')
    .option('--all-zones', 'list every zone of a bulk repair (default: the first 50, failures first)')
    .option('--json', 'print { job, zones, counts } as JSON')
    .option('--concurrency <n>', "with resume: items worked at once (default: the kind's, 4 for a bulk repair)")
    .action(async (first: string, second: string | undefined, options: JobOptions) => {
      const action = first === 'cancel' || first === 'resume' ? first : 'show';
      const id = jobId(action === 'show' ? first : second);
      const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
      if (concurrency !== undefined && (action !== 'resume' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
        throw new FixEmailAuthError('BAD_INPUT', '--concurrency goes with resume and is a whole number from 1 to 64');
      }
      await withServices(cliConfig(io), async (services) => {
        const store = services.store;
        const actor = cliActor(io);
        requireJob(store, id);
        let runner: JobRunner | undefined;
        if (action === 'cancel') {
          const cancelled = store.cancelJob(id, actor);
          const job = requireJob(store, id);
          io.stderr.write(
            cancelled
              ? `Job ${id}: pending items cancelled; running ones finish (${job.status}).\n`
              : `Job ${id} is already ${job.status}; nothing to cancel.\n`,
          );
        }
        if (action === 'resume') {
          runner = cliRunner(services);
          const outcome = await resumeJob(
            { ctx: services.repairContext(), recovery: store, journal: store, queue: store, runner },
            id,
            actor,
            concurrency !== undefined ? { concurrency } : {},
          );
          if (outcome.job.status !== 'running') io.stderr.write(`Job ${id} is already ${outcome.job.status}.\n`);
          else io.stderr.write(`Resuming job ${id}: ${progressText(outcome.job)} so far.\n`);
        }
        let job = requireJob(store, id);
        if (runner || options.follow) job = await followJob(io, store, id, runner ? { runner } : {});
        const report = job.kind === 'bulk-fix' ? bulkReport({ queue: store, scans: store }, id) : undefined;
        if (options.json) printJson(io, jobJson(job, report));
        else {
          io.stdout.write(renderJob(job, report, options));
          if (isOrphaned(job, store.runnerId))
            io.stdout.write(`The process that ran job ${id} is gone; continue it with \`fix-email-auth job resume ${id}\`.\n`);
        }
        setExit(action === 'cancel' ? EXIT_OK : exitFor(job));
      });
    });
}
