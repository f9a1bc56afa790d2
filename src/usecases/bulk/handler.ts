/**
 * The `bulk-fix` job: one item per domain (the daemon's selection, `fix --all-stale`), each a
 * `repairDomain` — journalled, serial-checked, verified — or its dry run. What bulk adds to the
 * single repair (jobs/handlers.ts shapes the result the same way for both):
 * - one write at a time per zone (ZoneLocks): several domains of one zone are repaired in turn;
 * - accounts and authority asked once per job, not per domain (jobDirectory.ts);
 * - one JetBackup snapshot per account per job (backupOnce.ts);
 * - a job interrupted by a restart resumes through the store's recovery contract: an item whose
 *   change reached the zone is done, one that never sent it is worked again (re-diagnosed first, so
 *   nothing is ever applied twice) — see jobs/recovery.ts and adapters/store/job-recovery.ts.
 * WHM calls are spaced by the cPanel client itself at `cpanel.rateLimitPerSecond` (every call of the
 * process, so a bulk job can never starve the pages of their share).
 */
import type { ChangeJournal, Job, JobQueue, ScanResults } from '../../adapters/store';
import type { Accounts } from '../../ports';
import { repairItemHandler } from '../jobs/handlers';
import type { ItemHandler } from '../jobs/runner';
import type { RepairContext } from '../repair';
import { backupOncePerAccount } from './backupOnce';
import { jobDirectory, type JobDirectory } from './jobDirectory';
import { ZoneLocks } from './zoneLocks';

export interface BulkFixDeps {
  /** The repair context (root's cPanel client, journal, backup policy, verifier). */
  context: () => RepairContext;
  /** The live accounts view the job's directory is built from (root's WHM). */
  accounts: Pick<Accounts, 'listDomains' | 'findDomain' | 'localAuthority'>;
  queue: Pick<JobQueue, 'listJobItems'>;
  journal: Pick<ChangeJournal, 'listChanges'>;
  scans?: Pick<ScanResults, 'getScanResult' | 'upsertScanResult'>;
  /** Shared with other handlers of the process that write zones. */
  locks?: ZoneLocks;
}

/** Jobs whose directory and backup memo are kept in memory (a few run at once at most). */
const KEPT_JOBS = 8;

interface JobState {
  directory: JobDirectory;
  backup: RepairContext['backup'] | undefined;
}

export function bulkFixHandler(deps: BulkFixDeps): ItemHandler {
  const locks = deps.locks ?? new ZoneLocks();
  const jobs = new Map<number, JobState>();

  const stateOf = (job: Job, base: RepairContext): JobState => {
    let state = jobs.get(job.id);
    if (!state) {
      const keys = async () => deps.queue.listJobItems(job.id).map((i) => i.key);
      state = {
        directory: jobDirectory(deps.accounts, keys),
        backup: job.dryRun ? undefined : backupOncePerAccount(base.backup, deps.journal, job.id),
      };
      jobs.set(job.id, state);
      while (jobs.size > KEPT_JOBS) jobs.delete(jobs.keys().next().value as number);
    }
    return state;
  };

  return async (ictx) => {
    const base = deps.context();
    const state = stateOf(ictx.job, base);
    const context = (): RepairContext => ({
      ...base,
      accounts: state.directory.accounts,
      ...(state.backup ? { backup: state.backup } : {}),
    });
    const repair = repairItemHandler({ context, ...(deps.scans ? { scans: deps.scans } : {}) }, { withSteps: false });
    // A dry run only reads: no lock needed. A real change waits for its zone.
    if (ictx.job.dryRun) return repair(ictx);
    const zone = (await state.directory.zoneOf(ictx.item.key)) ?? ictx.item.key;
    return locks.run(zone, () => repair(ictx));
  };
}
