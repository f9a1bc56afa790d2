/**
 * The change journal: one row per DNS change we make, holding the exact records we removed (the
 * only copy once the zone is edited), the plan as sent, the backup, the verification and the status.
 * Undo and crash recovery are built on it, so:
 * - status moves only along the graph in change-status.ts, by compare-and-set (`transition`), so two
 *   processes can never both move the same change;
 * - every transition writes an audit row in the same transaction;
 * - rows are never deleted, and the snapshot is fixed except by a re-plan (triggers in schema-v1).
 */
import type { BackupRef } from '../../ports';
import { normalizeDomain, type MassEditParams, type ZoneRecord } from '../../zone/model';
import type { AuditLog } from './audit';
import { assertAllowedTransition, type ChangeStatus } from './change-status';
import type { Db } from './db';
import {
  decodeAddedRecords,
  decodePlan,
  decodeZoneRecords,
  encodeAddedRecords,
  encodePlan,
  encodeZoneRecords,
  fromJsonColumn,
  toJsonColumn,
  type AddedRecord,
} from './record-codec';
import { SqlFilter, clampLimit } from './sql-filter';
import { isSqliteConstraint, storeError } from './store-error';
import type { Actor, ActorKind, ErrorInfo, IsoTime } from './types';

export type ChangeKind = 'repair' | 'rollback';

/** A backup taken before the change, or why there is none (policy `best-effort` or `off`). */
export type ChangeBackup = BackupRef | { skipped: true; warning: string };

export type ChangeError = ErrorInfo;

export interface Change {
  id: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  actor: Actor;
  /** The mail domain the change is for (normalized: lower case, no final dot). */
  domain: string;
  /** The zone that was edited (a sub-domain lives in its parent's zone). */
  zone: string;
  /** cPanel account that owns the zone. */
  user: string;
  kind: ChangeKind;
  /** For a rollback: the change it undoes. */
  rollbackOf?: number;
  status: ChangeStatus;
  /** SOA serial read before planning, sent with mass_edit_zone. */
  serialBefore: string;
  /** Serial cPanel returned after the edit; set from `applied` on. */
  serialAfter?: string;
  /** The exact records taken out or replaced (by `remove` or `edit`), byte for byte. */
  removed: ZoneRecord[];
  /** The records put in, and where they landed once known. */
  added: AddedRecord[];
  /** mass_edit_zone's parameters exactly as sent (or about to be sent). */
  plan: MassEditParams;
  backup?: ChangeBackup;
  /** The propagation report of the verify step. */
  verification?: unknown;
  error?: ChangeError;
  jobId?: number;
}

export interface NewChange {
  actor: Actor;
  domain: string;
  zone: string;
  user: string;
  kind?: ChangeKind;
  rollbackOf?: number;
  serialBefore: string;
  removed: readonly ZoneRecord[];
  added: readonly AddedRecord[];
  plan: MassEditParams;
  backup?: ChangeBackup;
  jobId?: number;
}

/** What a transition may record besides the new status. */
export interface ChangePatch {
  serialAfter?: string;
  /** The added records again, now with the `lineIndex` a re-read showed. */
  added?: readonly AddedRecord[];
  backup?: ChangeBackup;
  verification?: unknown;
  error?: ChangeError;
  /** Only with a transition to `planned` (cPanel answered Stale): the fresh snapshot and plan. */
  replan?: { serialBefore: string; removed: readonly ZoneRecord[]; added: readonly AddedRecord[]; plan: MassEditParams };
}

export interface TransitionOptions {
  /** Who moves the change; defaults to the change's own actor. */
  by?: Actor;
  /** Extra facts for the audit row. */
  detail?: Record<string, unknown>;
}

export interface ChangeFilter {
  domain?: string;
  zone?: string;
  user?: string;
  status?: ChangeStatus | readonly ChangeStatus[];
  kind?: ChangeKind;
  rollbackOf?: number;
  jobId?: number;
  /** Only changes with an id below this one (paging newest first). */
  before?: number;
  limit?: number;
}

