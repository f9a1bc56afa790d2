/**
 * Undo: put back exactly the records a change took out and take out the ones it put in,
 * through the same serial-checked, journalled path as a repair; recorded as a change of its own.
 *
 * Refuses, unless forced, when the records the change put in are no longer there as it left them
 * (someone edited the lockdown record since): undoing then would overwrite their edit. With force,
 * every lockdown record now at the name is replaced by the records the change took out.
 */
import type { Change } from '../../adapters/store/changes';
import { FixEmailAuthError } from '../../errors';
import type { DomainInfo } from '../../ports';
import {
  absoluteName,
  cpanelDname,
  txtValue,
  type MassEditAdd,
  type MassEditEdit,
  type MassEditParams,
  type Zone,
  type ZoneRecord,
} from '../../zone/model';
import { applyChange, type ChangeOutcome } from './applyChange';
import type { RepairContext, RequestBase, StepEvent } from './context';
import { locateAdded, sameRecord } from './records';
import { changeVisibleTo } from './ownership';
import { stepEmitter } from './steps';
import type { VerifyOptions } from './verifyStep';

export interface RollbackRequest extends RequestBase {
  changeId: number;
  /** Undo even though the lockdown record changed since the change. */
  force?: boolean;
  verifyOptions?: VerifyOptions;
}

export interface RollbackResult {
  status: 'verified' | 'applied' | 'failed' | 'unchanged';
  message: string;
  original: Change;
  rollback?: Change;
  plan?: MassEditParams;
  outcome?: ChangeOutcome;
  steps: StepEvent[];
  error?: { code: string; step: string; message: string };
}

const UNDOABLE = new Set(['applied', 'verified', 'failed']);

function addBack(record: ZoneRecord, zone: string): MassEditAdd {
  return { dname: cpanelDname(record.name, zone), ttl: record.ttl, record_type: record.type, data: [...record.data] };
}

/** The plan that undoes `original` on `zone`, or a reason it cannot be done safely. */
export function planUndo(original: Change, zone: Zone, force: boolean): { plan: MassEditParams } | { refusal: string } {
  const located = locateAdded(zone, original.added);
  const missing = original.added.filter((_, i) => located[i] === undefined);
  const editedLines = new Map(original.plan.edit.map((e) => [e.line_index, e]));
  const removedAt = new Map(original.removed.map((r) => [r.lineIndex, r]));
  const remove: number[] = [];
  const edit: MassEditEdit[] = [];
  const add: MassEditAdd[] = [];
  const restored = new Set<ZoneRecord>();

  if (!force) {
    if (missing.length > 0) {
      const shown = missing.map((a) => `${absoluteName(a.dname, zone.name)} TXT "${a.data.join('')}"`).join(', ');
      return {
        refusal: `The record this change put in is no longer in the zone as it was left (${shown}): someone changed it since. Undo with --force to replace what is there now.`,
      };
    }
    const ours = new Set(located.map((r) => r!.lineIndex));
    const names = new Set(original.added.map((a) => absoluteName(a.dname, zone.name)));
    const newcomer = zone.records.find(
      (r) => r.type === 'TXT' && names.has(r.name) && !ours.has(r.lineIndex) && /^v=mc1\b/i.test(txtValue(r)),
    );
    if (newcomer) {
      return {
        refusal: `Another lockdown record was added at ${newcomer.name} since this change ("${txtValue(newcomer)}"): someone changed it since. Undo with --force to replace what is there now.`,
      };
    }
  }
  original.added.forEach((a, i) => {
    const now = located[i];
    if (!now) return;
    const wasEdit = a.lineIndex !== undefined && editedLines.has(a.lineIndex) && now.lineIndex === a.lineIndex;
    const old = wasEdit ? removedAt.get(now.lineIndex) : undefined;
    if (old) {
      // The change edited this line in place: edit it back, so the record returns to its own line.
      edit.push({ line_index: now.lineIndex, ...addBack(old, zone.name) });
      restored.add(old);
    } else {
      remove.push(now.lineIndex);
    }
  });
  if (force) {
    // Whatever lockdown record is at the names we wrote now goes too.
    const names = new Set(original.added.map((a) => absoluteName(a.dname, zone.name)));
    const touched = new Set([...remove, ...edit.map((e) => e.line_index)]);
    for (const r of zone.records) {
      if (r.type === 'TXT' && names.has(r.name) && !touched.has(r.lineIndex) && /^v=mc1\b/i.test(txtValue(r))) remove.push(r.lineIndex);
    }
  }
  // A taken-out record someone already put back by hand is not added twice. Only records this undo
  // leaves in place count, and each stands for one taken-out record: a zone that held two identical
  // records gets both back, and a line the undo edits or removes never counts as "already back".
  const touched = new Set([...remove, ...edit.map((e) => e.line_index)]);
  const alreadyBack = new Set<number>();
  for (const old of original.removed) {
    if (restored.has(old)) continue;
    const back = zone.records.find((r) => !touched.has(r.lineIndex) && !alreadyBack.has(r.lineIndex) && sameRecord(r, old));
    if (back) alreadyBack.add(back.lineIndex);
    else add.push(addBack(old, zone.name));
  }
  if (remove.length === 0 && edit.length === 0 && add.length === 0)
    return { refusal: 'The zone already holds the records this change took out, and none it put in: there is nothing to undo.' };
  return { plan: { zone: zone.name, serial: zone.serial, remove, edit, add } };
}

