/**
 * Does a set of lockdown fields let the provider's mail through? (docs/reference/mailchannels.md §2 "a message
 * passes if any one field matches", §3, §6.)
 *
 * Matching is exact, as MailChannels' examples are (§5 project reading: compare IDs exactly). A match
 * that only works when letter case is ignored — `auth=WebHostingM`, or `AUTH=webhostingm` whose tag is
 * not lower-case — or that sits inside a comma list (`auth=a,webhostingm`, which MailChannels probably
 * reads as one odd value) is "suspect": it does NOT count as authorizing, so the record gets repaired
 * rather than trusted.
 */
import type { LockdownField } from './parse';
import { parseSenderId, senderIdCoverage, sidwCoverage, type AccountIdentity } from './senderIds';

export interface Authorization {
  /** Tokens that authorize the provider for this account (e.g. `auth=webhostingm`). */
  authorizedBy: string[];
  /** The provider is authorized through `auth=`: every account relayed by it may send (§3). */
  tenantWide: boolean;
  /** Provider sender IDs counted as authorizing although the owner could not be confirmed (no user given). */
  unverifiedSenderIds: string[];
  /** Provider sender IDs of other users (or of an identity type relay mail does not carry). */
  otherUsersSenderIds: string[];
  /** `auth=` values of other MailChannels customers. */
  foreignAuth: string[];
  /** `senderid=`/`sidw=` values of other MailChannels customers. */
  foreignSenderIds: string[];
  /** Tokens that would only match if MailChannels ignored case or split comma lists. */
  suspect: string[];
  /** Dead Cloudflare Worker IDs (§4). */
  cfid: string[];
  /** How many `auth`/`senderid`/`sidw` fields carry a value at all. */
  identifierCount: number;
}

export function evaluateAuthorization(fields: readonly LockdownField[], account: AccountIdentity): Authorization {
  const result: Authorization = {
    authorizedBy: [],
    tenantWide: false,
    unverifiedSenderIds: [],
    otherUsersSenderIds: [],
    foreignAuth: [],
    foreignSenderIds: [],
    suspect: [],
    cfid: [],
    identifierCount: 0,
  };
  const authId = account.authId;
  const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

  for (const field of fields) {
    if (field.known === null) continue;
    if (field.known === 'cfid') {
      result.cfid.push(...field.values);
      continue;
    }
    if (field.values.length === 0) continue;
    result.identifierCount++;
    const exactTag = field.tag === field.name && !field.isCommaList;

    if (field.known === 'auth') {
      for (const value of field.values) {
        if (value === authId && exactTag) {
          result.authorizedBy.push(field.raw);
          result.tenantWide = true;
        } else if (sameIgnoringCase(value, authId)) {
          result.suspect.push(field.raw);
        } else {
          result.foreignAuth.push(value);
        }
      }
      continue;
    }

    // senderid= / sidw=
    for (const value of field.values) {
      const id = parseSenderId(value);
      if (id === null) continue; // reported by the parser as bad-sender-id; matches nothing
      if (id.customer !== authId) {
        if (sameIgnoringCase(id.customer, authId)) result.suspect.push(field.raw);
        else result.foreignSenderIds.push(value);
        continue;
      }
      const coverage = field.known === 'senderid' ? senderIdCoverage(id, account) : sidwCoverage(id, account);
      if (coverage === 'other-user') result.otherUsersSenderIds.push(value);
      else if (!exactTag) result.suspect.push(field.raw);
      else if (coverage === 'covers') result.authorizedBy.push(field.raw);
      else result.unverifiedSenderIds.push(value);
    }
  }
  return result;
}

/** The provider's mail passes (an exact match, or a provider sender ID we could not attribute). */
export function isAuthorized(auth: Authorization): boolean {
  return auth.authorizedBy.length > 0 || auth.unverifiedSenderIds.length > 0;
}
