/**
 * Bulk at server scale: the `bulk-fix` job (many repairs, one write at a time per zone, resumable),
 * its selection and per-zone report, resuming a job left behind, and registering the server's jobs.
 */
export { bulkFixHandler, type BulkFixDeps } from './handler';
export { ZoneLocks } from './zoneLocks';
export { jobDirectory, type JobDirectory } from './jobDirectory';
export { backupOncePerAccount } from './backupOnce';
export { selectFromScan, spreadByZone, type BulkFilter } from './select';
export { bulkReport, type BulkReport, type ZoneOutcome, type DomainOutcome } from './report';
export { resumeJob, type ResumeDeps, type ResumeOutcome } from './resume';
export { registerServerJobs, startBulkFix, BULK_CONCURRENCY, type ServerJobDeps, type StartBulkOptions } from './register';
export {
  serverBounces,
  byCpanelAccount,
  DEFAULT_RETENTION_MS,
  MAX_WINDOW_EVENTS,
  type ServerBouncesInput,
  type ServerBounceReport,
  type CpanelAccountBounces,
  type AccountOwner,
} from './serverBounces';
