/**
 * Stopping and resuming jobs across a daemon restart without repeating a finished zone or skipping
 * an unfinished one.
 *
 * The contract with the repair layer:
 * 1. A worker links its journal change to the item (`setItemChange`) before the change reaches
 *    `applying`, i.e. before anything is sent to cPanel.
 * 2. On graceful shutdown the daemon lets running items finish, or calls `interruptRunningJobs()`;
 *    either way items still `running` when the process ends are left as they are.
 * 3. At start, before any worker runs, the daemon calls `recoverInterrupted(reconcile)`. For every
 *    item left `running` by a process that is gone, `reconcile(item, job)` decides from the journal
 *    (`item.changeId`, then reading the zone for a change left in `applying`) whether its work
 *    reached the zone:
 *      - `{ status: 'pending' }` — nothing reached the zone (or the item has no change: nothing was
 *        applied); the caller has marked the change `failed` if there was one. The item is worked again.
 *      - `{ status: 'done' | 'failed' | 'skipped', result }` — the outcome is known; the item is over.
 *    Only then does the store move the item. An item whose reconcile throws stays `running` (and
 *    `resumeJob` refuses that job) until a later recovery settles it, so nothing is skipped silently.
 * 4. The caller resumes the interrupted jobs it wants with `resumeJob(id)`; claimed items continue at
 *    the lowest pending `seq`, and finished items are never handed out again.
 */
import type { AuditLog } from './audit';
import type { Db } from './db';
import {
  getJobRow,
  settleJob,
  toJob,
  toJobItem,
  type Job,
  type JobItem,
  type JobItemRow,
  type JobItemStatus,
  type JobRow,
} from './job-rows';
import { toJsonColumn } from './record-codec';
import { isRunnerAlive } from './runner';
import { storeError } from './store-error';
import { SYSTEM_ACTOR, type Actor } from './types';

export type ItemResolution =
  { status: 'pending' } | { status: Extract<JobItemStatus, 'done' | 'failed' | 'skipped'>; result?: unknown; changeId?: number };

export type Reconcile = (item: JobItem, job: Job) => ItemResolution | Promise<ItemResolution>;

export interface RecoveryOptions {
  /** Whether a runner id names a live process; default: pid, host and boot check (runner.ts). */
  isRunnerAlive?: (runner: string) => boolean;
}

export interface RecoveryReport {
  /** The jobs whose runner is gone, as they are after recovery: `interrupted` ones can be resumed. */
  jobs: Job[];
  /** Items put back to `pending`: they will be worked again. */
  requeued: JobItem[];
  /** Items whose outcome reconciliation established. */
  finished: JobItem[];
  /** Items left `running` because reconcile threw. */
  unresolved: { item: JobItem; error: string }[];
}

export interface JobRecovery {
  /** Graceful shutdown: this process's running jobs → `interrupted`. Returns their ids. */
  interruptRunningJobs(by?: Actor): number[];
  /** Start-up: reconcile items left running by a dead process (see the contract above). */
  recoverInterrupted(reconcile: Reconcile, options?: RecoveryOptions): Promise<RecoveryReport>;
  /** `interrupted` → `running` in this process. False if the job is not interrupted; CONFLICT while an item is unreconciled. */
  resumeJob(jobId: number, by?: Actor): boolean;
}

