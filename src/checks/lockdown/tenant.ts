/**
 * Tenant isolation (config `lockdown.mode: tenant`): the record of a domain must let through exactly
 * the senders of the account that owns it, and nobody else relayed by the same provider.
 *
 * MailChannels admits a message when any one field of the record matches
 * (https://docs.mailchannels.com/email-api/domain-lockdown), so `auth=<provider>` admits every
 * customer the provider relays: any other cPanel account of the provider could send as the domain.
 * In tenant mode the record lists only `senderid=<provider>|x-authuser|<identity>` for the account's
 * identities — the cPanel user (PHP and script mail) and each mailbox login `user@domain`
 * (https://docs.mailchannels.com/outbound/domain-lockdown) — and the cost is that a new mailbox is
 * rejected until the record lists it.
 *
 * Only a single record that already lets the account's mail through is judged here (the check's
 * other verdicts — stale, block-all, several records — come first):
 * - LOCKDOWN_SHARED (warning): the record admits senders beyond the account: `auth=<provider>`, or a
 *   sender ID / `sidw=` pattern of the provider that is not one of the account's identities (another
 *   user, a mailbox that no longer exists).
 * - LOCKDOWN_IDENTITY_MISSING (error): an identity of the account is not listed, so its mail is
 *   rejected (`550 5.7.1`). Not reported when `auth=<provider>` lets it through anyway.
 * No finding at all means the record is exactly the tenant's.
 */
import { finding, type Finding, type FindingRecord } from '../findings';
import { shown } from '../records';
import type { LockdownField } from './parse';
import { parseSenderId } from './senderIds';

export interface TenantCheckInput {
  domain: string;
  authId: string;
  /** The fields of the (single) `v=mc1` record at the name. */
  fields: readonly LockdownField[];
  /** The account's sender IDs, exactly as MailChannels forms them (`webhostingm|x-authuser|alice`). */
  identities: readonly string[];
  records: FindingRecord[];
  recommended: string;
}

/** How a person reads a sender ID's identity: the user's scripts, or a mailbox. */
export function describeIdentity(senderId: string): string {
  const identity = parseSenderId(senderId)?.identity ?? senderId;
  return identity.includes('@') ? `the mailbox ${identity}` : `${identity}'s scripts and PHP mail`;
}

function listWords(items: readonly string[], max = 3): string {
  const head = items.slice(0, max).map((i) => shown(i, 60));
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  return head.length <= 1 ? `${head.join('')}${more}` : `${head.slice(0, -1).join(', ')} and ${head.at(-1)!}${more}`;
}

export function tenantFindings(input: TenantCheckInput): Finding[] {
  const { authId, domain: d } = input;
  const wanted = new Set(input.identities);
  const listed = new Set<string>();
  const extra: string[] = [];
  let tenantWide = false;

  for (const field of input.fields) {
    if (field.known === 'auth') {
      if (field.values.some((v) => v.toLowerCase() === authId.toLowerCase())) tenantWide = true;
      continue;
    }
    if (field.known !== 'senderid' && field.known !== 'sidw') continue;
    for (const value of field.values) {
      const id = parseSenderId(value);
      if (id === null || id.customer.toLowerCase() !== authId.toLowerCase()) continue;
      const exact = field.known === 'senderid' && field.tag === field.name && !field.isCommaList && id.customer === authId;
      if (exact && wanted.has(value)) listed.add(value);
      else extra.push(`${field.name}=${value}`);
    }
  }

  const out: Finding[] = [];
  if (tenantWide || extra.length > 0) {
    const who = tenantWide
      ? `auth=${authId} lets every account that relays through ${authId} send as ${d}, not only this account's senders`
      : `it also lets ${listWords(extra)} send as ${d}, which ${extra.length > 1 ? 'are' : 'is'} not among this account's senders`;
    out.push(
      finding(
        'LOCKDOWN_SHARED',
        'lockdown',
        `MailChannels accepts this account's mail from ${d}, but ${who}. This server keeps each account's domains to its own senders: the record should list only them.`,
        input.records,
        { tenantWide, extraSenderIds: extra, recommended: input.recommended },
      ),
    );
  }
  const missing = input.identities.filter((i) => !listed.has(i));
  if (missing.length > 0 && !tenantWide) {
    out.push(
      finding(
        'LOCKDOWN_IDENTITY_MISSING',
        'lockdown',
        `MailChannels rejects mail from ${d} sent by ${listWords(missing.map(describeIdentity))} (550 5.7.1 This sender is not authorized to send from ${d}.): the Domain Lockdown record does not list ${missing.length > 1 ? 'them' : 'it'} yet.`,
        input.records,
        { missingSenderIds: missing, recommended: input.recommended },
      ),
    );
  }
  return out;
}

/** The record tenant mode writes: one `senderid=` per identity, no shared `auth=`. */
export function tenantRecordValue(identities: readonly string[]): string {
  return ['v=mc1', ...identities.map((i) => `senderid=${i}`)].join(' ');
}
