/**
 * Jobs: the generic runner (runner.ts), the handlers of the jobs that change one zone, and start-up
 * recovery; the server-wide scan and bulk-fix handlers are in usecases/scan and usecases/bulk.
 * See README.md in this folder for the API other use cases build on.
 */
export {
  createJobRunner,
  type JobRunner,
  type JobRunnerDeps,
  type ItemHandler,
  type ItemContext,
  type HandlerOptions,
  type StartJobOptions,
  type DrainReport,
  type RunnerLogger,
} from './runner';
export {
  repairItemHandler,
  rollbackItemHandler,
  repairItemResult,
  summarizeVerification,
  type RepairJobParams,
  type RollbackJobParams,
  type RepairItemResult,
  type RollbackItemResult,
  type VerificationSummary,
  type RepairHandlerDeps,
} from './handlers';
export { recoverAtStart, reconcileItemFromJournal, type StartupRecovery } from './recovery';
export { registerChangeJobs } from './register';
