/**
 * The fields of the one lockdown record the repair leaves at `_mailchannels.<domain>`.
 *
 * Two situations:
 * - **The record already lets the provider's mail through** (the check said LOCKDOWN_OK). We only
 *   normalize it: lower-case known tags and version, split comma lists into separate fields, drop
 *   `cfid=` (dead, docs/reference/mailchannels.md §4), empty values, junk tokens and exact duplicates. Everything that
 *   works today stays, including other providers' ids and a deliberate tenant-isolated record made of
 *   `senderid=` entries only (§3): we never widen it with `auth=` nor revoke anybody.
 * - **It does not** (missing, stale, block-all, wrong sender ID, several records). The record becomes
 *   `v=mc1 auth=<authId>` plus `senderid=<senderId>` when configured, followed by what is worth keeping
 *   from every `v=mc1` record at the name (§5: merge several records into one): unknown tags verbatim
 *   (§5), the provider's own sender IDs unless the check found them to be another user's, and — only
 *   with keepForeign — other customers' `auth=`/`senderid=`/`sidw=` values.
 * In tenant mode the replacement is the tenant's record instead (`tenantTokens`).
 * A field that cannot be written (non-printable, over-long) is dropped: it is visible in the check's
 * MALFORMED finding and in the preview of the edited record.
 */
import type { LocatedRecord } from '../../checks/lockdown/locate';
import { LOCKDOWN_VERSION } from '../../checks/lockdown/parse';
import { parseSenderId } from '../../checks/lockdown/senderIds';
import { isWritableToken } from './txtStrings';

export interface DesiredRecordInput {
  /** The `v=mc1` records at the name, in line order. */
  lockdown: readonly LocatedRecord[];
  authId: string;
  senderId: string | null;
  keepForeign: boolean;
  /** The check found the provider authorized by the (single) record. */
  authorized: boolean;
  /** Provider sender IDs the check attributed to other users (LOCKDOWN_WRONG_SENDERID details). */
  otherUsersSenderIds: ReadonlySet<string>;
  /** Tenant mode: the account's sender IDs, the only senders of the provider the record may name. */
  tenantIdentities?: readonly string[];
}

export function desiredLockdownTokens(input: DesiredRecordInput): string[] {
  if (input.authorized) return normalizedTokens(input);
  return input.tenantIdentities ? tenantTokens(input, input.tenantIdentities) : replacementTokens(input);
}

/**
 * Tenant mode: `v=mc1` and one `senderid=` per identity of the account, nothing of the provider
 * beyond them (no `auth=`, no other sender ID or pattern: those would admit other customers of the
 * provider), then unknown tags verbatim and — only with keepForeign — other customers' values.
 */
function tenantTokens(input: DesiredRecordInput, identities: readonly string[]): string[] {
  const ours = (id: string) => id.toLowerCase() === input.authId.toLowerCase();
  const tokens = new TokenList([LOCKDOWN_VERSION, ...identities.map((i) => `senderid=${i}`)]);
  for (const field of input.lockdown.flatMap((l) => l.parsed.fields)) {
    if (field.known === 'cfid') continue;
    if (field.known === null) {
      tokens.add(field.raw);
      continue;
    }
    for (const value of field.values) {
      const customer = field.known === 'auth' ? value : parseSenderId(value)?.customer;
      if (customer === undefined || ours(customer) || !input.keepForeign) continue;
      tokens.add(`${field.name}=${value}`);
    }
  }
  return tokens.list;
}

function normalizedTokens(input: DesiredRecordInput): string[] {
  const tokens = new TokenList([LOCKDOWN_VERSION]);
  for (const field of input.lockdown.flatMap((l) => l.parsed.fields)) {
    if (field.known === 'cfid') continue;
    if (field.known === null) tokens.add(field.raw);
    else for (const value of field.values) tokens.add(`${field.name}=${value}`);
  }
  return tokens.list;
}

function replacementTokens(input: DesiredRecordInput): string[] {
  const { authId, keepForeign } = input;
  const tokens = new TokenList([LOCKDOWN_VERSION, `auth=${authId}`]);
  if (input.senderId) tokens.add(`senderid=${input.senderId}`);
  const ours = (id: string) => id.toLowerCase() === authId.toLowerCase();

  for (const field of input.lockdown.flatMap((l) => l.parsed.fields)) {
    if (field.known === 'cfid') continue;
    if (field.known === null) {
      tokens.add(field.raw);
      continue;
    }
    for (const value of field.values) {
      if (field.known === 'auth') {
        // Our id in any spelling is replaced by the exact one added above.
        if (!ours(value) && keepForeign) tokens.add(`auth=${value}`);
        continue;
      }
      const id = parseSenderId(value);
      if (id === null) continue; // matches nothing (reported as bad-sender-id)
      if (id.customer === authId) {
        if (!input.otherUsersSenderIds.has(value)) tokens.add(`${field.name}=${value}`);
      } else if (!ours(id.customer) && keepForeign) {
        tokens.add(`${field.name}=${value}`);
      }
    }
  }
  return tokens.list;
}

/** Ordered, without duplicates, writable tokens only. */
class TokenList {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();
  constructor(initial: string[]) {
    for (const t of initial) this.add(t);
  }
  add(token: string): void {
    if (this.seen.has(token) || !isWritableToken(token)) return;
    this.seen.add(token);
    this.list.push(token);
  }
}
