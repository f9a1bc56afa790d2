/**
 * Which diagnoses an automatic repair may act on: a lockdown record that is simply stale — records
 * exist, none names the provider, and nothing about them is unclear. Anything a person may have meant
 * (block-all `v=mc1`, several records, a malformed or misplaced one, `cfid=`, a value that would only
 * match with different letter case, another user's sender ID) is left for a person.
 */
import { blocksAllMail, isStaleLockdown, type Finding } from '../../checks/findings';
import type { DomainReport } from '../report';

export type LeaveReason =
  /** The lockdown record is fine (or missing, which lets mail through). */
  | 'not-stale'
  /** `v=mc1` with no identifier: blocks everything, perhaps on purpose. */
  | 'block-all'
  /** Several records, a malformed or misplaced one, `cfid=`, a case-folded match, another user's sender ID. */
  | 'ambiguous'
  /** The world does not ask this server for the domain. */
  | 'not-authoritative'
  /** The checks asked for a person (a value we refuse to write). */
  | 'manual';

/**
 * Stale findings that still leave a choice to a person: which of several records was meant, what a
 * malformed or misplaced one was for, a `cfid=` Worker, another cPanel user's sender ID. In the stale
 * selection (a bulk repair the admin confirms fixes them), never changed without someone asking.
 */
const AMBIGUOUS = new Set<string>([
  'LOCKDOWN_MULTIPLE',
  'LOCKDOWN_MALFORMED',
  'LOCKDOWN_MISPLACED',
  'LOCKDOWN_CFID',
  'LOCKDOWN_WRONG_SENDERID',
]);

/** A value that would only match with another letter case or a split comma list (check.ts `suspect`). */
function isSuspect(f: Finding): boolean {
  const suspect = f.details?.suspect;
  return Array.isArray(suspect) && suspect.length > 0;
}

/**
 * null when an automatic repair may rewrite the record; else why it must not. "Stale" is the one
 * selection of src/checks/findings.ts (`isStaleLockdown`, which already leaves block-all out); the
 * automatic repair takes only its unambiguous part.
 */
export function autofixRefusal(report: Pick<DomainReport, 'findings' | 'plan'>): LeaveReason | null {
  const { findings } = report;
  if (findings.some((f) => f.code === 'DNS_NOT_AUTHORITATIVE')) return 'not-authoritative';
  if (blocksAllMail(findings)) return 'block-all';
  const lockdown = findings.filter((f) => f.check === 'lockdown' && f.severity !== 'ok');
  if (lockdown.some((f) => typeof f.details?.manual === 'string')) return 'manual';
  if (!isStaleLockdown(findings)) return lockdown.some((f) => AMBIGUOUS.has(f.code)) ? 'ambiguous' : 'not-stale';
  if (lockdown.some((f) => AMBIGUOUS.has(f.code) || isSuspect(f))) return 'ambiguous';
  return report.plan ? null : 'manual';
}
