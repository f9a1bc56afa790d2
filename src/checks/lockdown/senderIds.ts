/**
 * Which sender IDs belong to "this account" (docs/reference/mailchannels.md §6).
 *
 * A MailChannels sender ID is `customer|identity-type|identity`. Relayed from cPanel's Exim, the type
 * is `x-authuser` and the identity is Exim's `$authenticated_id` (§6.1, §6.2):
 *   - the cPanel user for PHP `mail()` / sendmail (`alice`),
 *   - the mailbox login for SMTP AUTH (`joe@example.com`),
 *   - `alice@<server hostname>` when the transport appends `@$primary_hostname` (§9),
 *   - or whatever the provider's configured template produces (`webhostingm|x-authuser|{user}`).
 * A mailbox `local@<domain>` always belongs to the account that owns `<domain>` on cPanel, so it
 * covers this account even when the user is not known.
 */
export interface SenderId {
  customer: string;
  type: string;
  identity: string;
}

export interface AccountIdentity {
  /** The domain being checked (normalized). */
  domain: string;
  /** The provider's MailChannels account (`auth=` value). */
  authId: string;
  /** The cPanel user owning the domain, when known. */
  user?: string;
  /** e.g. `webhostingm|x-authuser|{user}` (config `provider.senderIdTemplate`). */
  senderIdTemplate?: string;
  /** The server's primary hostname, for the `user@hostname` identity form. */
  serverHostname?: string;
  /** Other cPanel users of the server: a sender ID naming one of them is certainly not this account's. */
  otherUsers?: readonly string[];
}

/**
 * - `covers`: the sender ID is one this account's mail carries.
 * - `other-user`: the provider's sender ID, but of someone else (or of an identity type relay mail never carries).
 * - `unverified`: the provider's sender ID whose owner we cannot tell, because no user was given.
 */
export type Coverage = 'covers' | 'other-user' | 'unverified';

const RELAY_ID_TYPE = 'x-authuser';

export function parseSenderId(value: string): SenderId | null {
  const parts = value.split('|');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  const [customer, type, identity] = parts as [string, string, string];
  return { customer, type, identity };
}

/** The identity types this account's mail can carry: relay's `x-authuser`, plus the template's. */
function acceptedTypes(account: AccountIdentity): Set<string> {
  const types = new Set([RELAY_ID_TYPE]);
  const templateType = account.senderIdTemplate?.split('|')[1];
  if (templateType) types.add(templateType);
  return types;
}

/** The exact identities (third field) this account's user sends with. */
function userIdentities(account: AccountIdentity): string[] {
  const user = account.user;
  if (!user) return [];
  const ids = [user];
  if (account.serverHostname) ids.push(`${user}@${account.serverHostname.toLowerCase()}`);
  const templateIdentity = account.senderIdTemplate?.split('|')[2];
  if (templateIdentity) ids.push(templateIdentity.split('{user}').join(user));
  return ids;
}

/** `joe@example.com` for domain `example.com`: a mailbox of the checked domain. */
function isMailboxOf(identity: string, domain: string): boolean {
  const at = identity.lastIndexOf('@');
  return at > 0 && identity.slice(at + 1).toLowerCase() === domain && !identity.slice(0, at).includes('@');
}

/** The part of an identity before `@`, to recognise `bob` and `bob@host` as the user bob. */
function localPart(identity: string): string {
  const at = identity.indexOf('@');
  return at < 0 ? identity : identity.slice(0, at);
}

function judgeUnmatched(identity: string, account: AccountIdentity): Coverage {
  if (account.user) return 'other-user';
  const others = account.otherUsers ?? [];
  return others.includes(identity) || others.includes(localPart(identity)) ? 'other-user' : 'unverified';
}

/** Coverage of an exact `senderid=` of the provider (customer already known to equal authId). */
export function senderIdCoverage(id: SenderId, account: AccountIdentity): Coverage {
  if (!acceptedTypes(account).has(id.type)) return 'other-user';
  if (isMailboxOf(id.identity, account.domain)) return 'covers';
  if (userIdentities(account).includes(id.identity)) return 'covers';
  return judgeUnmatched(id.identity, account);
}

/**
 * Coverage of a `sidw=` pattern of the provider. The wildcard's exact rules are undocumented
 * (docs/reference/mailchannels.md §2, unverified); we read `*` as "any run of characters except `|`", and treat a
 * pattern whose identity ends in `@<domain>` as covering the domain's mailboxes.
 */
export function sidwCoverage(pattern: SenderId, account: AccountIdentity): Coverage {
  if (pattern.type.includes('*') || !acceptedTypes(account).has(pattern.type)) return 'other-user';
  const identity = pattern.identity;
  const at = identity.lastIndexOf('@');
  if (at >= 0 && !identity.slice(at + 1).includes('*') && identity.slice(at + 1).toLowerCase() === account.domain) return 'covers';
  if (userIdentities(account).some((id) => globMatch(identity, id))) return 'covers';
  return judgeUnmatched(identity.replace(/\*/g, ''), account);
}

/**
 * Glob match where `*` is any run of characters. Both sides are the identity field only, which never
 * holds `|` (parseSenderId splits on it). Iterative with one backtrack point: O(pattern × text), no
 * regular expression, so a hostile pattern such as `*a*a*a*…` cannot make it slow.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
