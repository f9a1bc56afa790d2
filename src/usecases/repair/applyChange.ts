/**
 * One journalled, serial-checked zone change — shared by repair and rollback, so both keep the same
 * promises (docs/design.md "Writing DNS safely"):
 * - the journal row with the exact records taken out exists before the zone is touched, and is moved
 *   to `applying` (the intent) before mass_edit_zone is sent;
 * - the write carries the serial that was read; on Stale the caller's `replan` re-reads and
 *   re-plans (bounded), the old plan is never re-sent;
 * - a write whose answer was lost is settled by reading the zone, never by re-sending;
 * - the result is verified on every authoritative nameserver.
 */
import type { PropagationReport } from '../../adapters/dns/propagation';
import type { SnapshotOutcome } from '../../adapters/jetbackup/policy';
import type { Change, ChangeKind } from '../../adapters/store/changes';
import { isFixEmailAuthError } from '../../errors';
import type { DomainInfo } from '../../ports';
import type { MassEditParams, Zone } from '../../zone/model';
import type { RepairContext, RequestBase } from './context';
import { locateAdded, planLanded, recordsPutIn, recordsTakenOut } from './records';
import type { Emit } from './steps';
import { DEFAULT_VERIFY_OPTIONS, verifyOnNameservers, type VerifyOptions } from './verifyStep';

/** Re-plans after a Stale answer before giving up: someone is editing the zone right now. */
export const MAX_APPLY_ATTEMPTS = 3;

export interface ChangeRequest extends RequestBase {
  info: DomainInfo;
  kind: ChangeKind;
  rollbackOf?: number;
  zone: Zone;
  plan: MassEditParams;
  /** After Stale: re-read the zone and plan again; a null plan means the change is no longer needed. */
  replan: () => Promise<{ zone: Zone; plan: MassEditParams | null }>;
  /** The owner name whose TXT is verified on the nameservers. */
  verifyName: string;
  verifyOptions?: VerifyOptions;
  emit: Emit;
  /** Run in the same transaction as the move to `applied` (rollback marks its original). */
  onApplied?: (change: Change) => void;
}

export type ChangeOutcomeStatus = 'verified' | 'applied' | 'failed' | 'not-needed';

export interface ChangeOutcome {
  status: ChangeOutcomeStatus;
  change: Change;
  plan: MassEditParams;
  attempts: number;
  backup?: SnapshotOutcome;
  serialAfter?: string;
  zoneAfter?: Zone;
  verification?: PropagationReport;
  warnings: string[];
  error?: { code: string; step: string; message: string };
}

function errorInfo(err: unknown, step: string): { code: string; step: string; message: string } {
  if (isFixEmailAuthError(err)) return { code: err.code, step: err.step, message: err.message };
  return { code: 'INTERNAL', step, message: err instanceof Error ? err.message : String(err) };
}

