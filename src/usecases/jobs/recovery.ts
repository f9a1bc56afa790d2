/**
 * Start-up half of the job recovery contract (src/adapters/store/job-recovery.ts): after a crash or a
 * shutdown past its deadline, settle the changes left `applying` (by reading their zones), then decide
 * for every item left `running` whether its DNS work reached the zone — from the journal, never by
 * guessing — and resume the interrupted jobs in this process.
 */
import type { ChangeJournal, ItemResolution, Job, JobItem, JobRecovery, RecoveryReport } from '../../adapters/store';
import { reconcileInterruptedChanges, type ReconcileReport, type RepairContext } from '../repair';
import type { JobRunner, RunnerLogger } from './runner';

/** Kinds whose items change DNS through the journal (one change per item, linked by job id and domain). */
const CHANGING_KINDS = new Set(['repair', 'rollback', 'bulk-fix']);

/**
 * The journal's word on an item: its change (linked, or the newest one this job made for the item's
 * domain) reached the zone → done; it did not → the change is closed as failed and the item is worked
 * again (a repair re-diagnoses first, so a second run never duplicates a record). A change still
 * `applying` means its zone could not be read: throw, so the item stays unresolved until next start.
 */
export function reconcileItemFromJournal(journal: Pick<ChangeJournal, 'getChange' | 'listChanges' | 'advance'>) {
  return (item: JobItem, job: Job): ItemResolution => {
    if (!CHANGING_KINDS.has(job.kind) || job.dryRun) return { status: 'pending' };
    const change =
      item.changeId !== undefined
        ? journal.getChange(item.changeId)
        : journal.listChanges({ jobId: job.id, domain: item.key, limit: 1 })[0];
    if (!change) return { status: 'pending' };
    switch (change.status) {
      case 'applied':
      case 'verified':
      case 'rolled_back':
        return {
          status: 'done',
          changeId: change.id,
          result: {
            status: change.status === 'verified' ? 'verified' : 'applied',
            message: `Change ${change.id} reached the zone before the daemon stopped.`,
            changeId: change.id,
            recovered: true,
          },
        };
      case 'applying':
        throw new Error(`whether change ${change.id} reached zone ${change.zone} is still unknown`);
      case 'planned':
      case 'backed_up':
        journal.advance(change.id, 'failed', {
          error: { code: 'INTERRUPTED', step: 'apply', message: 'The daemon stopped before the change was sent; nothing was changed.' },
        });
        return { status: 'pending' };
      case 'failed':
        return { status: 'pending' };
    }
  };
}

export interface StartupRecovery {
  changes: ReconcileReport;
  jobs: RecoveryReport;
  resumed: number[];
}

/** Run once at start, before any new job: changes first (items are judged from their settled status). */
export async function recoverAtStart(deps: {
  ctx: Pick<RepairContext, 'zones' | 'journal'>;
  recovery: Pick<JobRecovery, 'recoverInterrupted'>;
  journal: Pick<ChangeJournal, 'getChange' | 'listChanges' | 'advance'>;
  runner: JobRunner;
  log?: RunnerLogger;
}): Promise<StartupRecovery> {
  const log = deps.log ?? (() => undefined);
  const changes = await reconcileInterruptedChanges(deps.ctx);
  if (changes.applied.length + changes.notApplied.length + changes.unknown.length > 0) {
    log({
      level: 'info',
      msg: 'reconciled interrupted changes',
      applied: changes.applied.map((c) => c.id),
      notApplied: changes.notApplied.map((c) => c.id),
      unknown: changes.unknown.map((c) => c.id),
    });
  }
  const jobs = await deps.recovery.recoverInterrupted(reconcileItemFromJournal(deps.journal));
  for (const { item, error } of jobs.unresolved)
    log({ level: 'warn', msg: 'job item left unresolved', jobId: item.jobId, seq: item.seq, key: item.key, error });
  const resumed: number[] = [];
  for (const job of jobs.jobs) {
    if (job.status !== 'interrupted') continue;
    try {
      if (deps.runner.resume(job.id)) resumed.push(job.id);
    } catch (err) {
      log({ level: 'warn', msg: 'job not resumed', jobId: job.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (resumed.length) log({ level: 'info', msg: 'resumed interrupted jobs', jobs: resumed });
  return { changes, jobs, resumed };
}
