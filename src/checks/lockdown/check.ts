/**
 * The Domain Lockdown check: the zone's records in, findings out (docs/design.md vocabulary).
 *
 * How the codes combine (several may be reported at once):
 * 1. Defects, one finding per record, whatever the verdict:
 *    - LOCKDOWN_MALFORMED for a TXT at `_mailchannels.<domain>` that does not start with `v=mc1`
 *      (docs/reference/mailchannels.md §5: not a lockdown record; shown, never deleted silently), for a `v=mc1` record
 *      with grammar problems (tag case, unknown tag, empty value, comma list, bad sender ID, …), and for
 *      a CNAME at the name (MailChannels would follow it somewhere we cannot check);
 *    - LOCKDOWN_CFID for a record using `cfid=` (dead since 2024-08-31, §4);
 *    - LOCKDOWN_MISPLACED for a `v=mc1` record at a mistyped owner (see locate.ts);
 *    - LOCKDOWN_MULTIPLE once, listing all records, when more than one `v=mc1` TXT is at the name.
 * 2. Exactly one verdict about the provider's mail, from the union of all `v=mc1` records' fields
 *    (the any-match rule, §2), unless a CNAME makes it unknowable:
 *    - no `v=mc1` record → LOCKDOWN_MISSING. A TXT without `v=mc1` is read as no record at all, as SPF
 *      verifiers do with TXT records lacking `v=spf1` (RFC 7208 §4.5); MailChannels documents nothing here.
 *    - authorized → LOCKDOWN_OK, but only for a single record: with several, MailChannels' choice is
 *      undocumented (§5) and MULTIPLE (error) stands alone, its details telling which record authorizes.
 *    - not authorized, and the provider named only through other users' sender IDs → LOCKDOWN_WRONG_SENDERID;
 *    - not authorized, no identifier at all and no `cfid=` (bare `v=mc1`, or only unknown/empty fields)
 *      → LOCKDOWN_BLOCK_ALL, a warning: every message is rejected, which a non-sending domain may
 *      want, so it is a choice to confirm, not a breakage (findings.ts);
 *    - otherwise → LOCKDOWN_STALE (foreign ids, `cfid=` only, suspect case-folded matches, comma lists).
 * 3. Tenant mode only, for a single record that lets the account's mail through: LOCKDOWN_SHARED and
 *    LOCKDOWN_IDENTITY_MISSING instead of LOCKDOWN_OK when it admits others or misses one of the
 *    account's senders (tenant.ts).
 */
import { type ZoneRecord } from '../../zone/model';
import { finding, type Finding } from '../findings';
import { shown, toFindingRecord } from '../records';
import { evaluateAuthorization, isAuthorized, type Authorization } from './authorization';
import { locateLockdownRecords, type LockdownLocation, type MisplacedReason } from './locate';
import type { AccountIdentity } from './senderIds';
import { tenantFindings, tenantRecordValue } from './tenant';

export interface LockdownCheckInput {
  domain: string;
  /** The zone's records (all of them; the check picks what it needs). */
  records: readonly ZoneRecord[];
  zoneName: string;
  /** The provider's MailChannels account (config `provider.authId`). */
  authId: string;
  /** The cPanel user owning the domain. */
  user?: string;
  /** Config `provider.senderIdTemplate`, e.g. `webhostingm|x-authuser|{user}`. */
  senderIdTemplate?: string;
  /** Other cPanel users of the server (their sender IDs are never this account's). */
  otherUsersOfServer?: readonly string[];
  /** The server's primary hostname, for the `user@hostname` sender-ID form (docs/reference/mailchannels.md §9). */
  serverHostname?: string;
  /**
   * Tenant mode (config `lockdown.mode: tenant`): the account's sender IDs, the only senders the
   * record should admit (tenant.ts). Absent: provider mode.
   */
  tenantIdentities?: readonly string[];
}

