/**
 * Jobs: bulk repairs, scans and long single repairs, as a list of items worked one claim at a time.
 * Every state change is one SQLite transaction taken with the write lock first (IMMEDIATE), so any
 * number of workers, in this process or another, can claim without two getting the same item.
 * Recovery after a crash lives in job-recovery.ts.
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
  type JobKind,
  type JobRow,
  type JobStatus,
} from './job-rows';
import { toJsonColumn } from './record-codec';
import { SqlFilter, clampLimit } from './sql-filter';
import { storeError } from './store-error';
import type { Actor, ErrorInfo } from './types';

export interface NewJob {
  kind: JobKind;
  actor: Actor;
  params?: unknown;
  dryRun?: boolean;
  /** One item per domain or zone, worked in this order; keys must be unique within the job. */
  keys: readonly string[];
}

export interface ItemOutcome {
  status: Extract<JobItemStatus, 'done' | 'failed' | 'skipped'>;
  result?: unknown;
  changeId?: number;
}

export interface JobFilter {
  status?: JobStatus | readonly JobStatus[];
  kind?: JobKind;
  before?: number;
  limit?: number;
}

export interface JobItemFilter {
  status?: JobItemStatus | readonly JobItemStatus[];
  /** No limit by default: a job's items are bounded by the server's domain count. */
  limit?: number;
  offset?: number;
}

export interface JobQueue {
  /** The job and all its items in one transaction (status `queued`; `done` at once when there are no items). */
  createJob(input: NewJob): Job;
  getJob(id: number): Job | undefined;
  /** Newest first. */
  listJobs(filter?: JobFilter): Job[];
  /** In `seq` order. */
  listJobItems(jobId: number, filter?: JobItemFilter): JobItem[];
  /**
   * Atomically take the lowest pending item and mark it running (starting a queued job). Undefined
   * when nothing is pending or the job is not queued/running (cancelling, interrupted, over).
   */
  claimNextItem(jobId: number): JobItem | undefined;
  /** Progress note of a running item; false if the item is not running. */
  setItemStep(jobId: number, seq: number, step: string): boolean;
  /**
   * Link the journal change to a running item. Call it (ideally in the same `store.transaction` as
   * `createChange`) before the change reaches `applying`: recovery relies on it.
   */
  setItemChange(jobId: number, seq: number, changeId: number): boolean;
  /** Running → done/failed/skipped; false if the item was not running. Ends the job when it was the last open item. */
  finishItem(jobId: number, seq: number, outcome: ItemOutcome): boolean;
  /**
   * Pending items → cancelled; the job becomes `cancelling` while items are still running (they
   * finish normally), else `cancelled`. False if the job was already over or cancelling.
   */
  cancelJob(jobId: number, by: Actor): boolean;
  /** A job-level failure (e.g. cPanel refused the token): pending items → cancelled, job → failed. */
  failJob(jobId: number, error: ErrorInfo, by: Actor): boolean;
}

