/**
 * The life of a change (docs/design.md "Writing DNS safely"):
 *
 *   planned ──► backed_up ──► applying ──► applied ──► verified
 *      │  └───────────────────►  │  │          │          │
 *      │    (backup skipped)     │  │          └──────────┴──► rolled_back
 *      ▼                         ▼  └─► planned  (cPanel said Stale: nothing changed, re-plan)
 *    failed ◄──── from any state before verified
 *
 * - `applying` is the intent row: written (durably) before `mass_edit_zone` is sent, so start-up
 *   reconciliation can read the zone and decide applied or not.
 * - `failed` from `applied` exists for a verification that finds our edit is not in the zone; a
 *   failed change whose edit did reach the zone (it has `serialAfter`) can still be rolled back.
 * - `verified` and `rolled_back` are final except for undo; `rolled_back` is final.
 */
import type { ChangeStatus } from '../../ports';
import { storeError } from './store-error';

export type { ChangeStatus } from '../../ports';

export const CHANGE_STATUSES: readonly ChangeStatus[] = [
  'planned',
  'backed_up',
  'applying',
  'applied',
  'verified',
  'failed',
  'rolled_back',
];

const NEXT: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  planned: ['backed_up', 'applying', 'failed'],
  backed_up: ['applying', 'failed'],
  applying: ['applied', 'planned', 'failed'],
  applied: ['verified', 'failed', 'rolled_back'],
  verified: ['rolled_back'],
  failed: ['rolled_back'],
  rolled_back: [],
};

export function allowedNext(from: ChangeStatus): readonly ChangeStatus[] {
  return NEXT[from];
}

export function isAllowedTransition(from: ChangeStatus, to: ChangeStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertAllowedTransition(from: ChangeStatus, to: ChangeStatus): void {
  if (!isAllowedTransition(from, to)) {
    const next = NEXT[from];
    throw storeError(
      'CONFLICT',
      `A change cannot go from '${from}' to '${to}' (from '${from}' it may go to ${next.length ? next.map((s) => `'${s}'`).join(', ') : 'nowhere: it is final'})`,
    );
  }
}