export async function rollbackChange(ctx: RepairContext, req: RollbackRequest): Promise<RollbackResult> {
  const { emit, events } = stepEmitter(ctx.clock, req.onStep);
  // Checked again here, not only in the route: the domain may have moved to another account since.
  const { change: original, owner } = await changeVisibleTo(ctx, req.changeId, req.asUser);
  if (original.kind !== 'repair') {
    throw new FixEmailAuthError('CONFLICT', `Change ${original.id} is itself an undo; to redo the repair, run the repair again.`, {
      step: 'rollback',
    });
  }
  if (original.status === 'rolled_back')
    throw new FixEmailAuthError('CONFLICT', `Change ${original.id} was already undone.`, { step: 'rollback' });
  if (!UNDOABLE.has(original.status) || (original.status === 'failed' && !original.serialAfter)) {
    throw new FixEmailAuthError(
      'CONFLICT',
      `Change ${original.id} never reached the zone (status ${original.status}); there is nothing to undo.`,
      { step: 'rollback' },
    );
  }

  // The undo is recorded under the account that owns the domain now (its history shows it).
  const info: DomainInfo = owner ?? { domain: original.domain, zone: original.zone, user: original.user, owner: '', type: 'main' };
  emit('read', 'start', `Reading zone ${original.zone}`);
  const zone = await ctx.zones.readZone(original.zone);
  const first = planUndo(original, zone, req.force ?? false);
  if ('refusal' in first) {
    emit('rollback', 'fail', first.refusal);
    const code = first.refusal.startsWith('The zone already holds') ? 'unchanged' : 'failed';
    return {
      status: code,
      message: first.refusal,
      original,
      steps: events,
      ...(code === 'failed' ? { error: { code: 'CONFLICT', step: 'rollback', message: first.refusal } } : {}),
    };
  }
  emit('plan', 'done', `Undo planned for change ${original.id}`, { plan: first.plan });

  const outcome = await applyChange(ctx, {
    ...req,
    info,
    kind: 'rollback',
    rollbackOf: original.id,
    zone,
    plan: first.plan,
    emit,
    verifyName: `_mailchannels.${original.domain}.`,
    replan: async () => {
      const fresh = await ctx.zones.readZone(original.zone);
      const again = planUndo(original, fresh, req.force ?? false);
      if ('refusal' in again) return { zone: fresh, plan: null };
      return { zone: fresh, plan: again.plan };
    },
    onApplied: () => {
      ctx.journal.advance(original.id, 'rolled_back', {}, { by: req.actor, detail: { undoneBy: 'rollback' } });
    },
  });
  const rollback = outcome.change;
  const base = { original: ctx.journal.getChange(original.id) ?? original, rollback, plan: outcome.plan, outcome, steps: events };
  switch (outcome.status) {
    case 'verified':
      return { ...base, status: 'verified', message: `Change ${original.id} was undone; ${outcome.verification?.summary ?? ''}`.trim() };
    case 'applied':
      return {
        ...base,
        status: 'applied',
        message: `Change ${original.id} was undone in the zone; ${outcome.verification?.summary ?? 'the nameservers could not be checked.'}`,
      };
    case 'not-needed':
      return { ...base, status: 'unchanged', message: outcome.error?.message ?? 'Nothing to undo.' };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        message: outcome.error?.message ?? 'The undo failed; nothing was changed.',
        ...(outcome.error ? { error: outcome.error } : {}),
      };
  }
}
