/**
 * Tokenizing a Domain Lockdown TXT value.
 *
 * docs/reference/mailchannels.md §5 (project reading): the character-strings of one TXT record are joined with no
 * separator (as RFC 7208 §3.3 does for SPF), then the value is split on runs of whitespace. Only ASCII
 * whitespace separates: the zone model keeps bytes as latin1 characters, and a byte such as 0xA0 is
 * data, not a separator.
 */
export const WHITESPACE_RUN = /[ \t\r\n\v\f]+/;

/** The whitespace-separated tokens of a value; empty tokens (leading/trailing space) are dropped. */
export function tokenize(value: string): string[] {
  return value.split(WHITESPACE_RUN).filter((token) => token !== '');
}

/**
 * True when a record's strings are split inside a token (`"v=mc1 au" "th=x"`): joined with `''` it
 * reads fine, but a resolver or tool that joins with a space reads `au th=x`. docs/reference/mailchannels.md §5 asks
 * writers to split only at field boundaries, keeping the space in the earlier string.
 */
export function splitInsideToken(strings: readonly string[]): boolean {
  for (let i = 0; i + 1 < strings.length; i++) {
    const here = strings[i] ?? '';
    const next = strings[i + 1] ?? '';
    if (here === '' || next === '') continue;
    if (!/[ \t\r\n\v\f]$/.test(here) && !/^[ \t\r\n\v\f]/.test(next)) return true;
  }
  return false;
}
