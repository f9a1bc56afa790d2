/**
 * MailChannels' own Domain Lockdown decision, as the relay double applies it to one message
 * (mailchannels.md §1, §2, §4, §11). This is a different question from the checker's
 * (`checks/lockdown/authorization.ts`: "does the record authorize the provider for this cPanel
 * account?"): here one concrete message arrives with one account id and at most one sender ID, and
 * the only question is whether any field of the published record(s) admits it.
 *
 * Rules, with their source:
 * - No `v=mc1` TXT at `_mailchannels.<domain>` → no restriction, accept [doc, §1]. TXT records at the
 *   name that do not start with `v=mc1` are not lockdown records and are ignored (project reading).
 * - A message passes if any one field matches [doc email-api, §2]:
 *   - `auth=<id>`: equals the authenticated account id, exactly;
 *   - `senderid=<customer>|<type>|<identity>`: equals the message's sender ID, exactly;
 *   - `sidw=<pattern>`: limited wildcard (see `sidwMatches`), unless switched off.
 * - Tag names are read case-insensitively, by the shared parser (`parseLockdown`, §5 project
 *   reading); values are compared byte-exact (§5: "compare IDs exactly").
 * - A comma list (`auth=a,b`) matches nothing (§5: "assume it matches nothing"); so do empty values,
 *   unknown tags and `cfid=` (dead since 2024-08-31, §4).
 * - A bare `v=mc1` (or one whose fields all match nothing, e.g. only `cfid=`) rejects everything
 *   (§4: block-all or invalid, either way rejected). Knob: treat a bare record as no record.
 * - Several `v=mc1` records (§5: MailChannels says nothing): default the union of their fields;
 *   knobs: only the first record as served, or reject outright.
 */
import { parseLockdown, type LockdownField } from '../../checks/lockdown/parse';
import { globMatch, parseSenderId } from '../../checks/lockdown/senderIds';

export interface LockdownRuleOptions {
  /** `v=mc1` with no field at all: reject everything (default) or behave as if there were no record. */
  bareRecord?: 'block-all' | 'no-record';
  /** Several `v=mc1` records at the name: union of fields (default), first record only, or reject. */
  multipleRecords?: 'union' | 'first' | 'reject';
  /** Honour `sidw=` patterns (default true; MailChannels documents them for the Email API only, §2). */
  sidw?: boolean;
}

/** Who is sending: the SMTP AUTH account and the sender ID built from `X-AuthUser`. */
export interface RelaySender {
  /** Account id of the authenticated relay login (`X-MailChannels-Auth-Id`). */
  accountId: string;
  /** `<account>|x-authuser|<X-AuthUser>`, or null when the message carried no usable X-AuthUser. */
  senderId: string | null;
}

export type LockdownDecision =
  | { allowed: true; reason: 'no-record' | 'bare-record-ignored'; field?: undefined }
  | { allowed: true; reason: 'auth' | 'senderid' | 'sidw'; field: string }
  | { allowed: false; reason: 'no-field-matches' | 'block-all' | 'multiple-records' };

/**
 * `sidw=` limited wildcard. MailChannels documents one example (`examplecorp|x-authsender|billing*@example.com`)
 * and nothing about the wildcard's rules (§2, unverified). Our reading, the same the checker uses
 * (`sidwCoverage`): customer and identity type must be equal exactly and may not contain `*`; in the
 * identity, `*` stands for any run of characters (possibly empty). The identity never holds `|`, so
 * `*` cannot reach into the other two parts.
 */
export function sidwMatches(pattern: string, senderId: string): boolean {
  const p = parseSenderId(pattern);
  const s = parseSenderId(senderId);
  if (!p || !s) return false;
  if (p.customer.includes('*') || p.type.includes('*')) return false;
  return p.customer === s.customer && p.type === s.type && globMatch(p.identity, s.identity);
}

/** The field that admits the sender, or null. */
function matchingField(
  fields: readonly LockdownField[],
  sender: RelaySender,
  options: LockdownRuleOptions,
): { reason: 'auth' | 'senderid' | 'sidw'; field: string } | null {
  for (const field of fields) {
    if (field.isCommaList || field.value === '') continue;
    if (field.known === 'auth' && field.value === sender.accountId) return { reason: 'auth', field: field.raw };
    if (sender.senderId === null) continue;
    if (field.known === 'senderid' && parseSenderId(field.value) !== null && field.value === sender.senderId)
      return { reason: 'senderid', field: field.raw };
    if (field.known === 'sidw' && options.sidw !== false && sidwMatches(field.value, sender.senderId))
      return { reason: 'sidw', field: field.raw };
  }
  return null;
}

/** Decide for one message. `txtRecords` are the TXT records at `_mailchannels.<domain>`, each as its strings. */
export function decideLockdown(
  txtRecords: readonly (readonly string[])[],
  sender: RelaySender,
  options: LockdownRuleOptions = {},
): LockdownDecision {
  const lockdowns = txtRecords.map((strings) => parseLockdown(strings)).filter((parsed) => parsed.isLockdown);
  if (lockdowns.length === 0) return { allowed: true, reason: 'no-record' };
  if (lockdowns.length > 1 && options.multipleRecords === 'reject') return { allowed: false, reason: 'multiple-records' };
  const used = options.multipleRecords === 'first' ? lockdowns.slice(0, 1) : lockdowns;
  const fields = used.flatMap((parsed) => parsed.fields);
  if (fields.length === 0 && used.every((parsed) => parsed.junk.length === 0)) {
    return options.bareRecord === 'no-record' ? { allowed: true, reason: 'bare-record-ignored' } : { allowed: false, reason: 'block-all' };
  }
  const match = matchingField(fields, sender, options);
  return match ? { allowed: true, ...match } : { allowed: false, reason: 'no-field-matches' };
}

/** The sender ID MailChannels forms for relayed mail (mailchannels.md §6.1): `<account>|x-authuser|<X-AuthUser>`. */
export function relaySenderId(accountId: string, authUser: string | null): string | null {
  if (authUser === null || authUser === '') return null;
  return `${accountId}|x-authuser|${authUser}`;
}