export function createJobRecovery(db: Db, now: () => Date, audit: AuditLog, runnerId: string): JobRecovery {
  const iso = () => now().toISOString();
  const runningItems = db.prepare("SELECT * FROM job_items WHERE job_id = ? AND status = 'running' ORDER BY seq");

  const interruptTx = db.transaction((by: Actor): number[] => {
    const ids = (db.prepare("SELECT id FROM jobs WHERE status = 'running' AND runner = ?").all(runnerId) as { id: number }[]).map(
      (r) => r.id,
    );
    for (const id of ids) {
      db.prepare("UPDATE jobs SET status = 'interrupted' WHERE id = ? AND status = 'running'").run(id);
      audit.appendAudit({ actor: by, action: 'job.interrupted', jobId: id, detail: { reason: 'shutdown' } });
    }
    return ids;
  });

  /** Jobs a dead process left behind: still `running`, `interrupted`, or with items still `running`. */
  const orphansTx = db.transaction((alive: (runner: string) => boolean): number[] => {
    const candidates = db
      .prepare(
        `SELECT * FROM jobs WHERE status IN ('running', 'interrupted')
           OR id IN (SELECT DISTINCT job_id FROM job_items WHERE status = 'running') ORDER BY id`,
      )
      .all() as JobRow[];
    const orphans = candidates.filter((job) => job.runner === null || !alive(job.runner));
    for (const job of orphans) {
      if (job.status !== 'running') continue;
      db.prepare("UPDATE jobs SET status = 'interrupted' WHERE id = ? AND status = 'running'").run(job.id);
      audit.appendAudit({
        actor: SYSTEM_ACTOR,
        action: 'job.interrupted',
        jobId: job.id,
        detail: { reason: 'runner gone', runner: job.runner },
      });
    }
    return orphans.map((job) => job.id);
  });

  const resolveTx = db.transaction((item: JobItem, resolution: ItemResolution): JobItem | undefined => {
    const job = getJobRow(db, item.jobId);
    const at = iso();
    let row: JobItemRow | undefined;
    if (resolution.status === 'pending') {
      // A job being cancelled (or failed) does not take new work: the item is cancelled instead.
      const stopping = job !== undefined && ['cancelling', 'cancelled', 'failed'].includes(job.status);
      row = db
        .prepare(
          `UPDATE job_items SET status = ?, started_at = NULL, step = NULL, change_id = NULL, finished_at = ?
           WHERE job_id = ? AND seq = ? AND status = 'running' RETURNING *`,
        )
        .get(stopping ? 'cancelled' : 'pending', stopping ? at : null, item.jobId, item.seq) as JobItemRow | undefined;
    } else {
      row = db
        .prepare(
          `UPDATE job_items SET status = ?, result_json = ?, change_id = coalesce(?, change_id), finished_at = ?, step = NULL
           WHERE job_id = ? AND seq = ? AND status = 'running' RETURNING *`,
        )
        .get(resolution.status, toJsonColumn(resolution.result), resolution.changeId ?? null, at, item.jobId, item.seq) as
        JobItemRow | undefined;
    }
    if (row) {
      audit.appendAudit({
        actor: SYSTEM_ACTOR,
        action: 'job.item_reconciled',
        jobId: item.jobId,
        detail: { seq: item.seq, key: item.key, changeId: item.changeId ?? null, outcome: row.status },
      });
    }
    return row && toJobItem(row);
  });

  const resumeTx = db.transaction((jobId: number, by: Actor): boolean => {
    const job = getJobRow(db, jobId);
    if (!job) throw storeError('NOT_FOUND', `Job ${jobId} does not exist`);
    if (job.status !== 'interrupted') return false;
    const unreconciled = (runningItems.all(jobId) as JobItemRow[]).length;
    if (unreconciled > 0)
      throw storeError(
        'CONFLICT',
        `Job ${jobId} still has ${unreconciled} item(s) whose outcome is unknown; reconcile them first (recoverInterrupted)`,
      );
    db.prepare("UPDATE jobs SET status = 'running', runner = ? WHERE id = ?").run(runnerId, jobId);
    audit.appendAudit({ actor: by, action: 'job.resumed', jobId, detail: { runner: runnerId } });
    settleJob(db, audit, jobId, iso());
    return true;
  });

  return {
    interruptRunningJobs: (by = SYSTEM_ACTOR) => interruptTx.immediate(by),
    async recoverInterrupted(reconcile, options = {}) {
      const alive = options.isRunnerAlive ?? ((runner: string) => isRunnerAlive(runner, runnerId));
      const jobIds = orphansTx.immediate(alive);
      const report: RecoveryReport = { jobs: [], requeued: [], finished: [], unresolved: [] };
      for (const jobId of jobIds) {
        for (const row of runningItems.all(jobId) as JobItemRow[]) {
          const item = toJobItem(row);
          const jobRow = getJobRow(db, jobId);
          if (!jobRow) continue;
          let resolution: ItemResolution;
          try {
            // Outside any transaction: reconciling reads the zone over the network.
            resolution = await reconcile(item, toJob(db, jobRow));
          } catch (err) {
            report.unresolved.push({ item, error: err instanceof Error ? err.message : String(err) });
            continue;
          }
          const moved = resolveTx.immediate(item, resolution);
          if (moved?.status === 'pending') report.requeued.push(moved);
          else if (moved) report.finished.push(moved);
        }
        db.transaction(() => settleJob(db, audit, jobId, iso())).immediate();
        const after = getJobRow(db, jobId);
        if (after) report.jobs.push(toJob(db, after));
      }
      return report;
    },
    resumeJob: (jobId, by = SYSTEM_ACTOR) => resumeTx.immediate(jobId, by),
  };
}
