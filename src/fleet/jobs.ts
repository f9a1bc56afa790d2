/**
 * Work shared between controller processes, on pg-boss (https://github.com/timgit/pg-boss, queues in
 * PostgreSQL taken with SKIP LOCKED): any process may pick up a job, and a job whose process died is
 * handed to another once it expires (`jobs.expireSeconds`), as pg-boss's maintenance retries it.
 *
 * - `fleet-repair-expand`: address a bulk repair's requests to each server (store/repairs.ts
 *   `expandRepair`, safe to run again from any point). Sent in the same transaction that creates
 *   the repair, so a repair never exists without its job. When its retries are spent the job goes to
 *   `fleet-repair-failed`, whose worker marks the repair failed with the error.
 * - `fleet-housekeeping` (every 5 minutes): forget nonces older than the signature window, expired sessions.
 */
import { hostname } from 'os';
import PgBoss from 'pg-boss';
import type { FleetConfig } from './config';
import { SIGNATURE_WINDOW_MS } from './protocol';
import {
  createRepair,
  expandRepair,
  inTransaction,
  markRepairFailed,
  pruneNonces,
  pruneSessions,
  type Pool,
  type RepairSelection,
} from './store';

export const EXPAND_QUEUE = 'fleet-repair-expand';
export const FAILED_QUEUE = 'fleet-repair-failed';
export const HOUSEKEEPING_QUEUE = 'fleet-housekeeping';

export type FleetLog = (entry: Record<string, unknown>) => void;

export interface FleetJobs {
  readonly worker: string;
  /** Create a repair and its expansion job in one transaction; returns the repair id. */
  requestRepair(createdBy: string, selection: RepairSelection): Promise<number>;
  stop(): Promise<void>;
}

export interface FleetJobsOptions {
  connectionString: string;
  pool: Pool;
  jobs: FleetConfig['jobs'];
  /** Work the queues in this process (a CLI that only sends jobs passes false). */
  work: boolean;
  log?: FleetLog;
  /** Called after each server's part of a repair is addressed (logs; tests watch progress). */
  onExpanded?: (repairId: number, serverId: number) => void;
}

export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

export async function startFleetJobs(options: FleetJobsOptions): Promise<FleetJobs> {
  const log = options.log ?? (() => undefined);
  const worker = workerName();
  const boss = new PgBoss({
    connectionString: options.connectionString,
    max: 3,
    application_name: `fix-email-auth-fleet-jobs ${worker}`,
    supervise: options.work,
    schedule: options.work,
    maintenanceIntervalSeconds: options.jobs.maintenanceSeconds,
  });
  boss.on('error', (err) => log({ level: 'error', msg: 'pg-boss', error: err.message }));
  await boss.start();
  const queue = { retryLimit: options.jobs.retryLimit, retryDelay: 1, expireInSeconds: options.jobs.expireSeconds };
  await boss.createQueue(FAILED_QUEUE, { name: FAILED_QUEUE, ...queue });
  await boss.createQueue(EXPAND_QUEUE, { name: EXPAND_QUEUE, ...queue, deadLetter: FAILED_QUEUE });
  await boss.createQueue(HOUSEKEEPING_QUEUE, { name: HOUSEKEEPING_QUEUE, retryLimit: 0, expireInSeconds: 300 });

  if (options.work) {
    const polling = { pollingIntervalSeconds: options.jobs.pollSeconds, batchSize: 1 };
    await boss.work<{ repairId: number }>(EXPAND_QUEUE, polling, async ([job]) => {
      if (!job) return;
      const { repairId } = job.data;
      log({ level: 'info', msg: 'expanding repair', repairId, worker, job: job.id });
      const outcome = await expandRepair(options.pool, repairId, worker, (serverId) => {
        log({ level: 'info', msg: 'repair addressed to server', repairId, serverId, worker });
        options.onExpanded?.(repairId, serverId);
      });
      log({ level: 'info', msg: 'repair expansion ended', repairId, outcome, worker });
    });
    await boss.work<{ repairId: number }>(FAILED_QUEUE, polling, async ([job]) => {
      if (!job) return;
      await markRepairFailed(options.pool, job.data.repairId, 'The controller could not address this repair to the servers (see its log).');
    });
    await boss.work(HOUSEKEEPING_QUEUE, polling, async () => {
      await pruneNonces(options.pool, (2 * SIGNATURE_WINDOW_MS) / 1000);
      await pruneSessions(options.pool);
    });
    await boss.schedule(HOUSEKEEPING_QUEUE, '*/5 * * * *');
  }

  return {
    worker,
    async requestRepair(createdBy, selection) {
      return inTransaction(options.pool, async (client) => {
        const repairId = await createRepair(client, createdBy, selection);
        const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
        await boss.send(EXPAND_QUEUE, { repairId }, { db });
        return repairId;
      });
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
