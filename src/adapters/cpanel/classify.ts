/**
 * From a failed cPanel answer to a typed error with a stable code. The message is cPanel's own text,
 * kept exactly (typographic quotes “ ” ’ included, docs/reference/cpanel-api.md header note), minus WHM's
 * `API failure: (XID xxxxxx) ` prefix, which only identifies the log entry (§4.3); the raw answer stays
 * in `upstream`.
 *
 * Typed failures are detected by their data, never by their text (§6.4): `data.type` `Stale` →
 * STALE_SERIAL, `InvalidZoneFile` → INVALID_ZONE. The other codes must match texts:
 * - NOT_OWNED: UAPI `You do not control a DNS zone named “X”.` (§5.1, §6.5); WHM `This system does not
 *   have a domain named “X”.` (§5.1); the legacy WHM→cPanel `User parameter is invalid or was not
 *   supplied` (cPanel::APIClient `UAPIFromWHM1.pm`); and an outer `uapi_cpanel` failure about the user
 *   (unknown user, or an account the reseller does not own: §2.1 — exact text unverified, so we accept
 *   one that quotes the user name or says it does not exist / is not owned / not accessible).
 * - FEATURE_MISSING: `You do not have the feature(s) “…”` (§6.5); and, for UAPI only, `This interface
 *   cannot create “X” records` / `You cannot edit or remove “X” records`, because there the allowed
 *   types follow the account's features (§6.6: TXT needs `zoneedit`). From WHM as root they mean the
 *   type itself is refused, an API_ERROR.
 * - API_ERROR: any other failure.
 */
import type { Step } from '../../errors';
import { FixEmailAuthError, type ErrorCode } from '../../errors';

export interface FailureContext {
  api: 'uapi' | 'whm';
  /** `DNS::parse_zone`, `parse_dns_zone`, … */
  call: string;
  step: Step;
  /** The raw parsed answer. */
  upstream: unknown;
  /** Set when the failure is the OUTER envelope of a `uapi_cpanel` call for this user. */
  uapiCpanelUser?: string;
}

const XID_PREFIX = /^API failure: \(XID [^)]*\)\s*/;

/** WHM's `API failure: (XID 7g2kqe) ` prefix removed; everything else as cPanel wrote it. */
export function displayMessage(raw: string): string {
  return raw.replace(XID_PREFIX, '');
}

function typedDataKind(data: unknown): string | undefined {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const type = (data as Record<string, unknown>).type;
    if (typeof type === 'string') return type;
  }
  return undefined;
}

const NOT_OWNED_TEXTS = [
  'You do not control a DNS zone named “',
  'This system does not have a domain named “',
  'User parameter is invalid or was not supplied',
];
const USER_PROBLEM = /does not exist|do(?:es)? not (?:own|control|have access)|not a valid (?:user|account)|no such (?:user|account)/i;

function codeFor(message: string, data: unknown, context: FailureContext): ErrorCode {
  const kind = typedDataKind(data);
  if (kind === 'Stale') return 'STALE_SERIAL';
  if (kind === 'InvalidZoneFile') return 'INVALID_ZONE';
  if (NOT_OWNED_TEXTS.some((text) => message.includes(text))) return 'NOT_OWNED';
  if (context.uapiCpanelUser !== undefined && (message.includes(`“${context.uapiCpanelUser}”`) || USER_PROBLEM.test(message)))
    return 'NOT_OWNED';
  if (/^You do not have the features? “/.test(message)) return 'FEATURE_MISSING';
  if (context.api === 'uapi' && (message.includes('This interface cannot create “') || /You cannot edit or remove “/.test(message)))
    return 'FEATURE_MISSING';
  return 'API_ERROR';
}

export function apiFailure(rawMessage: string, data: unknown, context: FailureContext): FixEmailAuthError {
  const shown = displayMessage(rawMessage).trim() || `${context.call} failed without an error message`;
  return new FixEmailAuthError(codeFor(shown, data, context), shown, { step: context.step, upstream: context.upstream });
}
