/** Human output for repairs, undos and the journal. */
import type { PropagationReport } from '../../adapters/dns/propagation';
import type { Change } from '../../adapters/store/changes';
import type { StepEvent } from '../../usecases/repair/context';
import type { RepairResult } from '../../usecases/repair/repair';
import { absoluteName, type MassEditAdd } from '../../zone/model';
import { displayBytes, quoteTxt } from './report';
import { escapeControls } from './terminal';

export function renderStep(event: StepEvent): string {
  const mark = { start: '…', done: '✓', warn: '!', fail: '✗', skip: '-' }[event.state];
  return `  ${mark} ${event.step}: ${event.message}\n`;
}

function recordLine(r: { name: string; ttl: number; type: string; data: readonly string[] }): string {
  return `${displayBytes(r.name)} ${r.ttl} IN ${r.type} ${r.type === 'TXT' ? quoteTxt(r.data) : r.data.map(displayBytes).join(' ')}`;
}

function addedLine(a: MassEditAdd, zone: string): string {
  return recordLine({ name: absoluteName(a.dname, zone), ttl: a.ttl, type: a.record_type, data: a.data });
}

/** Before and after of the lockdown record, from a dry run or a finished repair. */
export function renderBeforeAfter(result: RepairResult): string {
  const lines = [`${result.domain} (zone ${result.zone}, account ${result.user})`];
  lines.push('  before:');
  if (result.recordsBefore.length === 0) lines.push('    (no lockdown record)');
  for (const r of result.recordsBefore) lines.push(`    ${recordLine(r)}${r.lineIndex !== undefined ? `   [line ${r.lineIndex}]` : ''}`);
  if (result.plan) {
    lines.push('  after:');
    for (const e of result.plan.edit) lines.push(`    ${addedLine(e, result.plan.zone)}   [replaces line ${e.line_index}]`);
    for (const a of result.plan.add) lines.push(`    ${addedLine(a, result.plan.zone)}   [added]`);
    if (result.plan.remove.length)
      lines.push(`    removed: line${result.plan.remove.length > 1 ? 's' : ''} ${result.plan.remove.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderPropagation(report: PropagationReport): string {
  // Everything here comes from nameservers on the internet: each value is escaped for the terminal.
  const lines = [`${escapeControls(report.name)} — ${report.state}: ${escapeControls(report.summary)}`];
  for (const s of report.servers) {
    const detail = s.error
      ? ` (${escapeControls(s.error)})`
      : ` serial ${s.serial ?? '?'}, TXT ${s.txt.length ? s.txt.map((t) => quoteTxt([t])).join(', ') : '(none)'}`;
    lines.push(`  ${s.state.padEnd(7)} ${escapeControls(s.nameserver)}${s.address ? ` [${escapeControls(s.address)}]` : ''}${detail}`);
  }
  if (report.cachesExpireAt) lines.push(`  resolvers' caches hold the old answer until ${report.cachesExpireAt}`);
  return `${lines.join('\n')}\n`;
}

export function renderRepairResult(result: RepairResult): string {
  const lines = [`${result.status.toUpperCase()}: ${result.message}`];
  if (result.changeId !== undefined) lines.push(`  change #${result.changeId} (undo with: fix-email-auth rollback ${result.changeId})`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n${result.verification ? renderPropagation(result.verification) : ''}`;
}

export function renderChangeRow(change: Change): string {
  const what = change.kind === 'rollback' ? `undo of #${change.rollbackOf}` : 'repair';
  return `#${String(change.id).padEnd(5)} ${change.createdAt.replace('T', ' ').slice(0, 19)}  ${change.status.padEnd(11)} ${what.padEnd(12)} ${change.domain} (zone ${change.zone}, ${change.user})  by ${change.actor.kind}:${change.actor.name}  serial ${change.serialBefore}→${change.serialAfter ?? '-'}\n`;
}

export function renderChangeDetail(change: Change): string {
  const lines = [renderChangeRow(change).trimEnd()];
  lines.push('  removed:');
  for (const r of change.removed) lines.push(`    ${recordLine(r)}   [line ${r.lineIndex}]`);
  lines.push('  added:');
  for (const a of change.added)
    lines.push(`    ${addedLine(a, change.zone)}${a.lineIndex !== undefined ? `   [line ${a.lineIndex}]` : ''}`);
  if (change.error) lines.push(`  error: ${change.error.message} [${change.error.code} at ${change.error.step}]`);
  return `${lines.join('\n')}\n`;
}
