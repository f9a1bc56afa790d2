/**
 * Crash safety (issue 4): a change left in `applying` means the process died between writing the
 * intent and learning the outcome. At start we read each such zone and settle the row — applied or
 * not — so a crash never leaves a duplicate or a lost record, and never a guess.
 */
import type { Change } from '../../adapters/store/changes';
import type { RepairContext } from './context';
import { settleUncertainApply } from './applyChange';

export interface ReconcileReport {
  applied: Change[];
  notApplied: Change[];
  /** The zone could not be read; the row stays `applying` for the next start. */
  unknown: Change[];
}

export async function reconcileInterruptedChanges(ctx: Pick<RepairContext, 'zones' | 'journal'>): Promise<ReconcileReport> {
  const report: ReconcileReport = { applied: [], notApplied: [], unknown: [] };
  for (const change of ctx.journal.findApplying()) {
    const settled = await settleUncertainApply(ctx, change);
    const now = ctx.journal.getChange(change.id) ?? change;
    if (!settled.known) report.unknown.push(now);
    else if (settled.landed) report.applied.push(now);
    else report.notApplied.push(now);
  }
  return report;
}
