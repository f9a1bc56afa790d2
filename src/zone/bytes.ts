/**
 * Byte helpers for zone text. Zone files and cPanel payloads may hold arbitrary bytes
 * (docs/reference/cpanel-api.md §5.3), so the zone package works on "binary strings": one JS char per byte
 * (latin1), which is lossless and leaves ASCII untouched (see model.ts).
 */

/**
 * Zone text as a binary string. A Buffer is read byte for byte. A string is taken to be a binary
 * string already (e.g. `buf.toString('latin1')`); if it holds a char above U+00FF it cannot be one,
 * so it was decoded text and is encoded back to its UTF-8 bytes.
 */
export function toBinaryString(input: string | Buffer): string {
  if (typeof input !== 'string') return input.toString('latin1');
  return isBinaryString(input) ? input : Buffer.from(input, 'utf8').toString('latin1');
}

/** True when every char is a byte (U+0000–U+00FF). */
export function isBinaryString(text: string): boolean {
  return !/[^\u0000-\u00ff]/.test(text);
}

/**
 * ASCII-only lower-casing: DNS compares names case-insensitively for A–Z only (RFC 4343 §3);
 * `toLowerCase` would also fold latin1 bytes such as 0xC0, changing the bytes of the name.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/**
 * Standard padded base64 of a binary string's bytes (docs/reference/cpanel-api.md §5.2). A string that cannot be a
 * binary string (chars above U+00FF) is encoded as UTF-8 rather than silently truncated to low bytes.
 */
export function encodeBase64(binary: string): string {
  return Buffer.from(binary, isBinaryString(binary) ? 'latin1' : 'utf8').toString('base64');
}

/**
 * Decode standard padded base64 (no line breaks) to a binary string, or null when the text is not
 * canonical base64. Node's decoder silently skips bad characters, so we insist on a round trip.
 */
export function decodeBase64Strict(b64: string): string | null {
  if (b64.length % 4 !== 0) return null;
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.toString('base64') !== b64) return null;
  return bytes.toString('latin1');
}

/** A short, printable excerpt of hostile text for an error message (never the whole 10 MB line). */
export function excerpt(binary: string, max = 40): string {
  const cut = binary.length > max ? `${binary.slice(0, max)}…` : binary;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    out += code >= 0x20 && code < 0x7f ? cut[i] : code === 0x2026 ? '…' : `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return out;
}
