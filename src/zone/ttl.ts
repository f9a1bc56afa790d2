/**
 * TTLs and SOA timers as BIND reads them: plain seconds (`14400`) or units `w d h m s` in any case
 * (`1h`, `2d`, `1h30m`; BIND 9 ARM "TTL"). RFC 2181 §8: a TTL is at most 2^31 − 1.
 */

export const MAX_TTL = 2 ** 31 - 1;
const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds, or null when the text is not a TTL (also when it overflows 2^32 − 1). */
export function parseTtl(text: string): number | null {
  if (text.length === 0 || text.length > 40) return null;
  let total = 0;
  let pos = 0;
  let sawUnit = false;
  while (pos < text.length) {
    let digits = 0;
    let value = 0;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      digits++;
      pos++;
    }
    if (digits === 0) return null;
    if (pos === text.length) {
      // A bare number is seconds; after a unit it is refused (write `1h30m`, not `1h30`).
      if (sawUnit) return null;
      total = value;
      break;
    }
    const unit = UNIT_SECONDS[(text[pos] as string).toLowerCase()];
    if (unit === undefined) return null;
    total += value * unit;
    sawUnit = true;
    pos++;
  }
  return total <= 0xffffffff ? total : null;
}

/** Starts like a TTL: no class or type mnemonic begins with a digit, so this field must be the TTL. */
export function looksLikeTtl(text: string): boolean {
  const first = text.charCodeAt(0);
  return first >= 0x30 && first <= 0x39;
}
