/** The handlers of the jobs that change DNS, with the concurrency each kind runs at. */
import { repairItemHandler, rollbackItemHandler, type RepairHandlerDeps } from './handlers';
import type { JobRunner } from './runner';

/** Bulk repairs work a few zones at a time: cPanel's API is rate-limited and zones are independent. */
export const BULK_FIX_CONCURRENCY = 4;

export function registerChangeJobs(runner: JobRunner, deps: RepairHandlerDeps): void {
  runner.register('repair', repairItemHandler(deps, { withSteps: true }), { concurrency: 1 });
  runner.register('bulk-fix', repairItemHandler(deps, { withSteps: false }), { concurrency: BULK_FIX_CONCURRENCY });
  runner.register('rollback', rollbackItemHandler(deps), { concurrency: 1 });
}
