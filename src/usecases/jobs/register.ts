/**
 * The handlers of the single-change jobs (one repair, one undo). Server-wide jobs — `scan` and
 * `bulk-fix` — are registered by usecases/bulk `registerServerJobs`; a runner needs both.
 */
import { repairItemHandler, rollbackItemHandler, type RepairHandlerDeps } from './handlers';
import type { JobRunner } from './runner';

export function registerChangeJobs(runner: Pick<JobRunner, 'register'>, deps: RepairHandlerDeps): void {
  runner.register('repair', repairItemHandler(deps, { withSteps: true }), { concurrency: 1 });
  runner.register('rollback', rollbackItemHandler(deps), { concurrency: 1 });
}
