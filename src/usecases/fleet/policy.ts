/**
 * The server's own say on a repair request from the fleet controller. A request is only a wish: the
 * server diagnoses the domain again, now, and repairs only a record that is stale here and now, in a
 * zone this server is the DNS for, that the repair may rewrite unseen. Everything else is refused with
 * a reason the controller shows:
 * - BLOCK_ALL: a bare `v=mc1` blocks all mail on purpose; it is a customer's choice, never changed from afar;
 * - FOREIGN_DNS: the world asks other nameservers (the record must be published there);
 * - NOT_STALE: nothing rejects the domain's mail because of its record (missing, misplaced, …);
 * - NEEDS_A_PERSON: the planner will not rewrite the record unseen (a CNAME at the name, a huge record);
 * - UNKNOWN_DOMAIN / NOT_READABLE: no account has it, or its zone could not be read.
 * An already-correct record is `unchanged`, not refused.
 */
import type { RefusalReason } from '../../fleet/protocol';
import type { DomainDiagnosis } from '../inspect';
import { blocksAllMail, isStaleLockdown } from '../../checks/findings';

export type Decision =
  | { accept: true; zone: string; codes: string[] }
  | { accept: false; state: 'refused'; reason: RefusalReason; message: string; codes: string[] }
  | { accept: false; state: 'unchanged'; message: string; codes: string[] };

export function decideRequest(diagnosis: DomainDiagnosis | null): Decision {
  if (!diagnosis)
    return { accept: false, state: 'refused', reason: 'UNKNOWN_DOMAIN', message: 'No account on this server has this domain.', codes: [] };
  const { report, authority, error } = diagnosis;
  if (!report) {
    return {
      accept: false,
      state: 'refused',
      reason: 'NOT_READABLE',
      message: `The zone could not be read: ${error?.message ?? 'no answer'}`,
      codes: [],
    };
  }
  const codes = report.findings.map((f) => f.code);
  if (authority?.local === false || codes.includes('DNS_NOT_AUTHORITATIVE'))
    return {
      accept: false,
      state: 'refused',
      reason: 'FOREIGN_DNS',
      message: 'The world asks other nameservers for this domain: the record must be changed at its DNS host.',
      codes,
    };
  if (blocksAllMail(codes))
    return {
      accept: false,
      state: 'refused',
      reason: 'BLOCK_ALL',
      message: 'The record blocks all mail on purpose; only the customer changes that.',
      codes,
    };
  // The shared stale selection (checks/findings.ts); block-all is never repaired from afar.
  if (!isStaleLockdown(codes)) {
    if (codes.includes('LOCKDOWN_OK'))
      return { accept: false, state: 'unchanged', message: 'The record is already right on this server.', codes };
    return {
      accept: false,
      state: 'refused',
      reason: 'NOT_STALE',
      message: 'Nothing about this record makes MailChannels reject the mail now.',
      codes,
    };
  }
  if (report.plan === null)
    return {
      accept: false,
      state: 'refused',
      reason: 'NEEDS_A_PERSON',
      message: 'The record is stale, but the repair will not rewrite it unseen; a person must look at it.',
      codes,
    };
  return { accept: true, zone: report.zone, codes };
}