export function checkLockdown(input: LockdownCheckInput): Finding[] {
  const location = locateLockdownRecords(input.records, input.domain, input.zoneName);
  const account: AccountIdentity = { domain: location.domain, authId: input.authId };
  if (input.user !== undefined) account.user = input.user;
  if (input.senderIdTemplate !== undefined) account.senderIdTemplate = input.senderIdTemplate;
  if (input.serverHostname !== undefined) account.serverHostname = input.serverHostname;
  if (input.otherUsersOfServer !== undefined) account.otherUsers = input.otherUsersOfServer;

  const findings: Finding[] = [];
  const d = location.domain;
  const owner = location.name.slice(0, -1);

  for (const { record, parsed } of location.otherTxt) {
    findings.push(
      finding(
        'LOCKDOWN_MALFORMED',
        'lockdown',
        `A TXT record at ${owner} is not a valid Domain Lockdown record: ${firstMessage(parsed.problems)}`,
        [toFindingRecord(record)],
        {
          lockdownRecord: false,
          problems: parsed.problems,
          problemCount: parsed.problemCount,
        },
      ),
    );
  }
  for (const record of location.aliases) {
    findings.push(
      finding(
        'LOCKDOWN_MALFORMED',
        'lockdown',
        `${owner} is an alias (CNAME) to ${shown(record.data[0] ?? '')}; MailChannels would read the lockdown record there, which this tool cannot check or repair. Replace the alias with a TXT record.`,
        [toFindingRecord(record)],
        { alias: true },
      ),
    );
  }
  for (const { record, parsed } of location.lockdown) {
    if (parsed.problems.length > 0) {
      findings.push(
        finding(
          'LOCKDOWN_MALFORMED',
          'lockdown',
          `The Domain Lockdown record for ${d} has problems: ${firstMessage(parsed.problems)}`,
          [toFindingRecord(record)],
          {
            lockdownRecord: true,
            problems: parsed.problems,
            problemCount: parsed.problemCount,
          },
        ),
      );
    }
    const cfid = parsed.fields.filter((f) => f.known === 'cfid').map((f) => f.value);
    if (cfid.length > 0) {
      findings.push(
        finding(
          'LOCKDOWN_CFID',
          'lockdown',
          `The Domain Lockdown record for ${d} uses "cfid=" (a Cloudflare Worker ID), which MailChannels stopped accepting on 31 August 2024; it authorizes nobody any more.`,
          [toFindingRecord(record)],
          { cfid },
        ),
      );
    }
  }
  for (const m of location.misplaced) {
    findings.push(
      finding(
        'LOCKDOWN_MISPLACED',
        'lockdown',
        misplacedMessage(m.record.name.slice(0, -1), owner, m.reason),
        [toFindingRecord(m.record)],
        {
          expectedName: location.name,
          reason: m.reason,
        },
      ),
    );
  }

  const auth = evaluateAuthorization(
    location.lockdown.flatMap((l) => l.parsed.fields),
    account,
  );
  if (location.lockdown.length > 1) findings.push(multipleFinding(location, auth, account));
  const recommended = input.tenantIdentities
    ? tenantRecordValue(input.tenantIdentities)
    : recommendedValue(account, input.senderIdTemplate);
  const tenant =
    input.tenantIdentities && location.lockdown.length === 1 && isAuthorized(auth)
      ? tenantFindings({
          domain: d,
          authId: input.authId,
          fields: location.lockdown[0]!.parsed.fields,
          identities: input.tenantIdentities,
          records: location.lockdown.map((l) => toFindingRecord(l.record)),
          recommended,
        })
      : [];
  if (tenant.length > 0) {
    findings.push(...tenant);
    return findings;
  }
  const verdict = verdictFinding(location, auth, account, recommended);
  if (verdict) findings.push(verdict);
  return findings;
}

