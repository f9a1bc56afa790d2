/** The SQLite store: change journal, audit log, jobs, scan results, log cursors. */
export { openStore, type Store, type StoreOptions } from './store';
export type { Actor, ActorKind, ErrorInfo, IsoTime } from './types';
export { SYSTEM_ACTOR } from './types';
export type {
  Change,
  ChangeBackup,
  ChangeError,
  ChangeFilter,
  ChangeJournal,
  ChangeKind,
  ChangePatch,
  NewChange,
  TransitionOptions,
} from './changes';
export { CHANGE_STATUSES, allowedNext, isAllowedTransition, type ChangeStatus } from './change-status';
export type { AddedRecord } from './record-codec';
export type { AuditEntry, AuditFilter, AuditInput, AuditLog } from './audit';
export type { Job, JobItem, JobItemStatus, JobKind, JobProgress, JobStatus } from './job-rows';
export type { ItemOutcome, JobFilter, JobItemFilter, JobQueue, NewJob } from './jobs';
export type { ItemResolution, JobRecovery, Reconcile, RecoveryOptions, RecoveryReport } from './job-recovery';
export {
  SCAN_STATUSES,
  type ScanPage,
  type ScanQuery,
  type ScanResult,
  type ScanResultInput,
  type ScanResults,
  type ScanSort,
  type ScanStatus,
  type ScanSummary,
} from './scans';
export type { LogCursor, LogCursorStore } from './cursors';
export type { FleetOutbox, FleetRequestRow, FleetRequestState, OutboxRow, ScanRowForFleet, ChangeRowForFleet } from './fleet';
export { APPLICATION_ID, MIGRATIONS, latestVersion, type Migration } from './migrations';
export type { SelfHealStore, RejectionBatch, DomainRejections, RejectedDomain, AutofixAttempt } from './selfheal';
export type { Notice, NoticeKind, NewNotice, NoticeStore } from './notices';
export type { MetricsQueries, ChangeCount, FinishedJob } from './metricsQueries';
export type { TemplateChange, TemplateChangeStatus, TemplateJournal } from './templateChanges';
