/**
 * Values we write into DNS must be boring. An auth id, sender ID or cPanel user that came from config,
 * a request or a hook is refused with UNSAFE_VALUE when it could smuggle anything into a TXT record or
 * an API call: quotes, backslashes, whitespace (a second field), control characters, non-ASCII bytes
 * (cPanel accepts printable ASCII only, docs/reference/cpanel-api.md §6.2), or an over-long value (a TXT
 * character-string holds 255 bytes, RFC 1035 §3.3).
 */
import { FixEmailAuthError } from '../../errors';

/** Same rule as config.ts `mailchannelsId`: what real MailChannels account ids look like. */
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** cPanel user names are short lower-case words; be lenient on case and length, strict on characters. */
const CPANEL_USER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Sender-ID identity: a user, `user@host`, or a mailbox login (docs/reference/mailchannels.md §6.2). */
const IDENTITY = /^[A-Za-z0-9._@+-]+$/;
const ID_TYPE = /^[A-Za-z][A-Za-z0-9-]*$/;

export const MAX_ACCOUNT_ID = 64;
export const MAX_USER = 64;
/** `senderid=` + value + the separating space must fit one 255-byte string. */
export const MAX_SENDER_ID = 255 - 'senderid='.length - 1;

/** Why a value is unsafe, in words; null when it passes the generic checks. */
function genericProblem(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return 'it is not text';
  if (value === '') return 'it is empty';
  if (value.length > max) return `it is longer than ${max} characters`;
  if (/["'`]/.test(value)) return 'it contains a quote';
  if (value.includes('\\')) return 'it contains a backslash';
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'it contains control characters';
  if (/\s/.test(value)) return 'it contains whitespace';
  if (/[^\u0020-\u007e]/.test(value)) return 'it contains non-ASCII characters';
  return null;
}

function refuse(what: string, value: unknown, reason: string): never {
  const text = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  throw new FixEmailAuthError('UNSAFE_VALUE', `Refusing the ${what} ${text}: ${reason}.`, { step: 'plan' });
}

export function assertSafeAuthId(value: unknown): string {
  const problem =
    genericProblem(value, MAX_ACCOUNT_ID) ??
    (ACCOUNT_ID.test(value as string) ? null : 'only letters, digits, ".", "_" and "-" are allowed');
  if (problem) refuse('MailChannels account id', value, problem);
  return value as string;
}

export function assertSafeUser(value: unknown): string {
  const problem =
    genericProblem(value, MAX_USER) ?? (CPANEL_USER.test(value as string) ? null : 'only letters, digits, ".", "_" and "-" are allowed');
  if (problem) refuse('cPanel user', value, problem);
  return value as string;
}

/** `provider|type|identity`, each part of the allowed alphabet. */
export function assertSafeSenderId(value: unknown): string {
  let problem = genericProblem(value, MAX_SENDER_ID);
  if (!problem) {
    const parts = (value as string).split('|');
    const [customer, type, identity] = parts;
    if (parts.length !== 3 || !customer || !type || !identity) problem = 'a sender ID has the form provider|type|identity';
    else if (!ACCOUNT_ID.test(customer)) problem = 'the provider part may hold only letters, digits, ".", "_" and "-"';
    else if (!ID_TYPE.test(type)) problem = 'the identity type may hold only letters, digits and "-"';
    else if (!IDENTITY.test(identity)) problem = 'the identity may hold only letters, digits, ".", "_", "@", "+" and "-"';
  }
  if (problem) refuse('sender ID', value, problem);
  return value as string;
}
