/**
 * IP addresses in A / AAAA RDATA, read as inet_pton reads them and printed as inet_ntop prints
 * them (ldns uses both, so cPanel's parse_zone shows `2001:db8::1` for `2001:DB8:0:0:0:0:0:1`).
 * Hand-written scanners: no regex backtracking on hostile input.
 */

/** Dotted quad without leading zeros (glibc inet_pton refuses `010`), or null. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (part.length === 0 || part.length > 3) return null;
    if (part.length > 1 && part[0] === '0') return null;
    let value = 0;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
      value = value * 10 + (c - 0x30);
    }
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function parseGroups(text: string, allowTrailingIPv4: boolean): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (allowTrailingIPv4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (!v4) return null;
      words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      continue;
    }
    if (part.length === 0 || part.length > 4) return null;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const h = hexValue(part.charCodeAt(j));
      if (h < 0) return null;
      value = value * 16 + h;
    }
    words.push(value);
  }
  return words;
}

/** Eight 16-bit words, or null (RFC 4291 §2.2 text forms, `::` at most once, optional trailing IPv4). */
export function parseIPv6(text: string): number[] | null {
  if (text.length > 45) return null;
  const gap = text.indexOf('::');
  if (gap === -1) {
    const words = parseGroups(text, true);
    return words && words.length === 8 ? words : null;
  }
  if (text.indexOf('::', gap + 1) !== -1) return null;
  const head = parseGroups(text.slice(0, gap), false);
  const tail = parseGroups(text.slice(gap + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * inet_ntop (glibc) form: lower-case hex, the longest run of at least two zero words (the first on
 * a tie) as `::`, and IPv4-compatible / IPv4-mapped addresses with a dotted quad.
 */
export function formatIPv6(words: number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      const hi = words[6] as number;
      const lo = words[7] as number;
      out += `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
      break;
    }
    out += (words[i] as number).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}