export async function applyChange(ctx: RepairContext, req: ChangeRequest): Promise<ChangeOutcome> {
  const { info, emit } = req;
  const warnings: string[] = [];
  let plan = req.plan;
  let zone = req.zone;
  let attempts = 0;
  let change = ctx.journal.createChange({
    actor: req.actor,
    domain: info.domain,
    zone: info.zone,
    user: info.user,
    kind: req.kind,
    ...(req.rollbackOf !== undefined ? { rollbackOf: req.rollbackOf } : {}),
    serialBefore: zone.serial,
    removed: recordsTakenOut(zone, plan),
    added: recordsPutIn(plan),
    plan,
    ...(req.jobId !== undefined ? { jobId: req.jobId } : {}),
  });
  req.onChangeCreated?.(change.id);
  const outcome = (status: ChangeOutcomeStatus, extra: Partial<ChangeOutcome> = {}): ChangeOutcome => ({
    status,
    change: ctx.journal.getChange(change.id) ?? change,
    plan,
    attempts,
    warnings,
    ...extra,
  });
  const fail = (error: { code: string; step: string; message: string }, extra: Partial<ChangeOutcome> = {}): ChangeOutcome => {
    const current = ctx.journal.getChange(change.id);
    if (current && current.status !== 'failed' && current.status !== 'applying') ctx.journal.advance(change.id, 'failed', { error });
    emit(error.step === 'backup' ? 'backup' : 'apply', 'fail', error.message);
    return outcome('failed', { error, ...extra });
  };

  // Snapshot first: under policy "required" no backup means no change.
  emit('backup', 'start', `Taking a JetBackup snapshot of account ${info.user}`);
  let backup: SnapshotOutcome;
  try {
    backup = await ctx.backup.snapshotBeforeChange(info.user);
  } catch (err) {
    return fail(errorInfo(err, 'backup'));
  }
  if (backup.ref) {
    change = ctx.journal.advance(change.id, 'backed_up', { backup: backup.ref });
    emit('backup', 'done', `JetBackup snapshot ${backup.ref.snapshotId ?? '(queued)'} taken`);
  } else {
    const warning = backup.warning ?? 'No JetBackup snapshot (backup policy "off"); the journal keeps the removed records';
    change = ctx.journal.advance(change.id, 'backed_up', { backup: { skipped: true, warning } });
    if (backup.skipped !== 'off') warnings.push(warning);
    emit('backup', backup.skipped === 'off' ? 'skip' : 'warn', warning);
  }

  let serialAfter: string | undefined;
  while (serialAfter === undefined) {
    attempts++;
    change = ctx.journal.advance(change.id, 'applying');
    emit('apply', 'start', `Sending the change to cPanel with serial ${plan.serial} (attempt ${attempts})`);
    try {
      serialAfter = (await ctx.zones.massEdit(plan)).newSerial;
    } catch (err) {
      if (isFixEmailAuthError(err, 'STALE_SERIAL')) {
        emit('apply', 'warn', 'Someone else changed the zone since it was read; reading it again');
        if (attempts >= MAX_APPLY_ATTEMPTS) {
          const error = {
            code: 'STALE_SERIAL',
            step: 'apply',
            message: `The zone kept changing while we tried to edit it (${attempts} attempts); nothing was changed. Try again in a minute.`,
          };
          ctx.journal.advance(change.id, 'failed', { error });
          return fail(error, { backup });
        }
        const fresh = await req.replan();
        zone = fresh.zone;
        if (!fresh.plan) {
          const message = 'Another edit of the zone already made this change unnecessary; nothing was changed by us.';
          ctx.journal.advance(change.id, 'failed', { error: { code: 'CONFLICT', step: 'apply', message } });
          emit('apply', 'skip', message);
          return outcome('not-needed', { backup, error: { code: 'CONFLICT', step: 'apply', message } });
        }
        plan = fresh.plan;
        change = ctx.journal.advance(change.id, 'planned', {
          replan: { serialBefore: zone.serial, removed: recordsTakenOut(zone, plan), added: recordsPutIn(plan), plan },
        });
        emit('plan', 'done', `Planned again on serial ${zone.serial}`, { plan });
        continue;
      }
      if (isFixEmailAuthError(err, 'TIMEOUT') || isFixEmailAuthError(err, 'TRANSPORT')) {
        emit('apply', 'warn', `cPanel did not answer clearly (${err.message}); reading the zone to see whether the change landed`);
        const settled = await settleUncertainApply(ctx, ctx.journal.getChange(change.id)!);
        if (settled.landed && settled.serial !== undefined) {
          serialAfter = settled.serial;
          break;
        }
        const message = settled.known
          ? `cPanel did not answer (${err.message}); the zone shows the change did not land, so nothing was changed.`
          : `cPanel did not answer (${err.message}) and the zone could not be read back; the change will be reconciled when the daemon next starts.`;
        return fail({ code: err.code, step: 'apply', message }, { backup });
      }
      const error = errorInfo(err, 'apply');
      ctx.journal.advance(change.id, 'failed', { error });
      return fail(error, { backup });
    }
  }

  const newSerial: string = serialAfter;
  // cPanel does not say where added records landed (docs/reference/cpanel-api.md §6.3): re-read.
  const zoneAfter = await ctx.zones.readZone(info.zone);
  const current = ctx.journal.getChange(change.id)!;
  const landed = locateAdded(zoneAfter, current.added);
  const added = current.added.map((a, i) => (landed[i] ? { ...a, lineIndex: landed[i].lineIndex } : a));
  ctx.journal.transaction(() => {
    if (current.status === 'applying') ctx.journal.advance(change.id, 'applied', { serialAfter: newSerial, added });
    else ctx.journal.recordAdded(change.id, added);
    req.onApplied?.(ctx.journal.getChange(change.id)!);
  });
  emit('apply', 'done', `cPanel accepted the change; zone ${info.zone} is now at serial ${newSerial}`, { serial: newSerial });

  const previousTtl = current.removed
    .filter((r) => r.name === req.verifyName)
    .reduce<number | undefined>((max, r) => (max === undefined || r.ttl > max ? r.ttl : max), undefined);
  let verification: PropagationReport;
  try {
    verification = await verifyOnNameservers(
      ctx,
      { zone: zoneAfter, name: req.verifyName, expectedSerial: newSerial, ...(previousTtl !== undefined ? { previousTtl } : {}) },
      emit,
      req.verifyOptions ?? DEFAULT_VERIFY_OPTIONS,
    );
  } catch (err) {
    const message = `The change is in the zone, but the nameservers could not be checked: ${(err as Error).message}`;
    emit('verify', 'warn', message);
    warnings.push(message);
    return outcome('applied', { backup, serialAfter: newSerial, zoneAfter });
  }
  if (verification.state === 'verified') {
    ctx.journal.advance(change.id, 'verified', { verification });
    return outcome('verified', { backup, serialAfter: newSerial, zoneAfter, verification });
  }
  ctx.journal.recordVerification(change.id, verification);
  return outcome('applied', { backup, serialAfter: newSerial, zoneAfter, verification });
}

