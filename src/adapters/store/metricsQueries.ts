/**
 * Read-only aggregates for monitoring, taken from the journal itself so they agree with it and survive
 * restarts: changes by kind, status and actor, and jobs finished since a watermark (their durations).
 */
import type { Db } from './db';

export interface ChangeCount {
  kind: string;
  status: string;
  actorKind: string;
  actorName: string;
  count: number;
}

export interface FinishedJob {
  id: number;
  kind: string;
  status: string;
  startedAt: string;
  finishedAt: string;
}

export interface MetricsQueries {
  changeCounts(): ChangeCount[];
  /** Jobs finished after (finishedAt, id) in that order, at most `limit`. */
  jobsFinishedAfter(after: { finishedAt: string; id: number }, limit: number): FinishedJob[];
}

export function createMetricsQueries(db: Db): MetricsQueries {
  const changes = db.prepare(
    `SELECT kind, status, actor_kind AS actorKind, actor_name AS actorName, count(*) AS count
     FROM changes GROUP BY kind, status, actor_kind, actor_name`,
  );
  const jobs = db.prepare(
    `SELECT id, kind, status, started_at AS startedAt, finished_at AS finishedAt FROM jobs
     WHERE finished_at IS NOT NULL AND started_at IS NOT NULL AND (finished_at > ? OR (finished_at = ? AND id > ?))
     ORDER BY finished_at, id LIMIT ?`,
  );
  return {
    changeCounts: () => changes.all() as ChangeCount[],
    jobsFinishedAfter: (after, limit) => jobs.all(after.finishedAt, after.finishedAt, after.id, limit) as FinishedJob[],
  };
}