export function createJobQueue(db: Db, now: () => Date, audit: AuditLog, runnerId: string): JobQueue {
  const insertJob = db.prepare(
    `INSERT INTO jobs (kind, created_at, status, actor_kind, actor_name, params_json, dry_run)
     VALUES (?, ?, 'queued', ?, ?, ?, ?) RETURNING id`,
  );
  const insertItem = db.prepare("INSERT INTO job_items (job_id, seq, key, status) VALUES (?, ?, ?, 'pending')");
  const claim = db.prepare(
    `UPDATE job_items SET status = 'running', attempts = attempts + 1, started_at = @at, finished_at = NULL, step = NULL
     WHERE job_id = @jobId AND seq = (SELECT seq FROM job_items WHERE job_id = @jobId AND status = 'pending' ORDER BY seq LIMIT 1)
     RETURNING *`,
  );
  const finish = db.prepare(
    `UPDATE job_items SET status = @status, result_json = @result, change_id = coalesce(@changeId, change_id), finished_at = @at, step = NULL
     WHERE job_id = @jobId AND seq = @seq AND status = 'running'`,
  );
  const iso = () => now().toISOString();

  const requireJob = (jobId: number): JobRow => {
    const row = getJobRow(db, jobId);
    if (!row) throw storeError('NOT_FOUND', `Job ${jobId} does not exist`);
    return row;
  };

  const createTx = db.transaction((input: NewJob): number => {
    const unique = new Set(input.keys);
    if (unique.size !== input.keys.length) throw storeError('BAD_INPUT', 'A job lists the same domain or zone twice');
    const at = iso();
    const { id } = insertJob.get(
      input.kind,
      at,
      input.actor.kind,
      input.actor.name,
      toJsonColumn(input.params ?? null),
      input.dryRun ? 1 : 0,
    ) as { id: number };
    input.keys.forEach((key, i) => insertItem.run(id, i + 1, key));
    audit.appendAudit({
      actor: input.actor,
      action: 'job.created',
      jobId: id,
      detail: { kind: input.kind, dryRun: !!input.dryRun, total: input.keys.length },
    });
    if (input.keys.length === 0) {
      db.prepare('UPDATE jobs SET started_at = ? WHERE id = ?').run(at, id);
      settleJob(db, audit, id, at);
    }
    return id;
  });

  const claimTx = db.transaction((jobId: number): JobItem | undefined => {
    const job = requireJob(jobId);
    if (job.status !== 'queued' && job.status !== 'running') return undefined;
    const at = iso();
    const row = claim.get({ jobId, at }) as JobItemRow | undefined;
    if (row && job.status === 'queued') {
      db.prepare("UPDATE jobs SET status = 'running', started_at = coalesce(started_at, ?), runner = ? WHERE id = ?").run(
        at,
        runnerId,
        jobId,
      );
      audit.appendAudit({
        actor: { kind: job.actor_kind as Actor['kind'], name: job.actor_name },
        action: 'job.running',
        jobId,
        detail: { runner: runnerId },
      });
    }
    return row && toJobItem(row);
  });

  const finishTx = db.transaction((jobId: number, seq: number, outcome: ItemOutcome): boolean => {
    const at = iso();
    const changed = finish.run({
      jobId,
      seq,
      status: outcome.status,
      result: toJsonColumn(outcome.result),
      changeId: outcome.changeId ?? null,
      at,
    }).changes;
    if (changed !== 1) return false;
    settleJob(db, audit, jobId, at);
    return true;
  });

  const cancelTx = db.transaction((jobId: number, by: Actor): boolean => {
    const job = requireJob(jobId);
    if (!['queued', 'running', 'interrupted'].includes(job.status)) return false;
    const at = iso();
    const cancelled = db
      .prepare("UPDATE job_items SET status = 'cancelled', finished_at = ? WHERE job_id = ? AND status = 'pending'")
      .run(at, jobId).changes;
    db.prepare("UPDATE jobs SET status = 'cancelling' WHERE id = ?").run(jobId);
    audit.appendAudit({ actor: by, action: 'job.cancel_requested', jobId, detail: { from: job.status, cancelledItems: cancelled } });
    settleJob(db, audit, jobId, at);
    return true;
  });

  const failTx = db.transaction((jobId: number, error: ErrorInfo, by: Actor): boolean => {
    const job = requireJob(jobId);
    if (!['queued', 'running', 'cancelling', 'interrupted'].includes(job.status)) return false;
    const at = iso();
    db.prepare("UPDATE job_items SET status = 'cancelled', finished_at = ? WHERE job_id = ? AND status = 'pending'").run(at, jobId);
    db.prepare("UPDATE jobs SET status = 'failed', finished_at = ?, error_json = ? WHERE id = ?").run(at, toJsonColumn(error), jobId);
    audit.appendAudit({ actor: by, action: 'job.failed', jobId, detail: { from: job.status, error } });
    return true;
  });

  return {
    createJob(input) {
      const id = createTx.immediate(input);
      return toJob(db, requireJob(id));
    },
    getJob(id) {
      const row = getJobRow(db, id);
      return row && toJob(db, row);
    },
    listJobs(filter = {}) {
      const where = new SqlFilter().whenIn(filter.status, 'status').when(filter.kind, 'kind = ?').when(filter.before, 'id < ?');
      const rows = db
        .prepare(`SELECT * FROM jobs ${where.sql} ORDER BY id DESC LIMIT ?`)
        .all(...where.params, clampLimit(filter.limit)) as JobRow[];
      return rows.map((row) => toJob(db, row));
    },
    listJobItems(jobId, filter = {}) {
      const where = new SqlFilter().when(jobId, 'job_id = ?').whenIn(filter.status, 'status');
      const limit = filter.limit === undefined ? -1 : clampLimit(filter.limit);
      const rows = db
        .prepare(`SELECT * FROM job_items ${where.sql} ORDER BY seq LIMIT ? OFFSET ?`)
        .all(...where.params, limit, Math.max(0, filter.offset ?? 0)) as JobItemRow[];
      return rows.map(toJobItem);
    },
    claimNextItem: (jobId) => claimTx.immediate(jobId),
    setItemStep(jobId, seq, step) {
      return (
        db.prepare("UPDATE job_items SET step = ? WHERE job_id = ? AND seq = ? AND status = 'running'").run(step, jobId, seq).changes === 1
      );
    },
    setItemChange(jobId, seq, changeId) {
      return (
        db.prepare("UPDATE job_items SET change_id = ? WHERE job_id = ? AND seq = ? AND status = 'running'").run(changeId, jobId, seq)
          .changes === 1
      );
    },
    finishItem: (jobId, seq, outcome) => finishTx.immediate(jobId, seq, outcome),
    cancelJob: (jobId, by) => cancelTx.immediate(jobId, by),
    failJob: (jobId, error, by) => failTx.immediate(jobId, error, by),
  };
}
