/**
 * The findings vocabulary of DESIGN.md. Codes are stable: the UI, the JSON output and the tests key
 * on them. Severity of each code is fixed here so every producer agrees.
 */
export type Severity = 'ok' | 'info' | 'warning' | 'error';
export type CheckName = 'lockdown' | 'spf' | 'dkim' | 'dmarc' | 'dns';

export const FINDING_SEVERITY = {
  LOCKDOWN_OK: 'ok',
  LOCKDOWN_MISSING: 'warning',
  LOCKDOWN_STALE: 'error',
  LOCKDOWN_WRONG_SENDERID: 'error',
  LOCKDOWN_BLOCK_ALL: 'error',
  LOCKDOWN_MULTIPLE: 'error',
  LOCKDOWN_MALFORMED: 'error',
  LOCKDOWN_CFID: 'error',
  LOCKDOWN_MISPLACED: 'warning',
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