/**
 * After a write whose answer was lost (or a crash between intent and outcome): read the zone and
 * settle the journal row. `landed` when the zone holds the change; `known: false` when the zone could
 * not be read — the row then stays `applying` for the next reconciliation.
 */
export async function settleUncertainApply(
  ctx: Pick<RepairContext, 'zones' | 'journal'>,
  change: Change,
): Promise<{ landed: boolean; known: boolean; serial?: string }> {
  let zone: Zone;
  try {
    zone = await ctx.zones.readZone(change.zone);
  } catch {
    return { landed: false, known: false };
  }
  const landed = zoneHoldsChange(zone, change);
  recordSettlement(ctx.journal, change, landed, zone.serial);
  return landed ? { landed, known: true, serial: zone.serial } : { landed, known: true };
}

/** The zone shows the change: its serial moved on and it holds what the change put in, not what it took out. */
export function zoneHoldsChange(zone: Zone, change: Pick<Change, 'serialBefore' | 'removed' | 'added'>): boolean {
  return zone.serial !== change.serialBefore && planLanded(zone, change.removed, change.added);
}

/**
 * Move an `applying` change to what its zone shows. An undo that landed also closes the change it
 * undid, in the same transaction, exactly as a clean undo does (rollback.ts `onApplied`).
 */
export function recordSettlement(
  journal: Pick<RepairContext['journal'], 'transition' | 'getChange' | 'transaction'>,
  change: Change,
  landed: boolean,
  serial: string,
): void {
  if (!landed) {
    journal.transition(change.id, 'applying', 'failed', {
      error: {
        code: 'NOT_APPLIED',
        step: 'apply',
        message: 'The write was interrupted; the zone shows it did not land, so nothing was changed.',
      },
    });
    return;
  }
  journal.transaction(() => {
    if (!journal.transition(change.id, 'applying', 'applied', { serialAfter: serial }, { detail: { reconciled: true } })) return;
    const original = change.kind === 'rollback' && change.rollbackOf !== undefined ? journal.getChange(change.rollbackOf) : undefined;
    if (original && (original.status === 'applied' || original.status === 'verified' || original.status === 'failed')) {
      journal.transition(original.id, original.status, 'rolled_back', {}, { detail: { undoneBy: 'rollback', reconciled: true } });
    }
  });
}