export interface ChangeJournal {
  /** Record a new change in status `planned` (plus its audit row). */
  createChange(input: NewChange): Change;
  getChange(id: number): Change | undefined;
  /** Newest first. */
  listChanges(filter?: ChangeFilter): Change[];
  /** Changes left in `applying` (a crash between intent and outcome), oldest first, for start-up reconciliation. */
  findApplying(): Change[];
  /**
   * Compare-and-set: move change `id` from `from` to `to` and apply `patch`, only if its status is
   * still `from`. Returns false when it is not (another process moved it first). Throws CONFLICT for
   * a move the status graph forbids, NOT_FOUND for an unknown id, BAD_INPUT for a patch that does not
   * fit the move (e.g. `failed` without `error`, `applied` without `serialAfter`).
   */
  transition(id: number, from: ChangeStatus, to: ChangeStatus, patch?: ChangePatch, options?: TransitionOptions): boolean;
  /** Move from whatever the current status is; throws CONFLICT when the graph forbids it. Returns the updated change. */
  advance(id: number, to: ChangeStatus, patch?: ChangePatch, options?: TransitionOptions): Change;
  /**
   * Where the added records landed, learned by re-reading the zone after the edit, without a status
   * change. Only `lineIndex` may differ from the records already stored (BAD_INPUT otherwise), and
   * only once the edit reached the zone (CONFLICT before `applied`).
   */
  recordAdded(id: number, added: readonly AddedRecord[], options?: TransitionOptions): Change;
  /**
   * A propagation report that does not change the status (e.g. still pending on one nameserver, or a
   * later re-check of a verified change). Only once the edit reached the zone (CONFLICT before).
   */
  recordVerification(id: number, verification: unknown, options?: TransitionOptions): Change;
}

