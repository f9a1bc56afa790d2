/** Job and job-item rows, their conversion, and the bookkeeping shared by the queue and its recovery. */
import type { AuditLog } from './audit';
import type { Db } from './db';
import { fromJsonColumn } from './record-codec';
import { SYSTEM_ACTOR, type Actor, type ActorKind, type ErrorInfo, type IsoTime } from './types';

export type JobKind = 'scan' | 'bulk-fix' | 'repair' | 'rollback' | 'verify' | 'backup';

/**
 * queued → running → done | failed; running → cancelling → cancelled (running items finish first);
 * running → interrupted (daemon stopped or crashed) → running again by `resumeJob`.
 */
export type JobStatus = 'queued' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'failed' | 'interrupted';

export type JobItemStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** Counts of the job's items by status, computed in SQL each time (never a counter that can drift). */
export interface JobProgress {
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

export interface Job {
  id: number;
  kind: JobKind;
  createdAt: IsoTime;
  startedAt?: IsoTime;
  finishedAt?: IsoTime;
  status: JobStatus;
  actor: Actor;
  params: unknown;
  progress: JobProgress;
  dryRun: boolean;
  /** The process working the job (`pid@host`), so recovery never takes a live process's work. */
  runner?: string;
  error?: ErrorInfo;
}

export interface JobItem {
  jobId: number;
  /** 1-based position in the job; items are claimed in this order. */
  seq: number;
  /** What the item is about: a domain or a zone. */
  key: string;
  status: JobItemStatus;
  /** Where a running item is (e.g. `backup`, `apply`, `verify`), for the page that polls. */
  step?: string;
  /** How many times the item was claimed (more than 1 after a resume). */
  attempts: number;
  /** The per-zone result (dry-run plan, repair outcome, …). */
  result?: unknown;
  /** The journal change this item made, recorded before applying it (see job-recovery.ts). */
  changeId?: number;
  startedAt?: IsoTime;
  finishedAt?: IsoTime;
}

export interface JobRow {
  id: number;
  kind: JobKind;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  status: JobStatus;
  actor_kind: string;
  actor_name: string;
  params_json: string;
  dry_run: number;
  runner: string | null;
  error_json: string | null;
}

export interface JobItemRow {
  job_id: number;
  seq: number;
  key: string;
  status: JobItemStatus;
  step: string | null;
  attempts: number;
  result_json: string | null;
  change_id: number | null;
  started_at: string | null;
  finished_at: string | null;
}

export function toJobItem(row: JobItemRow): JobItem {
  const item: JobItem = { jobId: row.job_id, seq: row.seq, key: row.key, status: row.status, attempts: row.attempts };
  if (row.step !== null) item.step = row.step;
  const result = fromJsonColumn<unknown>(row.result_json);
  if (result !== undefined) item.result = result;
  if (row.change_id !== null) item.changeId = row.change_id;
  if (row.started_at !== null) item.startedAt = row.started_at;
  if (row.finished_at !== null) item.finishedAt = row.finished_at;
  return item;
}

export function jobProgress(db: Db, jobId: number): JobProgress {
  const progress: JobProgress = { total: 0, pending: 0, running: 0, done: 0, failed: 0, skipped: 0, cancelled: 0 };
  const counts = db.prepare('SELECT status, count(*) AS n FROM job_items WHERE job_id = ? GROUP BY status').all(jobId) as {
    status: JobItemStatus;
    n: number;
  }[];
  for (const { status, n } of counts) {
    progress[status] = n;
    progress.total += n;
  }
  return progress;
}

export function toJob(db: Db, row: JobRow): Job {
  const job: Job = {
    id: row.id,
    kind: row.kind,
    createdAt: row.created_at,
    status: row.status,
    actor: { kind: row.actor_kind as ActorKind, name: row.actor_name },
    params: fromJsonColumn<unknown>(row.params_json) ?? null,
    progress: jobProgress(db, row.id),
    dryRun: row.dry_run === 1,
  };
  if (row.started_at !== null) job.startedAt = row.started_at;
  if (row.finished_at !== null) job.finishedAt = row.finished_at;
  if (row.runner !== null) job.runner = row.runner;
  const error = fromJsonColumn<ErrorInfo>(row.error_json);
  if (error !== undefined) job.error = error;
  return job;
}

export function getJobRow(db: Db, jobId: number): JobRow | undefined {
  return db.prepare('SELECT * FROM jobs WHERE id = ?').get(jobId) as JobRow | undefined;
}

/**
 * When no item is pending or running any more, the job is over: `done` (whatever the items'
 * outcomes; the progress tells how many failed) or `cancelled` when a cancel was under way.
 * Returns the status the job ends up in.
 */
export function settleJob(db: Db, audit: AuditLog, jobId: number, at: IsoTime): JobStatus | undefined {
  const job = getJobRow(db, jobId);
  if (!job) return undefined;
  const open = db.prepare("SELECT count(*) AS n FROM job_items WHERE job_id = ? AND status IN ('pending', 'running')").get(jobId) as {
    n: number;
  };
  if (open.n > 0) return job.status;
  const next: JobStatus | undefined =
    job.status === 'cancelling'
      ? 'cancelled'
      : job.status === 'running' || job.status === 'interrupted' || job.status === 'queued'
        ? 'done'
        : undefined;
  if (!next) return job.status;
  db.prepare('UPDATE jobs SET status = ?, finished_at = ? WHERE id = ? AND status = ?').run(next, at, jobId, job.status);
  audit.appendAudit({ actor: SYSTEM_ACTOR, action: `job.${next}`, jobId, detail: { from: job.status, progress: jobProgress(db, jobId) } });
  return next;
}
