/**
 * MailChannels' own Domain Lockdown decision, as the relay double applies it to one message. This is
 * a different question from the checker's (`src/checks/lockdown/`: "does the record authorize the
 * provider for this cPanel account?"): here one concrete message arrives with one account id and at
 * most one sender ID, and the only question is whether any field of the published record(s) admits it.
 *
 * The double reads the record on its own, from MailChannels' documentation, and imports nothing of
 * the product's parser: a bug there must not fool both the product and the double that tests it.
 * Sources: https://docs.mailchannels.com/outbound/domain-lockdown (relay: `auth=`, `senderid=`, one
 * value per field, no record means no restriction) and
 * https://docs.mailchannels.com/email-api/domain-lockdown (fields repeat, any one match admits,
 * `sidw=` wildcard, `cfid=` unsupported since 2024-08-31).
 *
 * Rules:
 * - No TXT at `_mailchannels.<domain>` whose first token is `v=mc1` → no restriction, accept. Other
 *   TXT records at the name are not lockdown records and are ignored.
 * - The record's character-strings are joined with nothing and split on runs of ASCII whitespace.
 * - A message passes if any one field matches:
 *   - `auth=<id>`: equals the authenticated account id, exactly;
 *   - `senderid=<customer>|<type>|<identity>`: equals the message's sender ID, exactly;
 *   - `sidw=<pattern>`: limited wildcard (see `sidwMatches`), unless switched off.
 * - Values are compared byte for byte. Tag names and the version are read without regard to case
 *   by default (knob `tagCase: 'exact'` reads only the documented lower case).
 * - A value with a comma (`auth=a,b`) matches nothing (one value per field); neither do empty
 *   values, unknown tags and `cfid=`.
 * - A bare `v=mc1` (no token after the version) rejects everything: MailChannels has described it as
 *   blocking all mail, and the Email API page calls a record without fields invalid; either way the
 *   mail does not pass. Knob: treat a bare record as no record.
 * - Several `v=mc1` records (MailChannels says nothing): default the union of their fields; knobs:
 *   only the first record as served, or reject outright.
 */

export interface LockdownRuleOptions {
  /** `v=mc1` with no field at all: reject everything (default) or behave as if there were no record. */
  bareRecord?: 'block-all' | 'no-record';
  /** Several `v=mc1` records at the name: union of fields (default), first record only, or reject. */
  multipleRecords?: 'union' | 'first' | 'reject';
  /** Honour `sidw=` patterns (default true; MailChannels documents them for the Email API only). */
  sidw?: boolean;
  /** Read `V=MC1`/`AUTH=` like `v=mc1`/`auth=` (default), or only the documented lower case. */
  tagCase?: 'insensitive' | 'exact';
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

/** One `tag=value` token of a record, as the double reads it. */
interface RelayField {
  raw: string;
  /** The tag, lower-cased unless `tagCase` is exact. */
  tag: string;
  value: string;
}

/** A record as the double reads it: null when it is no lockdown record at all. */
function readRecord(strings: readonly string[], options: LockdownRuleOptions): { fields: RelayField[]; tokens: number } | null {
  const tokens = strings
    .join('')
    .split(/[ \t\r\n\v\f]+/)
    .filter((t) => t !== '');
  const fold = (s: string) => (options.tagCase === 'exact' ? s : s.toLowerCase());
  if (tokens.length === 0 || fold(tokens[0]!) !== 'v=mc1') return null;
  const fields: RelayField[] = [];
  for (const raw of tokens.slice(1)) {
    const eq = raw.indexOf('=');
    if (eq > 0) fields.push({ raw, tag: fold(raw.slice(0, eq)), value: raw.slice(eq + 1) });
  }
  return { fields, tokens: tokens.length - 1 };
}

/** `customer|type|identity`, three non-empty parts; null otherwise. */
function senderIdParts(value: string): [string, string, string] | null {
  const parts = value.split('|');
  return parts.length === 3 && parts.every((p) => p !== '') ? (parts as [string, string, string]) : null;
}

/**
 * `*` stands for any run of characters (possibly none). Iterative with one backtrack point, so a
 * hostile pattern such as `*a*a*a…` stays linear-ish and cannot hang the double.
 */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * `sidw=` limited wildcard. MailChannels documents one example
 * (`examplecorp|x-authsender|billing*@example.com`) and nothing about the wildcard's rules. Our
 * reading: customer and identity type must be equal exactly and may not contain `*`; in the
 * identity, `*` stands for any run of characters (possibly empty). The identity never holds `|`, so
 * `*` cannot reach into the other two parts.
 */
export function sidwMatches(pattern: string, senderId: string): boolean {
  const p = senderIdParts(pattern);
  const s = senderIdParts(senderId);
  if (!p || !s) return false;
  if (p[0].includes('*') || p[1].includes('*')) return false;
  return p[0] === s[0] && p[1] === s[1] && wildcardMatch(p[2], s[2]);
}

/** The field that admits the sender, or null. */
function matchingField(
  fields: readonly RelayField[],
  sender: RelaySender,
  options: LockdownRuleOptions,
): { reason: 'auth' | 'senderid' | 'sidw'; field: string } | null {
  for (const field of fields) {
    if (field.value === '' || field.value.includes(',')) continue;
    if (field.tag === 'auth' && field.value === sender.accountId) return { reason: 'auth', field: field.raw };
    if (sender.senderId === null) continue;
    if (field.tag === 'senderid' && senderIdParts(field.value) !== null && field.value === sender.senderId)
      return { reason: 'senderid', field: field.raw };
    if (field.tag === 'sidw' && options.sidw !== false && sidwMatches(field.value, sender.senderId))
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
  const lockdowns = txtRecords.map((strings) => readRecord(strings, options)).filter((r) => r !== null);
  if (lockdowns.length === 0) return { allowed: true, reason: 'no-record' };
  if (lockdowns.length > 1 && options.multipleRecords === 'reject') return { allowed: false, reason: 'multiple-records' };
  const used = options.multipleRecords === 'first' ? lockdowns.slice(0, 1) : lockdowns;
  if (used.every((r) => r.tokens === 0)) {
    return options.bareRecord === 'no-record' ? { allowed: true, reason: 'bare-record-ignored' } : { allowed: false, reason: 'block-all' };
  }
  const match = matchingField(
    used.flatMap((r) => r.fields),
    sender,
    options,
  );
  return match ? { allowed: true, ...match } : { allowed: false, reason: 'no-field-matches' };
}

/** The sender ID MailChannels forms for relayed mail: `<account>|x-authuser|<X-AuthUser>`. */
export function relaySenderId(accountId: string, authUser: string | null): string | null {
  if (authUser === null || authUser === '') return null;
  return `${accountId}|x-authuser|${authUser}`;
}
