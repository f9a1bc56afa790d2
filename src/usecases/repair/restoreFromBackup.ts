/**
 * Undo from the JetBackup snapshot taken before a change — "when asked", because it is the
 * blunt tool: JetBackup restores the account's whole DNS item, i.e. every zone of the account as it
 * was at snapshot time, and any later edit to those zones is lost. The journal-based undo
 * (rollback.ts) is the precise one and the default.
 *
 * JetBackup writes the zone files itself, outside mass_edit_zone, so the journal row records what
 * the restore did to the change's zone: the records it took out and put in, read before and after.
 */
import type { Change } from '../../adapters/store/changes';
import type { AddedRecord } from '../../adapters/store/record-codec';
import { FixEmailAuthError } from '../../errors';
import type { BackupRef } from '../../ports';
import { cpanelDname, type Zone, type ZoneRecord } from '../../zone/model';
import type { RepairContext, RequestBase, StepEvent } from './context';
import { sameRecord } from './records';
import { changeVisibleTo } from './ownership';
import { stepEmitter } from './steps';

export interface RestoreRequest extends RequestBase {
  changeId: number;
}

export interface RestoreResult {
  status: 'restored' | 'failed';
  message: string;
  original: Change;
  restore?: Change;
  steps: StepEvent[];
}

function isJetBackupRef(backup: Change['backup']): backup is BackupRef {
  return backup !== undefined && 'kind' in backup && backup.kind === 'jetbackup';
}

function difference(a: Zone, b: Zone): ZoneRecord[] {
  return a.records.filter((r) => r.type !== 'SOA' && !b.records.some((s) => s.lineIndex === r.lineIndex && sameRecord(r, s)));
}

export async function restoreFromBackup(ctx: RepairContext, req: RestoreRequest): Promise<RestoreResult> {
  const { emit, events } = stepEmitter(ctx.clock, req.onStep);
  const { change: original } = await changeVisibleTo(ctx, req.changeId, req.asUser);
  if (!isJetBackupRef(original.backup)) {
    throw new FixEmailAuthError(
      'CONFLICT',
      `Change ${original.id} has no JetBackup snapshot to restore (${original.backup && 'warning' in original.backup ? original.backup.warning : 'none was taken'}); use the journal undo instead.`,
      { step: 'rollback' },
    );
  }
  if (!ctx.backupRestore) throw new FixEmailAuthError('BACKUP_FAILED', 'JetBackup is not configured on this server', { step: 'rollback' });
  if (original.status === 'rolled_back')
    throw new FixEmailAuthError('CONFLICT', `Change ${original.id} was already undone.`, { step: 'rollback' });

  const before = await ctx.zones.readZone(original.zone);
  // The intent goes to the audit log first; JetBackup's own queue keeps the restore's log.
  ctx.journal.appendAudit({
    actor: req.actor,
    action: 'jetbackup-restore-started',
    domain: original.domain,
    zone: original.zone,
    changeId: original.id,
    detail: { backup: original.backup, serialBefore: before.serial },
  });
  emit(
    'rollback',
    'start',
    `Restoring the DNS zones of account ${original.user} from JetBackup snapshot ${original.backup.snapshotId ?? ''}`.trim(),
  );
  try {
    await ctx.backupRestore.restoreDns(original.backup);
  } catch (err) {
    const message = (err as Error).message;
    ctx.journal.appendAudit({
      actor: req.actor,
      action: 'jetbackup-restore-failed',
      domain: original.domain,
      zone: original.zone,
      changeId: original.id,
      detail: { message },
    });
    emit('rollback', 'fail', message);
    return { status: 'failed', message, original, steps: events };
  }
  const after = await ctx.zones.readZone(original.zone);
  // What the restore did to the zone, written as the mass edit that would have done the same.
  const removed = difference(before, after);
  const added: AddedRecord[] = difference(after, before).map((r) => ({
    dname: cpanelDname(r.name, after.name),
    ttl: r.ttl,
    record_type: r.type,
    data: r.data,
    lineIndex: r.lineIndex,
  }));
  const plan = {
    zone: before.name,
    serial: before.serial,
    remove: removed.map((r) => r.lineIndex),
    edit: [],
    add: added.map(({ lineIndex: _line, ...a }) => a),
  };
  const row = ctx.journal.transaction(() => {
    const created = ctx.journal.createChange({
      actor: req.actor,
      domain: original.domain,
      zone: original.zone,
      user: original.user,
      kind: 'rollback',
      rollbackOf: original.id,
      serialBefore: before.serial,
      removed,
      added,
      plan,
    });
    ctx.journal.advance(created.id, 'backed_up', { backup: original.backup });
    ctx.journal.advance(created.id, 'applying');
    ctx.journal.advance(created.id, 'applied', { serialAfter: after.serial, added }, { detail: { via: 'jetbackup-restore' } });
    ctx.journal.advance(
      original.id,
      'rolled_back',
      {},
      { by: req.actor, detail: { undoneBy: 'jetbackup-restore', restoreChange: created.id } },
    );
    return created;
  });
  const message = `Zone ${original.zone} restored from the JetBackup snapshot taken before change ${original.id} (${added.length} record(s) came back).`;
  emit('rollback', 'done', message);
  return {
    status: 'restored',
    message,
    original: ctx.journal.getChange(original.id)!,
    restore: ctx.journal.getChange(row.id)!,
    steps: events,
  };
}
