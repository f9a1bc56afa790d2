/** Human output for diagnoses: readable at a glance — status per domain, what is wrong, what to publish. */
import type { Finding, Severity } from '../../checks/findings';
import type { DomainReport } from '../../usecases/report';
import { absoluteName, bytesToDisplay, type MassEditParams } from '../../zone/model';
import { escapeControls } from './terminal';

const MARK: Record<Severity, string> = { ok: 'OK     ', info: 'INFO   ', warning: 'WARNING', error: 'ERROR  ' };

/** A record's bytes as text for root's terminal: UTF-8 shown, other bytes and every control escaped. */
export function displayBytes(binary: string): string {
  return escapeControls(bytesToDisplay(binary));
}

export function quoteTxt(data: readonly string[]): string {
  return data.map((s) => `"${displayBytes(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`).join(' ');
}

function findingLines(f: Finding): string[] {
  const lines = [`  - [${f.severity}] ${f.code}: ${f.message}`];
  for (const r of f.records) {
    const where = r.lineIndex !== undefined ? ` (line ${r.lineIndex})` : '';
    lines.push(
      `      ${displayBytes(r.name)} ${r.ttl} IN ${r.type} ${r.type === 'TXT' ? quoteTxt(r.data) : r.data.map(displayBytes).join(' ')}${where}`,
    );
  }
  return lines;
}

export function planLines(plan: MassEditParams): string[] {
  const lines: string[] = [`  Change to make in zone ${plan.zone} (serial ${plan.serial}):`];
  for (const e of plan.edit)
    lines.push(
      `    replace line ${e.line_index} with: ${absoluteName(e.dname, plan.zone)} ${e.ttl} IN ${e.record_type} ${quoteTxt(e.data)}`,
    );
  for (const a of plan.add) lines.push(`    add: ${absoluteName(a.dname, plan.zone)} ${a.ttl} IN ${a.record_type} ${quoteTxt(a.data)}`);
  for (const r of plan.remove) lines.push(`    remove line ${r}`);
  return lines;
}

export function renderReport(report: DomainReport): string {
  const owner = report.user ? ` (account ${report.user})` : '';
  const lines = [`${MARK[report.status]} ${report.domain} — zone ${report.zone}${owner}`];
  const problems = report.findings.filter((f) => f.severity !== 'ok');
  const oks = report.findings.filter((f) => f.severity === 'ok').map((f) => f.code);
  for (const f of problems) lines.push(...findingLines(f));
  if (oks.length) lines.push(`  fine: ${oks.join(', ')}`);
  if (report.plan) lines.push(...planLines(report.plan));
  return `${lines.join('\n')}\n`;
}

export function renderReports(reports: DomainReport[]): string {
  const counts = new Map<Severity, number>();
  for (const r of reports) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = (['error', 'warning', 'info', 'ok'] as Severity[])
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
  return `${reports.map(renderReport).join('\n')}\n${reports.length} domain(s): ${summary || 'none'}\n`;
}

/** Exit code 1 when any domain has a warning or an error (CLI contract: problems found). */
export function hasProblems(reports: readonly DomainReport[]): boolean {
  return reports.some((r) => r.status === 'warning' || r.status === 'error');
}
