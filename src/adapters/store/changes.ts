/**
 * The change journal: one row per DNS change we make, holding the exact records we removed (the
 * only copy once the zone is edited), the plan as sent, the backup, the verification and the status.
 * Undo and crash recovery are built on it, so:
 * - status moves only along the graph in change-status.ts, by compare-and-set (`transition`), so two
 *   processes can never both move the same change;
 * - every transition writes an audit row in the same transaction;
 * - rows are never deleted, and the snapshot is fixed except by a re-plan (triggers in schema-v1).
 */
import { normalizeDomain } from '../../zone/model';
import type { AuditLog } from './audit';
import { assertAllowedTransition, type ChangeStatus } from './change-status';
import { assertOnlyLinesDiffer, assertPatchFits, assertPlanFits, auditSummary, toChange, type ChangeRow } from './change-rows';
import type { Change, ChangeJournal, ChangePatch, NewChange, TransitionOptions } from '../../ports';
import type { Db } from './db';
import { decodeAddedRecords, encodeAddedRecords, encodePlan, encodeZoneRecords, toJsonColumn } from './record-codec';
import { SqlFilter, clampLimit } from './sql-filter';
import { isSqliteConstraint, storeError } from './store-error';
import type { ActorKind } from './types';

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
} from '../../ports';

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
    if (normalizeDomain(target.zone) !== normalizeDomain(input.zone))
      throw storeError('BAD_INPUT', `Change ${target.id} edited zone ${target.zone}, not ${input.zone}`);
    if (target.serial_after === null || !['applied', 'verified', 'failed'].includes(target.status)) {
      throw storeError(
        'CONFLICT',
        `Change ${target.id} is '${target.status}'${target.serial_after === null ? ' and never reached the zone' : ''}: there is nothing to roll back`,
      );
    }
  }

  const createTx = db.transaction((input: NewChange): Change => {
    const kind = input.kind ?? (input.rollbackOf === undefined ? 'repair' : 'rollback');
    if ((kind === 'rollback') !== (input.rollbackOf !== undefined))
      throw storeError('BAD_INPUT', 'A rollback names the change it undoes (rollbackOf), and only a rollback does');
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
      if (isSqliteConstraint(err, 'UNIQUE'))
        throw storeError('CONFLICT', `Change ${input.rollbackOf} is already being rolled back (or was)`, err);
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
      detail: {
        kind,
        rollbackOf: change.rollbackOf ?? null,
        serialBefore: change.serialBefore,
        remove: change.plan.remove,
        edit: change.plan.edit.map((e) => e.line_index),
        add: change.plan.add.length,
      },
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

  const transitionTx = db.transaction(
    (id: number, from: ChangeStatus, to: ChangeStatus, patch: ChangePatch, options: TransitionOptions): boolean => {
      assertAllowedTransition(from, to);
      const current = getRow(id);
      if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
      if (current.status !== from) return false;
      applyTransition(current, to, patch, options);
      return true;
    },
  );

  const advanceTx = db.transaction((id: number, to: ChangeStatus, patch: ChangePatch, options: TransitionOptions): Change => {
    const current = getRow(id);
    if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
    assertAllowedTransition(current.status, to);
    applyTransition(current, to, patch, options);
    return toChange(getRow(id) as ChangeRow);
  });

  /** A data update with no status change: the edit must have reached the zone. */
  const recordTx = db.transaction(
    (
      id: number,
      column: 'added_json' | 'verification_json',
      value: string,
      action: string,
      detail: Record<string, unknown>,
      options: TransitionOptions,
    ): Change => {
      const current = getRow(id);
      if (!current) throw storeError('NOT_FOUND', `Change ${id} does not exist`);
      if (current.serial_after === null)
        throw storeError('CONFLICT', `Change ${id} is '${current.status}' and has not reached the zone; nothing to record yet`);
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
    },
  );

  return {
    createChange: (input) => createTx.immediate(input),
    getChange(id) {
      const row = getRow(id);
      return row && toChange(row);
    },
    listChanges(filter = {}) {
      const where = new SqlFilter()
        .whenIn(filter.domain === undefined ? undefined : [filter.domain].flat().map(normalizeDomain), 'domain')
        .when(filter.zone === undefined ? undefined : normalizeDomain(filter.zone), 'zone = ?')
        .when(filter.user, 'cpanel_user = ?')
        .whenIn(filter.status, 'status')
        .when(filter.kind, 'kind = ?')
        .when(filter.rollbackOf, 'rollback_of = ?')
        .when(filter.jobId, 'job_id = ?')
        .when(filter.before, 'id < ?');
      const rows = db
        .prepare(`SELECT * FROM changes ${where.sql} ORDER BY id DESC LIMIT ?`)
        .all(...where.params, clampLimit(filter.limit)) as ChangeRow[];
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
      recordTx.immediate(
        id,
        'added_json',
        encodeAddedRecords(added),
        'change.added_located',
        { lines: added.map((a) => a.lineIndex ?? null) },
        options,
      ),
    recordVerification(id, verification, options = {}) {
      const state = (verification as { state?: unknown } | null)?.state;
      return recordTx.immediate(
        id,
        'verification_json',
        JSON.stringify(verification ?? null),
        'change.verification_recorded',
        typeof state === 'string' ? { state } : {},
        options,
      );
    },
  };
}
