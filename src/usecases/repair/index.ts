/** Repair, undo and crash reconciliation: the use cases that change DNS. */
export { repairDomain, describePlan, lockdownRecordsOf, type RepairRequest, type RepairResult, type RepairStatus } from './repair';
export { rollbackChange, planUndo, type RollbackRequest, type RollbackResult } from './rollback';
export { restoreFromBackup, type RestoreRequest, type RestoreResult } from './restoreFromBackup';
export {
  reconcileInterruptedChanges,
  settleChangeFromZone,
  type ReconcileReport,
  type ChangeSettlement,
  type SettleOptions,
} from './reconcile';
export { applyChange, settleUncertainApply, MAX_APPLY_ATTEMPTS, type ChangeOutcome } from './applyChange';
export { resolveOwnedDomain, checkDomainSyntax, changeVisibleTo } from './ownership';
export type { RepairContext, RequestBase, StepEvent, RepairStep, StepState, Verifier } from './context';
export { DEFAULT_VERIFY_OPTIONS, type VerifyOptions } from './verifyStep';
