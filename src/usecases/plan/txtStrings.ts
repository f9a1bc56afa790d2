/**
 * Writing a TXT value as character-strings (docs/reference/mailchannels.md §5, docs/reference/cpanel-api.md §6.2):
 * - each string at most 255 bytes (RFC 1035 §3.3);
 * - split only between fields, the separating space kept at the end of the earlier string —
 *   `"v=mc1 auth=a " "senderid=…"` — so joining with `''` (RFC 7208 §3.3, what MailChannels' readers
 *   and mailauth do) or with a space yields the same tokens.
 */
import { FixEmailAuthError } from '../../errors';

export const MAX_TXT_STRING = 255;

/** Printable ASCII without space: what one field of a record we write may hold (docs/reference/cpanel-api.md §6.2). */
export function isWritableToken(token: string): boolean {
  return token.length > 0 && token.length < MAX_TXT_STRING && /^[\x21-\x7e]+$/.test(token);
}

export function splitTxtStrings(tokens: readonly string[]): string[] {
  const strings: string[] = [];
  let current = '';
  tokens.forEach((token, i) => {
    if (!isWritableToken(token)) {
      throw new FixEmailAuthError('UNSAFE_VALUE', `Cannot write the field "${token.slice(0, 40)}" into a TXT record.`, { step: 'plan' });
    }
    const piece = i < tokens.length - 1 ? `${token} ` : token;
    if (current !== '' && current.length + piece.length > MAX_TXT_STRING) {
      strings.push(current);
      current = '';
    }
    current += piece;
  });
  if (current !== '' || strings.length === 0) strings.push(current);
  return strings;
}
