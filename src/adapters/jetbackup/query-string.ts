/**
 * The `-D "<query string>"` argument of `jetbackup5api` (docs/reference/jetbackup-and-exim.md §1.1):
 * - arrays and objects use PHP bracket keys: `items[]=..`, `find[username]=..`, `options[merge]=..`;
 *   the brackets stay literal, as in the vendor's examples;
 * - every value character other than a letter, a digit or `_` is percent-encoded (UTF-8), so `+`
 *   becomes `%2B` (PHP's parser would read a bare `+` as a space), a space `%20`, `%` `%25`, `&` `%26`;
 * - booleans are `1`/`0` per the API overview, but the restore page (`addQueueItems`) shows
 *   `options[merge]=true`. Which one the restore parser wants is unverified, so the choice is a single
 *   switch: BOOLEAN_STYLE_BY_FUNCTION below, overridable as a whole by the adapter's `booleanStyle`.
 */

export type BooleanStyle = 'numeric' | 'word';

export type QueryScalar = string | number | boolean | null | undefined;
export type QueryValue = QueryScalar | QueryValue[] | { [key: string]: QueryValue };
export type QueryParams = { [key: string]: QueryValue };

/** Functions whose own documentation page shows `true`/`false`; all others get `1`/`0`. */
export const BOOLEAN_STYLE_BY_FUNCTION: Readonly<Record<string, BooleanStyle>> = {
  addQueueItems: 'word',
};

export function booleanStyleFor(fn: string, override?: BooleanStyle): BooleanStyle {
  return override ?? BOOLEAN_STYLE_BY_FUNCTION[fn] ?? 'numeric';
}

/** Percent-encode everything but `[A-Za-z0-9_]` (§1.1), byte by byte in UTF-8. */
export function encodeQueryComponent(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const isSafe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f;
    out += isSafe ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function scalarText(value: Exclude<QueryScalar, null | undefined>, style: BooleanStyle): string {
  if (typeof value === 'boolean') return style === 'word' ? String(value) : value ? '1' : '0';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Cannot send ${value} to JetBackup`);
  return String(value);
}

function isScalar(value: QueryValue): value is QueryScalar {
  return value === null || value === undefined || typeof value !== 'object';
}

function appendPairs(pairs: string[], key: string, value: QueryValue, style: BooleanStyle): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // `items[]=a&items[]=b` for lists of scalars (the vendor's form); indices when elements nest.
    const allScalars = value.every(isScalar);
    value.forEach((element, index) => appendPairs(pairs, allScalars ? `${key}[]` : `${key}[${index}]`, element, style));
    return;
  }
  if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value)) {
      appendPairs(pairs, `${key}[${encodeQueryComponent(child)}]`, childValue, style);
    }
    return;
  }
  pairs.push(`${key}=${encodeQueryComponent(scalarText(value, style))}`);
}

/** Build the `-D` argument. Keys are ours (letters, digits, `_`), but are encoded all the same. */
export function encodeQuery(params: QueryParams, style: BooleanStyle = 'numeric'): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) appendPairs(pairs, encodeQueryComponent(key), value, style);
  return pairs.join('&');
}
