/**
 * Status words and badges. A badge always says its status in words (colour is never the only signal,
 * WCAG 1.4.1), and rows carry the three-valued `data-status` the browser tests key on.
 */
import type { CheckName, Finding, Severity } from '../../checks/findings';
import { severityRank } from '../../checks/findings';

export type AnyStatus = Severity | 'unknown';
export type PageStatus = 'ok' | 'warning' | 'error';

/** ok|info → ok (a note is not a problem), warning → warning, error → error, unknown → warning. */
export function pageStatus(status: AnyStatus): PageStatus {
  if (status === 'error') return 'error';
  if (status === 'warning' || status === 'unknown') return 'warning';
  return 'ok';
}

export interface Badge {
  status: AnyStatus;
  text: string;
}

const TEXT: Record<AnyStatus, string> = { ok: 'OK', info: 'Note', warning: 'Warning', error: 'Problem', unknown: 'Not checked' };

export function badge(status: AnyStatus): Badge {
  return { status, text: TEXT[status] };
}

export const CHECK_LABELS: Record<CheckName, string> = {
  lockdown: 'MailChannels Domain Lockdown',
  spf: 'SPF',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  dns: 'DNS hosting',
};

export const CHECK_ORDER: readonly CheckName[] = ['lockdown', 'spf', 'dkim', 'dmarc', 'dns'];

/** The worst severity among a check's findings; `ok` when the check said nothing. */
export function checkSeverity(findings: readonly Finding[], check: CheckName): Severity {
  let worst: Severity = 'ok';
  for (const f of findings) if (f.check === check && severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}

/** Findings grouped by check, in display order, each group with its badge. */
export function findingGroups(findings: readonly Finding[]): Array<{ check: CheckName; label: string; badge: Badge; findings: Finding[] }> {
  return CHECK_ORDER.map((check) => ({
    check,
    label: CHECK_LABELS[check],
    badge: badge(checkSeverity(findings, check)),
    findings: findings.filter((f) => f.check === check),
  })).filter((g) => g.findings.length > 0);
}

/** The finding a person should read first: the worst one (first of equals). */
export function headline(findings: readonly Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const f of findings) if (!best || severityRank(f.severity) > severityRank(best.severity)) best = f;
  return best;
}
