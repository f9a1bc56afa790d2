/** A `changes` row as SQLite holds it, its conversion to a `Change`, and the checks a write must pass. */
import { normalizeDomain, type MassEditParams } from '../../zone/model';
import type { ChangeStatus } from './change-status';
import type { Change, ChangeBackup, ChangeError, ChangeKind, ChangePatch } from '../../ports';
import { decodeAddedRecords, decodePlan, decodeZoneRecords, encodeAddedRecords, fromJsonColumn, type AddedRecord } from './record-codec';
import { storeError } from './store-error';
import type { ActorKind } from './types';

export interface ChangeRow {
  id: number;
  created_at: string;
  updated_at: string;
  actor_kind: string;
  actor_name: string;
  domain: string;
  zone: string;
  cpanel_user: string;
  kind: ChangeKind;
  rollback_of: number | null;
  status: ChangeStatus;
  serial_before: string;
  serial_after: string | null;
  removed_json: string;
  added_json: string;
  plan_json: string;
  backup_json: string | null;
  verification_json: string | null;
  error_json: string | null;
  job_id: number | null;
}

export function toChange(row: ChangeRow): Change {
  const change: Change = {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    actor: { kind: row.actor_kind as ActorKind, name: row.actor_name },
    domain: row.domain,
    zone: row.zone,
    user: row.cpanel_user,
    kind: row.kind,
    status: row.status,
    serialBefore: row.serial_before,
    removed: decodeZoneRecords(row.removed_json),
    added: decodeAddedRecords(row.added_json),
    plan: decodePlan(row.plan_json),
  };
  if (row.rollback_of !== null) change.rollbackOf = row.rollback_of;
  if (row.serial_after !== null) change.serialAfter = row.serial_after;
  const backup = fromJsonColumn<ChangeBackup>(row.backup_json);
  if (backup !== undefined) change.backup = backup;
  const verification = fromJsonColumn<unknown>(row.verification_json);
  if (verification !== undefined) change.verification = verification;
  const error = fromJsonColumn<ChangeError>(row.error_json);
  if (error !== undefined) change.error = error;
  if (row.job_id !== null) change.jobId = row.job_id;
  return change;
}

/** The plan is sent with the serial read and for the zone of the change; a mismatch is a bug upstream. */
export function assertPlanFits(zone: string, serialBefore: string, plan: MassEditParams): void {
  if (normalizeDomain(plan.zone) !== normalizeDomain(zone)) throw storeError('BAD_INPUT', `The plan is for zone ${plan.zone}, not ${zone}`);
  if (plan.serial !== serialBefore)
    throw storeError('BAD_INPUT', `The plan carries serial ${plan.serial}, but the serial read before is ${serialBefore}`);
}

/** After planning, the added records are fixed; only the line they landed on may be filled in. */
export function assertOnlyLinesDiffer(current: ChangeRow, added: readonly AddedRecord[]): void {
  const strip = (records: readonly AddedRecord[]) => records.map(({ lineIndex: _line, ...record }) => record);
  if (encodeAddedRecords(strip(decodeAddedRecords(current.added_json))) !== encodeAddedRecords(strip(added))) {
    throw storeError(
      'BAD_INPUT',
      `Change ${current.id}: the records added are fixed by its plan; only where they landed (lineIndex) may be recorded`,
    );
  }
}

export function assertPatchFits(to: ChangeStatus, patch: ChangePatch, current: ChangeRow): void {
  if (patch.replan && to !== 'planned') throw storeError('BAD_INPUT', `A re-plan goes back to 'planned', not to '${to}'`);
  if (to === 'planned' && !patch.replan)
    throw storeError('BAD_INPUT', "Going back to 'planned' needs the re-read snapshot and plan (patch.replan)");
  if (patch.replan) assertPlanFits(current.zone, patch.replan.serialBefore, patch.replan.plan);
  if (patch.added && !patch.replan) assertOnlyLinesDiffer(current, patch.added);
  if (to === 'failed' && !patch.error) throw storeError('BAD_INPUT', "A change marked 'failed' needs an error");
  const serialAfter = patch.serialAfter ?? current.serial_after;
  if (to === 'applied' && serialAfter === null)
    throw storeError('BAD_INPUT', "A change marked 'applied' needs the serial cPanel returned (serialAfter)");
  // Undo is only meaningful for an edit that reached the zone.
  if (to === 'rolled_back' && serialAfter === null)
    throw storeError('CONFLICT', `Change ${current.id} never reached the zone (no serial after), so there is nothing to roll back`);
}

export function auditSummary(patch: ChangePatch): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  if (patch.serialAfter !== undefined) summary.serialAfter = patch.serialAfter;
  if (patch.error !== undefined) summary.error = patch.error;
  if (patch.backup !== undefined) summary.backup = patch.backup;
  if (patch.replan !== undefined) summary.replan = { serialBefore: patch.replan.serialBefore, remove: patch.replan.plan.remove };
  return summary;
}
