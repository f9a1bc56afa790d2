/**
 * The findings vocabulary of docs/design.md. Codes are stable: the UI, the JSON output and the tests key
 * on them. Severity of each code is fixed here so every producer agrees.
 */
export type Severity = 'ok' | 'info' | 'warning' | 'error';
export type CheckName = 'lockdown' | 'spf' | 'dkim' | 'dmarc' | 'dns';

export const FINDING_SEVERITY = {
  LOCKDOWN_OK: 'ok',
  LOCKDOWN_MISSING: 'warning',
  LOCKDOWN_STALE: 'error',
  LOCKDOWN_WRONG_SENDERID: 'error',
  LOCKDOWN_BLOCK_ALL: 'warning',
  LOCKDOWN_MULTIPLE: 'error',
  LOCKDOWN_MALFORMED: 'error',
  LOCKDOWN_CFID: 'error',
  LOCKDOWN_MISPLACED: 'warning',
  LOCKDOWN_SHARED: 'warning',
  LOCKDOWN_IDENTITY_MISSING: 'error',
  SPF_OK: 'ok',
  SPF_MISSING: 'warning',
  SPF_MULTIPLE: 'error',
  SPF_SYNTAX: 'error',
  SPF_NO_MAILCHANNELS: 'warning',
  SPF_PASS_ALL: 'error',
  SPF_TOO_MANY_LOOKUPS: 'error',
  DKIM_OK: 'ok',
  DKIM_MISSING: 'warning',
  DKIM_MALFORMED: 'error',
  DKIM_MISMATCH: 'error',
  DMARC_OK: 'ok',
  DMARC_MISSING: 'warning',
  DMARC_MULTIPLE: 'error',
  DMARC_MALFORMED: 'error',
  DMARC_POLICY_NONE: 'info',
  DNS_NOT_AUTHORITATIVE: 'warning',
  DNS_PROPAGATION_PENDING: 'info',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_SEVERITY;

/**
 * "Stale": the lockdown findings that make MailChannels reject the domain's mail although nobody
 * meant it to (a record left by a migration, a dead `cfid=`, several or broken records, another
 * user's sender ID, in tenant mode a mailbox the record does not list yet). What `fix --all-stale`, the admin's "all stale" and the scan's summary pick.
 *
 * A bare `v=mc1` (LOCKDOWN_BLOCK_ALL) is not among them: MailChannels' support article has described
 * it as the way to stop all sending from a domain
 * (https://support.mailchannels.com/hc/en-us/articles/16918954360845-Secure-your-domain-name-against-spoofing-with-Domain-Lockdown),
 * like SPF `-all` for parked and non-sending domains: a customer's choice a bulk repair must not undo. A
 * domain whose record blocks all mail is left out of the selection even when it has another stale
 * finding too (`v=mc1 auth=` is both block-all and malformed), unless the caller asks to include it.
 */
export const STALE_LOCKDOWN_CODES = [
  'LOCKDOWN_STALE',
  'LOCKDOWN_IDENTITY_MISSING',
  'LOCKDOWN_WRONG_SENDERID',
  'LOCKDOWN_MULTIPLE',
  'LOCKDOWN_MALFORMED',
  'LOCKDOWN_CFID',
] as const satisfies readonly FindingCode[];

/** The record blocks all mail on purpose (or so it reads): repaired only when someone says so. */
export const BLOCK_ALL_CODE = 'LOCKDOWN_BLOCK_ALL' satisfies FindingCode;

export interface StaleOptions {
  /** Also pick domains whose record blocks all mail (`--include-block-all`, WHM's checkbox). */
  includeBlockAll?: boolean;
}

/** The stale selection as a filter over stored scan results: any of `codes`, none of `excludeCodes`. */
export function staleSelection(options: StaleOptions = {}): { codes: FindingCode[]; excludeCodes: FindingCode[] } {
  return options.includeBlockAll
    ? { codes: [...STALE_LOCKDOWN_CODES, BLOCK_ALL_CODE], excludeCodes: [] }
    : { codes: [...STALE_LOCKDOWN_CODES], excludeCodes: [BLOCK_ALL_CODE] };
}

/** Is a domain with these findings (or finding codes) in the stale selection? */
export function isStaleLockdown(findings: readonly (string | Pick<Finding, 'code'>)[], options: StaleOptions = {}): boolean {
  const { codes, excludeCodes } = staleSelection(options);
  const present = new Set(findings.map((f) => (typeof f === 'string' ? f : f.code)));
  return codes.some((c) => present.has(c)) && !excludeCodes.some((c) => present.has(c));
}

/** The domain's record blocks all mail through MailChannels (a repair needs explicit consent). */
export function blocksAllMail(findings: readonly (string | Pick<Finding, 'code'>)[]): boolean {
  return findings.some((f) => (typeof f === 'string' ? f : f.code) === BLOCK_ALL_CODE);
}

/** A DNS record a finding is about, as shown to people and written to JSON. */
export interface FindingRecord {
  /** Absolute owner name with trailing dot. */
  name: string;
  type: string;
  ttl: number;
  /** The record's character-strings (TXT) or RDATA fields. */
  data: string[];
  /** Logical value (TXT strings joined with no separator). */
  value: string;
  /** cPanel `line_index` when the record came from a zone. */
  lineIndex?: number;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  check: CheckName;
  /** One plain sentence for a hosting customer. */
  message: string;
  records: FindingRecord[];
  /** Code-specific facts (e.g. lookup count, the foreign auth ids, the expected record). */
  details?: Record<string, unknown>;
}

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, error: 3 };

/** A domain's status is its worst severity; no findings at all counts as ok. */
export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity {
  let worst: Severity = 'ok';
  for (const f of findings) if (RANK[f.severity] > RANK[worst]) worst = f.severity;
  return worst;
}

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function finding(
  code: FindingCode,
  check: CheckName,
  message: string,
  records: FindingRecord[] = [],
  details?: Record<string, unknown>,
): Finding {
  const f: Finding = { code, severity: FINDING_SEVERITY[code], check, message, records };
  if (details !== undefined) f.details = details;
  return f;
}