function firstMessage(problems: readonly { message: string }[]): string {
  const first = problems[0]?.message ?? 'it could not be read.';
  return problems.length > 1 ? `${first} (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : first;
}

function misplacedMessage(at: string, owner: string, reason: MisplacedReason): string {
  const why: Record<MisplacedReason, string> = {
    'zone-appended': 'the name was probably typed without its final dot, so the zone name was added a second time',
    'missing-underscore': 'the name is missing the leading underscore',
    misspelled: 'the name is misspelled',
    'at-domain': 'it was put on the domain itself',
  };
  return `A Domain Lockdown record is at ${at} instead of ${owner} (${why[reason]}); MailChannels never reads it there.`;
}

function multipleFinding(location: LockdownLocation, auth: Authorization, account: AccountIdentity): Finding {
  const authorizing = location.lockdown
    .filter((l) => isAuthorized(evaluateAuthorization(l.parsed.fields, account)))
    .map((l) => l.record.lineIndex);
  return finding(
    'LOCKDOWN_MULTIPLE',
    'lockdown',
    `${location.name.slice(0, -1)} has ${location.lockdown.length} Domain Lockdown records; MailChannels expects exactly one, and which of them it reads is not defined. They should be merged into one record.`,
    location.lockdown.map((l) => toFindingRecord(l.record)),
    { count: location.lockdown.length, authorizingLines: authorizing, authorizedByAny: isAuthorized(auth) },
  );
}

function recommendedValue(account: AccountIdentity, senderIdTemplate: string | undefined): string {
  const senderId = senderIdTemplate && account.user ? senderIdTemplate.split('{user}').join(account.user) : null;
  return senderId ? `v=mc1 auth=${account.authId} senderid=${senderId}` : `v=mc1 auth=${account.authId}`;
}

function verdictFinding(location: LockdownLocation, auth: Authorization, account: AccountIdentity, recommended: string): Finding | null {
  const d = location.domain;
  const owner = location.name.slice(0, -1);
  const provider = account.authId;
  const records = location.lockdown.map((l) => toFindingRecord(l.record));
  const rejection = `550 5.7.1 This sender is not authorized to send from ${d}.`;

  if (location.lockdown.length === 0) {
    if (location.aliases.length > 0) return null;
    return finding(
      'LOCKDOWN_MISSING',
      'lockdown',
      `${d} has no MailChannels Domain Lockdown record. Mail is delivered, but any MailChannels customer could send mail pretending to be ${d}. Publish "${recommended}" at ${owner}.`,
      [],
      { name: location.name, recommended, ignoredRecords: location.otherTxt.length + location.misplaced.length },
    );
  }

  if (isAuthorized(auth)) {
    if (location.lockdown.length > 1) return null; // MULTIPLE stands alone (see header)
    const details: Record<string, unknown> = { authorizedBy: auth.authorizedBy, tenantWide: auth.tenantWide };
    let message = `MailChannels accepts mail from ${d} sent through ${provider}: the Domain Lockdown record authorizes it.`;
    if (auth.tenantWide) {
      // docs/reference/mailchannels.md §3: any single match admits the message; auth= admits the whole relay account.
      details.note = `auth=${provider} allows every account that relays through ${provider} to send as ${d}; only senders of other MailChannels customers are blocked. For per-customer isolation, list only senderid= entries.`;
      message += ` Note: ${details.note as string}`;
    } else if (auth.authorizedBy.length > 0) {
      details.note = 'Only the listed sender IDs may send; a new mailbox or a changed login is rejected until it is added.';
    }
    if (auth.unverifiedSenderIds.length > 0) {
      details.senderIdUnverified = true;
      details.unverifiedSenderIds = auth.unverifiedSenderIds;
      if (auth.authorizedBy.length === 0) {
        message = `The Domain Lockdown record for ${d} authorizes ${provider} only through the sender ID ${shown(auth.unverifiedSenderIds[0] ?? '')}; we could not confirm that it belongs to the account owning ${d} because no cPanel user was given.`;
      }
    }
    return finding('LOCKDOWN_OK', 'lockdown', message, records, details);
  }

  const foreign = { foreignAuth: auth.foreignAuth, foreignSenderIds: auth.foreignSenderIds, suspect: auth.suspect, cfid: auth.cfid };
  if (auth.otherUsersSenderIds.length > 0) {
    return finding(
      'LOCKDOWN_WRONG_SENDERID',
      'lockdown',
      `The Domain Lockdown record for ${d} names ${provider} only through sender IDs of another user (${shown(auth.otherUsersSenderIds[0] ?? '')}), so MailChannels rejects this account's mail (${rejection}).`,
      records,
      { ...foreign, otherSenderIds: auth.otherUsersSenderIds, recommended },
    );
  }
  if (auth.identifierCount === 0 && auth.cfid.length === 0) {
    return finding(
      'LOCKDOWN_BLOCK_ALL',
      'lockdown',
      `The Domain Lockdown record for ${d} names no account at all, which tells MailChannels to reject every message from ${d} (${rejection}). That is right for a domain that never sends mail (like SPF "-all"), so it is left alone unless you choose to allow sending through ${provider}.`,
      records,
      { recommended },
    );
  }
  const named = [...auth.foreignAuth, ...auth.foreignSenderIds].slice(0, 3).map((v) => shown(v, 40));
  let why = named.length > 0 ? `only authorizes ${named.join(', ')}, not ${provider}` : `does not authorize ${provider}`;
  if (auth.suspect.length > 0)
    why += ` (it would only match if MailChannels ignored letter case or split comma lists: ${shown(auth.suspect[0] ?? '', 40)})`;
  if (auth.identifierCount === 0 && auth.cfid.length > 0) why = 'only names a Cloudflare Worker (cfid=), which no longer authorizes anyone';
  return finding(
    'LOCKDOWN_STALE',
    'lockdown',
    `The Domain Lockdown record for ${d} ${why}, so MailChannels rejects all mail from ${d} (${rejection}). This usually happens when a domain moves from another host with its old DNS records.`,
    records,
    { ...foreign, recommended },
  );
}