interface ChangeRow {
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

function toChange(row: ChangeRow): Change {
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
function assertPlanFits(zone: string, serialBefore: string, plan: MassEditParams): void {
  if (normalizeDomain(plan.zone) !== normalizeDomain(zone)) throw storeError('BAD_INPUT', `The plan is for zone ${plan.zone}, not ${zone}`);
  if (plan.serial !== serialBefore) throw storeError('BAD_INPUT', `The plan carries serial ${plan.serial}, but the serial read before is ${serialBefore}`);
}

/** After planning, the added records are fixed; only the line they landed on may be filled in. */
function assertOnlyLinesDiffer(current: ChangeRow, added: readonly AddedRecord[]): void {
  const strip = (records: readonly AddedRecord[]) => records.map(({ lineIndex: _line, ...record }) => record);
  if (encodeAddedRecords(strip(decodeAddedRecords(current.added_json))) !== encodeAddedRecords(strip(added))) {
    throw storeError('BAD_INPUT', `Change ${current.id}: the records added are fixed by its plan; only where they landed (lineIndex) may be recorded`);
  }
}

function assertPatchFits(to: ChangeStatus, patch: ChangePatch, current: ChangeRow): void {
  if (patch.replan && to !== 'planned') throw storeError('BAD_INPUT', `A re-plan goes back to 'planned', not to '${to}'`);
  if (to === 'planned' && !patch.replan) throw storeError('BAD_INPUT', "Going back to 'planned' needs the re-read snapshot and plan (patch.replan)");
  if (patch.replan) assertPlanFits(current.zone, patch.replan.serialBefore, patch.replan.plan);
  if (patch.added && !patch.replan) assertOnlyLinesDiffer(current, patch.added);
  if (to === 'failed' && !patch.error) throw storeError('BAD_INPUT', "A change marked 'failed' needs an error");
  const serialAfter = patch.serialAfter ?? current.serial_after;
  if (to === 'applied' && serialAfter === null) throw storeError('BAD_INPUT', "A change marked 'applied' needs the serial cPanel returned (serialAfter)");
  // Undo is only meaningful for an edit that reached the zone.
  if (to === 'rolled_back' && serialAfter === null) throw storeError('CONFLICT', `Change ${current.id} never reached the zone (no serial after), so there is nothing to roll back`);
}

function auditSummary(patch: ChangePatch): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  if (patch.serialAfter !== undefined) summary.serialAfter = patch.serialAfter;
  if (patch.error !== undefined) summary.error = patch.error;
  if (patch.backup !== undefined) summary.backup = patch.backup;
  if (patch.replan !== undefined) summary.replan = { serialBefore: patch.replan.serialBefore, remove: patch.replan.plan.remove };
  return summary;
}

export function createChangeJournal(db: Db, now: () => Date, audit: AuditLog): ChangeJournal {
  const insert = db.prepare(
    `INSERT INTO changes (created_at, updated_at, actor_kind, actor_name, domain, zone, cpanel_user, kind, rollback_of,
       status, serial_before, removed_json, added_json, plan_json, backup_json, job_id)
     VALUES (@at, @at, @actorKind, @actorName, @domain, @zone, @user, @kind, @rollbackOf,
       'planned', @serialBefore, @removed, @added, @plan, @backup, @jobId) RETURNING *`,
  );
  const selectById = db.prepare('SELECT * FROM changes WHERE id = ?');

  const getRow = (id: number) => selectById.get(id) as ChangeRow | undefined;

  function assertRollbackTarget(input: NewChange): void {
    if (input.rollbackOf === undefined) return;
    const target = getRow(input.rollbackOf);
    if (!target) throw storeError('NOT_FOUND', `Change ${input.rollbackOf} does not exist`);
    if (normalizeDomain(target.zone) !== normalizeDomain(input.zone)) throw storeError('BAD_INPUT', `Change ${target.id} edited zone ${target.zone}, not ${input.zone}`);
    if (target.serial_after === null || !['applied', 'verified', 'failed'].includes(target.status)) {
      throw storeError('CONFLICT', `Change ${target.id} is '${target.status}'${target.serial_after === null ? ' and never reached the zone' : ''}: there is nothing to roll back`);
    }
  }

  const createTx = db.transaction((input: NewChange): Change => {
    const kind = input.kind ?? (input.rollbackOf === undefined ? 'repair' : 'rollback');
    if ((kind === 'rollback') !== (input.rollbackOf !== undefined)) throw storeError('BAD_INPUT', 'A rollback names the change it undoes (rollbackOf), and only a rollback does');
    assertPlanFits(input.zone, input.serialBefore, input.plan);
    assertRollbackTarget(input);
    let row: ChangeRow;
    try {
      row = insert.get({
        at: now().toISOString(),
        actorKind: input.actor.kind,
        actorName: input.actor.name,
        domain: normalizeDomain(input.domain),
        zone: normalizeDomain(input.zone),
        user: input.user,
        kind,
        rollbackOf: input.rollbackOf ?? null,
        serialBefore: input.serialBefore,
        removed: encodeZoneRecords(input.removed),
        added: encodeAddedRecords(input.added),
        plan: encodePlan(input.plan),
        backup: toJsonColumn(input.backup),
        jobId: input.jobId ?? null,
      }) as ChangeRow;
    } catch (err) {
      if (isSqliteConstraint(err, 'UNIQUE')) throw storeError('CONFLICT', `Change ${input.rollbackOf} is already being rolled back (or was)`, err);
      throw err;
    }
    const change = toChange(row);
    audit.appendAudit({
      actor: change.actor,
      action: 'change.planned',
      domain: change.domain,
      zone: change.zone,
      changeId: change.id,
      jobId: change.jobId,
      detail: { kind, rollbackOf: change.rollbackOf ?? null, serialBefore: change.serialBefore, remove: change.plan.remove, edit: change.plan.edit.map((e) => e.line_index), add: change.plan.add.length },
    });
    return change;
  });

  /** Runs inside a write transaction with `current` freshly read. */
  function applyTransition(current: ChangeRow, to: ChangeStatus, patch: ChangePatch, options: TransitionOptions): void {
    const from = current.status;
    assertPatchFits(to, patch, current);
    const sets = ['status = @to', 'updated_at = @at'];
    const params: Record<string, unknown> = { id: current.id, from, to, at: now().toISOString() };
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = @${column}`);
      params[column] = value;
    };
    if (patch.serialAfter !== undefined) set('serial_after', patch.serialAfter);
    if (patch.backup !== undefined) set('backup_json', toJsonColumn(patch.backup));
    if (patch.verification !== undefined) set('verification_json', toJsonColumn(patch.verification));
    if (patch.error !== undefined) set('error_json', toJsonColumn(patch.error));
    if (patch.added !== undefined && !patch.replan) set('added_json', encodeAddedRecords(patch.added));
    if (patch.replan) {
      set('serial_before', patch.replan.serialBefore);
      set('removed_json', encodeZoneRecords(patch.replan.removed));
      set('added_json', encodeAddedRecords(patch.replan.added));
      set('plan_json', encodePlan(patch.replan.plan));
    }
    const result = db.prepare(`UPDATE changes SET ${sets.join(', ')} WHERE id = @id AND status = @from`).run(params);
    if (result.changes !== 1) throw storeError('INTERNAL', `Change ${current.id} moved while its write lock was held`);
    audit.appendAudit({
      actor: options.by ?? { kind: current.actor_kind as ActorKind, name: current.actor_name },
      action: `change.${to}`,
      domain: current.domain,
      zone: current.zone,
      changeId: current.id,
      jobId: current.job_id ?? undefined,
      detail: { from, to, ...auditSummary(patch), ...options.detail },
    });
  }

  const transitionTx = db.transaction((id: number, from: ChangeStatus, to: ChangeStatus, patch: ChangePatch, options: TransitionOptions): boolean => {
    assertAllowedTransition(from, to);
    const current = getRow(id);
    if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
    if (current.status !== from) return false;
    applyTransition(current, to, patch, options);
    return true;
  });

  const advanceTx = db.transaction((id: number, to: ChangeStatus, patch: ChangePatch, options: TransitionOptions): Change => {
    const current = getRow(id);
    if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
    assertAllowedTransition(current.status, to);
    applyTransition(current, to, patch, options);
    return toChange(getRow(id) as ChangeRow);
  });

  /** A data update with no status change: the edit must have reached the zone. */
  const recordTx = db.transaction((id: number, column: 'added_json' | 'verification_json', value: string, action: string, detail: Record<string, unknown>, options: TransitionOptions): Change => {
    const current = getRow(id);
    if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
    if (current.serial_after === null) throw storeError('CONFLICT', `Change ${id} is '${current.status}' and has not reached the zone; nothing to record yet`);
    if (column === 'added_json') assertOnlyLinesDiffer(current, decodeAddedRecords(value));
    db.prepare(`UPDATE changes SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, now().toISOString(), id);
    audit.appendAudit({
      actor: options.by ?? { kind: current.actor_kind as ActorKind, name: current.actor_name },
      action,
      domain: current.domain,
      zone: current.zone,
      changeId: id,
      jobId: current.job_id ?? undefined,
      detail: { status: current.status, ...detail, ...options.detail },
    });
    return toChange(getRow(id) as ChangeRow);
  });

  return {
    createChange: (input) => createTx.immediate(input),
    getChange(id) {
      const row = getRow(id);
      return row && toChange(row);
    },
    listChanges(filter = {}) {
      const where = new SqlFilter()
        .when(filter.domain === undefined ? undefined : normalizeDomain(filter.domain), 'domain = ?')
        .when(filter.zone === undefined ? undefined : normalizeDomain(filter.zone), 'zone = ?')
        .when(filter.user, 'cpanel_user = ?')
        .whenIn(filter.status, 'status')
        .when(filter.kind, 'kind = ?')
        .when(filter.rollbackOf, 'rollback_of = ?')
        .when(filter.jobId, 'job_id = ?')
        .when(filter.before, 'id < ?');
      const rows = db.prepare(`SELECT * FROM changes ${where.sql} ORDER BY id DESC LIMIT ?`).all(...where.params, clampLimit(filter.limit)) as ChangeRow[];
      return rows.map(toChange);
    },
    findApplying() {
      return (db.prepare("SELECT * FROM changes WHERE status = 'applying' ORDER BY id").all() as ChangeRow[]).map(toChange);
    },
    // IMMEDIATE: take the write lock before reading the status, so the read and the write are one step
    // even against another process (a deferred transaction could read, then lose the race on write).
    transition: (id, from, to, patch = {}, options = {}) => transitionTx.immediate(id, from, to, patch, options),
    advance: (id, to, patch = {}, options = {}) => advanceTx.immediate(id, to, patch, options),
    recordAdded: (id, added, options = {}) =>
      recordTx.immediate(id, 'added_json', encodeAddedRecords(added), 'change.added_located', { lines: added.map((a) => a.lineIndex ?? null) }, options),
    recordVerification(id, verification, options = {}) {
      const state = (verification as { state?: unknown } | null)?.state;
      return recordTx.immediate(id, 'verification_json', JSON.stringify(verification ?? null), 'change.verification_recorded', typeof state === 'string' ? { state } : {}, options);
    },
  };
}
