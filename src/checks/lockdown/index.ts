/** Domain Lockdown: parser of the `v=mc1` grammar and the check (docs/reference/mailchannels.md §2–§6). */
export { checkLockdown, type LockdownCheckInput } from './check';
export {
  parseLockdown,
  LOCKDOWN_VERSION,
  type ParsedLockdown,
  type LockdownField,
  type LockdownProblem,
  type LockdownProblemKind,
} from './parse';
export {
  locateLockdownRecords,
  lockdownOwner,
  type LockdownLocation,
  type LocatedRecord,
  type MisplacedRecord,
  type MisplacedReason,
} from './locate';
export { evaluateAuthorization, isAuthorized, type Authorization } from './authorization';
export { parseSenderId, senderIdCoverage, sidwCoverage, type AccountIdentity, type SenderId, type Coverage } from './senderIds';
export { tokenize } from './tokenize';
export { tenantFindings, tenantRecordValue, describeIdentity, type TenantCheckInput } from './tenant';
