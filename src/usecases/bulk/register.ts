/**
 * The bulk jobs on the generic runner: `scan` (the scanner of usecases/scan, a slice of zones
 * per item) and `bulk-fix` (this folder's handler). Register them after jobs' `registerChangeJobs`.
 */
import type { Job } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import type { JobRunner } from '../jobs/runner';
import { registerScanJobs, type ScanHandlerDeps } from '../scan/job';
import { bulkFixHandler, type BulkFixDeps } from './handler';
import { spreadByZone } from './select';

/** Zones repaired at once by default: cPanel's API is rate-limited, and zones are independent. */
export const BULK_CONCURRENCY = 4;

export interface ServerJobDeps {
  bulk: BulkFixDeps;
  scan: ScanHandlerDeps;
}

export function registerServerJobs(
  runner: Pick<JobRunner, 'register'>,
  deps: ServerJobDeps,
  options: { bulkConcurrency?: number } = {},
): void {
  registerScanJobs(runner, deps.scan);
  runner.register('bulk-fix', bulkFixHandler(deps.bulk), { concurrency: options.bulkConcurrency ?? BULK_CONCURRENCY });
}

export interface StartBulkOptions {
  dryRun?: boolean;
  concurrency?: number;
  keepForeign?: boolean;
  /** Replace records that block all mail too (`--include-block-all`, WHM's checkbox). */
  allowBlockAll?: boolean;
}

/** A bulk repair (or its dry run) of these domains; `zone` (when known) spreads one zone's domains apart. */
export function startBulkFix(
  runner: Pick<JobRunner, 'startJob'>,
  domains: ReadonlyArray<{ domain: string; zone?: string }>,
  actor: Actor,
  options: StartBulkOptions = {},
): Job {
  const keys = spreadByZone(domains.map((d) => ({ domain: d.domain, zone: d.zone ?? d.domain })));
  const params = { ...(options.keepForeign ? { keepForeign: true } : {}), ...(options.allowBlockAll ? { allowBlockAll: true } : {}) };
  return runner.startJob('bulk-fix', keys, params, actor, {
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
}
