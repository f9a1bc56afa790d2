/**
 * Repairing and undoing a zone template, the way a zone is repaired: look again, journal the exact
 * texts before anything is written, replace the file only if it still holds what was read (the
 * adapter keeps the previous file and swaps atomically), record the outcome; undo writes the text
 * back only over the repaired text, unless forced.
 */
import type { AuditLog, TemplateChange, TemplateJournal } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import { FixEmailAuthError, describeError } from '../../errors';
import type { ZoneTemplates } from '../../ports';
import { checkTemplate, type TemplateReport } from './check';

export interface TemplateContext {
  templates: ZoneTemplates;
  journal: TemplateJournal & Pick<AuditLog, 'appendAudit'>;
  authId: string;
  ttl?: number;
}

/** Every template of the directory, checked. */
export async function checkZoneTemplates(ctx: Pick<TemplateContext, 'templates' | 'authId' | 'ttl'>): Promise<TemplateReport[]> {
  const out: TemplateReport[] = [];
  for (const file of await ctx.templates.list()) {
    try {
      out.push(checkTemplate(file.name, await ctx.templates.read(file.name), ctx.authId, ctx.ttl));
    } catch (err) {
      out.push({ name: file.name, status: 'unknown', findings: [], repaired: null, before: [], after: [], error: describeError(err) });
    }
  }
  return out;
}

export interface TemplateRepairResult {
  status: 'applied' | 'unchanged' | 'failed';
  message: string;
  report: TemplateReport;
  change?: TemplateChange;
}

async function write(ctx: TemplateContext, change: TemplateChange, name: string, from: string, to: string): Promise<TemplateChange> {
  try {
    const { backupPath } = await ctx.templates.replace(name, from, to);
    return ctx.journal.settleTemplateChange(change.id, 'applied', { backupPath });
  } catch (err) {
    ctx.journal.settleTemplateChange(change.id, 'failed', { error: describeError(err) });
    throw err;
  }
}

export async function repairZoneTemplate(ctx: TemplateContext, name: string, actor: Actor): Promise<TemplateRepairResult> {
  const text = await ctx.templates.read(name);
  const report = checkTemplate(name, text, ctx.authId, ctx.ttl);
  if (report.repaired === null) {
    const message = report.error
      ? `The template ${name} could not be read as a zone: ${report.error}`
      : `The template ${name} needs no change.`;
    return { status: report.error ? 'failed' : 'unchanged', message, report };
  }
  const change = ctx.journal.createTemplateChange({ actor, template: name, kind: 'repair', beforeText: text, afterText: report.repaired });
  try {
    const applied = await write(ctx, change, name, text, report.repaired);
    return { status: 'applied', message: `New zones made from ${name} now get: ${report.after.join(' ')}`, report, change: applied };
  } catch (err) {
    return { status: 'failed', message: describeError(err), report, change: ctx.journal.getTemplateChange(change.id)! };
  }
}

export async function rollbackZoneTemplate(
  ctx: TemplateContext,
  changeId: number,
  actor: Actor,
  options: { force?: boolean } = {},
): Promise<{ status: 'applied' | 'failed'; message: string; change?: TemplateChange }> {
  const original = ctx.journal.getTemplateChange(changeId);
  if (!original) throw new FixEmailAuthError('NOT_FOUND', `There is no zone-template change ${changeId}.`);
  if (original.kind !== 'repair' || original.status !== 'applied') {
    throw new FixEmailAuthError(
      'CONFLICT',
      `Zone-template change ${changeId} is ${original.status}; only an applied repair can be undone.`,
    );
  }
  const current = await ctx.templates.read(original.template);
  if (current !== original.afterText && !options.force) {
    return {
      status: 'failed',
      message: `The template ${original.template} was edited after change ${changeId}; undoing it would lose that edit (force to undo anyway).`,
    };
  }
  const undo = ctx.journal.createTemplateChange({
    actor,
    template: original.template,
    kind: 'rollback',
    rollbackOf: changeId,
    beforeText: current,
    afterText: original.beforeText,
  });
  try {
    const applied = await write(ctx, undo, original.template, current, original.beforeText);
    ctx.journal.settleTemplateChange(changeId, 'rolled_back');
    return {
      status: 'applied',
      message: `The template ${original.template} holds its text from before change ${changeId} again.`,
      change: applied,
    };
  } catch (err) {
    return { status: 'failed', message: describeError(err), change: ctx.journal.getTemplateChange(undo.id)! };
  }
}
