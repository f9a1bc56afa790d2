/**
 * Each finding code in a few plain words, for tables a support person reads at a glance (the code
 * itself stays in the element's `title` and in exports, for scripts and searches).
 */
import type { FindingCode } from '../../checks/findings';

export const FINDING_WORDS: Record<FindingCode, string> = {
  LOCKDOWN_OK: 'Lockdown record fine',
  LOCKDOWN_MISSING: 'No lockdown record',
  LOCKDOWN_STALE: 'Lockdown names another host',
  LOCKDOWN_WRONG_SENDERID: "Lockdown names another user's sender",
  LOCKDOWN_BLOCK_ALL: 'Lockdown blocks all mail',
  LOCKDOWN_MULTIPLE: 'Several lockdown records',
  LOCKDOWN_MALFORMED: 'Lockdown record malformed',
  LOCKDOWN_CFID: 'Lockdown uses dead cfid=',
  LOCKDOWN_MISPLACED: 'Lockdown record at a wrong name',
  LOCKDOWN_SHARED: 'Lockdown admits other customers',
  LOCKDOWN_IDENTITY_MISSING: 'Lockdown misses a mailbox',
  SPF_OK: 'SPF fine',
  SPF_MISSING: 'No SPF record',
  SPF_MULTIPLE: 'Several SPF records',
  SPF_SYNTAX: 'SPF syntax error',
  SPF_NO_MAILCHANNELS: 'SPF lacks MailChannels',
  SPF_PASS_ALL: 'SPF allows everyone',
  SPF_TOO_MANY_LOOKUPS: 'SPF has too many lookups',
  DKIM_OK: 'DKIM fine',
  DKIM_MISSING: 'No DKIM key',
  DKIM_MALFORMED: 'DKIM key malformed',
  DKIM_MISMATCH: "DKIM key differs from the server's",
  DMARC_OK: 'DMARC fine',
  DMARC_MISSING: 'No DMARC record',
  DMARC_MULTIPLE: 'Several DMARC records',
  DMARC_MALFORMED: 'DMARC record malformed',
  DMARC_POLICY_NONE: 'DMARC only monitors',
  DNS_NOT_AUTHORITATIVE: 'DNS hosted elsewhere',
  DNS_PROPAGATION_PENDING: 'Change still propagating',
};

export function findingWords(code: string): string {
  return (FINDING_WORDS as Record<string, string>)[code] ?? code;
}
