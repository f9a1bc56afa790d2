/**
 * The fast path's pre-filter: before a zone file is parsed for a scan, drop the record lines the
 * diagnosis never reads, so the full reader only sees the SOA, the `$` lines and the records that can
 * matter — a cPanel zone of ~35 records becomes ~10.
 *
 * Why this is safe: `diagnoseDomain` looks only at TXT and CNAME records (lockdown, SPF, DKIM, DMARC
 * and the plan; see src/checks) plus the zone's name and SOA serial. So a line may be dropped when
 * dropping it changes neither those records nor any error the reader would raise:
 * - it is a one-line A, AAAA, NS, MX or SRV record that the reader would accept (checked here with
 *   the reader's own rules: name lengths, the address parsers, 16-bit numbers, TTL ≤ 2^31 − 1);
 * - it starts an entry (no open parenthesis, no `\`-newline before it), has an owner of its own, and
 *   holds no quote, parenthesis, backslash or CR — anything unusual is simply kept;
 * - no later record inherits its owner (a record line starting with white space keeps the last
 *   owner line), and no record can inherit its TTL, because the file must start with `$TTL`
 *   (else nothing is dropped: RFC 2308 §4, BIND takes the previous record's TTL without it);
 * - no `$ORIGIN`, `$INCLUDE` or other directive but `$TTL` appears (else nothing is dropped), so
 *   relative names are completed with the zone name.
 * Dropped lines keep their line break, so every kept record has the same `line_index`.
 * test/unit/scan/relevantLines.test.ts checks records, reports and errors against the full reader.
 */
import { parseIPv6 } from '../../zone/ip';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;
const QUOTE = 0x22;
const OPEN = 0x28;
const CLOSE = 0x29;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const DOT = 0x2e;

/** RFC 2181 §8, as the reader's ttl.ts. */
const MAX_TTL = 2 ** 31 - 1;
const MAX_LABEL = 63;
const MAX_NAME_WIRE = 255;

/** RDATA shapes of the droppable types: the reader's rrTypes.ts fields for A, AAAA, NS, MX, SRV. */
type Shape = readonly ('ipv4' | 'ipv6' | 'name' | 'u16')[];
const SHAPE_A: Shape = ['ipv4'];
const SHAPE_AAAA: Shape = ['ipv6'];
const SHAPE_NS: Shape = ['name'];
const SHAPE_MX: Shape = ['u16', 'name'];
const SHAPE_SRV: Shape = ['u16', 'u16', 'u16', 'name'];

export interface ReducedZone {
  /** The bytes to parse: the input itself when nothing could be dropped. */
  bytes: Buffer;
  /** Record lines dropped (0 when the file did not qualify). */
  dropped: number;
}

/** Most fields of a droppable line (SRV: owner, TTL, class, type and four RDATA fields). */
const MAX_FIELDS = 8;

/**
 * The fields of one line, as byte ranges into the file: filled by `splitFields`, read by the checks
 * below. Reused from line to line, so dropping a line allocates nothing.
 */
const starts = new Int32Array(MAX_FIELDS);
const ends = new Int32Array(MAX_FIELDS);

function upperIs(b: Buffer, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (((b[s + i] as number) & 0xdf) !== word.charCodeAt(i)) return false;
  return true;
}

function digits(b: Buffer, s: number, e: number): number {
  if (e === s || e - s > 10) return -1;
  let value = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/** Wire length of a name as the reader completes it (`@` and relative names end in the zone). */
function nameFits(b: Buffer, s: number, e: number, zoneWire: number): boolean {
  if (e - s === 1 && (b[s] === 0x40 || b[s] === DOT)) return true; // `@`, the root
  let wire = 1;
  let labelStart = s;
  for (let i = s; i <= e; i++) {
    if (i < e && b[i] !== DOT) continue;
    const length = i - labelStart;
    if (i === e && length === 0) return wire <= MAX_NAME_WIRE; // a final dot: absolute
    if (length === 0 || length > MAX_LABEL) return false;
    wire += length + 1;
    labelStart = i + 1;
  }
  return wire - 1 + zoneWire <= MAX_NAME_WIRE;
}

/** The reader's parseIPv4 (ip.ts) on bytes: a dotted quad without leading zeros. */
function isIPv4(b: Buffer, s: number, e: number): boolean {
  let parts = 0;
  let partStart = s;
  for (let i = s; i <= e; i++) {
    if (i < e && b[i] !== DOT) continue;
    const length = i - partStart;
    if (length === 0 || length > 3 || (length > 1 && b[partStart] === 0x30)) return false;
    const value = digits(b, partStart, i);
    if (value < 0 || value > 255) return false;
    parts++;
    partStart = i + 1;
  }
  return parts === 4;
}

/** Split [s, e) on blanks into `starts`/`ends`; the count, or -1 when there are too many fields. */
function splitFields(b: Buffer, s: number, e: number): number {
  let n = 0;
  let i = s;
  while (i < e) {
    while (i < e && (b[i] === SPACE || b[i] === TAB)) i++;
    if (i === e) break;
    if (n === MAX_FIELDS) return -1;
    starts[n] = i;
    while (i < e && b[i] !== SPACE && b[i] !== TAB) i++;
    ends[n++] = i;
  }
  return n;
}

function shapeOf(b: Buffer, s: number, e: number): Shape | null {
  switch (e - s) {
    case 1:
      return upperIs(b, s, e, 'A') ? SHAPE_A : null;
    case 2:
      return upperIs(b, s, e, 'NS') ? SHAPE_NS : upperIs(b, s, e, 'MX') ? SHAPE_MX : null;
    case 3:
      return upperIs(b, s, e, 'SRV') ? SHAPE_SRV : null;
    case 4:
      return upperIs(b, s, e, 'AAAA') ? SHAPE_AAAA : null;
    default:
      return null;
  }
}

/**
 * Whether the reader would accept this one-line record of a droppable type (no comment, no quote,
 * parenthesis or backslash). Anything it is not sure of is kept.
 */
function droppableRecord(b: Buffer, s: number, e: number, zoneWire: number): boolean {
  const n = splitFields(b, s, e);
  if (n < 3) return false;
  if (!nameFits(b, starts[0] as number, ends[0] as number, zoneWire)) return false;
  let next = 1;
  let sawTtl = false;
  let sawClass = false;
  for (let k = 0; k < 2 && next < n; k++) {
    const fs = starts[next] as number;
    const fe = ends[next] as number;
    if (!sawClass && upperIs(b, fs, fe, 'IN')) {
      sawClass = true;
      next++;
      continue;
    }
    // Other classes (CH, CS, HS, CLASSn) and TTLs with units are the reader's business.
    if (
      upperIs(b, fs, fe, 'CH') ||
      upperIs(b, fs, fe, 'CS') ||
      upperIs(b, fs, fe, 'HS') ||
      (fe - fs >= 5 && upperIs(b, fs, fs + 5, 'CLASS'))
    )
      return false;
    const first = b[fs] as number;
    if (first >= 0x30 && first <= 0x39) {
      const ttl = digits(b, fs, fe);
      if (sawTtl || ttl < 0 || ttl > MAX_TTL) return false;
      sawTtl = true;
      next++;
      continue;
    }
    break;
  }
  if (next >= n) return false;
  const shape = shapeOf(b, starts[next] as number, ends[next] as number);
  next++;
  if (!shape || n - next !== shape.length) return false;
  for (const kind of shape) {
    const fs = starts[next] as number;
    const fe = ends[next] as number;
    next++;
    if (kind === 'ipv4' && !isIPv4(b, fs, fe)) return false;
    if (kind === 'ipv6' && !parseIPv6(b.toString('latin1', fs, fe))) return false;
    if (kind === 'u16') {
      const value = digits(b, fs, fe);
      if (value < 0 || value > 0xffff) return false;
    }
    if (kind === 'name' && !nameFits(b, fs, fe, zoneWire)) return false;
  }
  return true;
}

/**
 * The zone file with the record lines the diagnosis cannot need blanked out (see the header), or the
 * input unchanged when the file does not qualify.
 */
export function reduceZoneText(bytes: Buffer, zoneName: string): ReducedZone {
  const zoneWire = zoneName.length + 2;
  const length = bytes.length;
  /** Start and end (before the LF) of each dropped line. */
  const drops: number[] = [];
  let depth = 0;
  let continued = false; // the previous line ended inside a token with `\`-newline
  let sawTtl = false;
  /** Index in `drops` of the last line that named an owner, if it was dropped. */
  let lastOwnerDrop = -1;
  let pos = 0;

  let inQuote = false; // a quoted string continued on this line by a `\`-newline
  while (pos < length) {
    const start = pos;
    let eol = bytes.indexOf(LF, pos);
    if (eol === -1) eol = length;
    const first = bytes[start] as number;
    const startsEntry = depth === 0 && !continued;
    continued = false;

    // Walk the line: quotes, comments, parentheses and escapes, as the lexer does.
    let plain = true; // no quote, parenthesis, backslash or CR before a comment
    let hasToken = false;
    let i = start;
    for (; i < eol; i++) {
      const c = bytes[i] as number;
      if (inQuote) {
        if (c === BACKSLASH) {
          if (i + 1 === eol) continued = true;
          i++;
        } else if (c === QUOTE) inQuote = false;
        continue;
      }
      if (c === SEMICOLON) break;
      if (c === QUOTE) {
        inQuote = true;
        plain = false;
        hasToken = true;
      } else if (c === OPEN) {
        depth++;
        plain = false;
      } else if (c === CLOSE) {
        if (depth > 0) depth--;
        plain = false;
      } else if (c === BACKSLASH) {
        plain = false;
        hasToken = true;
        if (i + 1 === eol) continued = true;
        i++;
      } else if (c === CR) plain = false;
      else if (c !== SPACE && c !== TAB) hasToken = true;
    }
    const content = Math.min(i, eol);
    // A quote still open at the line break is the reader's error (kept), unless escaped on.
    if (!continued) inQuote = false;

    if (startsEntry && (hasToken || !plain)) {
      if (first === DOLLAR) {
        // Only $TTL keeps names and TTLs predictable; any other directive: the file is parsed whole.
        const word = bytes.toString('latin1', start, Math.min(eol, start + 4)).toUpperCase();
        const after = bytes[start + 4];
        if (word !== '$TTL' || (after !== SPACE && after !== TAB)) return { bytes, dropped: 0 };
        sawTtl = true;
      } else if (first === SPACE || first === TAB) {
        // An entry without an owner takes the last one: that line must stay.
        if (lastOwnerDrop >= 0) drops.length = lastOwnerDrop;
        lastOwnerDrop = -1;
      } else {
        if (!sawTtl) return { bytes, dropped: 0 };
        lastOwnerDrop = -1;
        if (plain && depth === 0 && !continued) {
          if (droppableRecord(bytes, start, content, zoneWire)) {
            lastOwnerDrop = drops.length;
            drops.push(start, eol);
          }
        }
      }
    }
    pos = eol + 1;
  }

  if (drops.length === 0) return { bytes, dropped: 0 };
  let removed = 0;
  for (let d = 0; d < drops.length; d += 2) removed += (drops[d + 1] as number) - (drops[d] as number);
  const out = Buffer.allocUnsafe(length - removed);
  let from = 0;
  let at = 0;
  for (let d = 0; d < drops.length; d += 2) {
    at += bytes.copy(out, at, from, drops[d]);
    from = drops[d + 1] as number;
  }
  bytes.copy(out, at, from, length);
  return { bytes: out, dropped: drops.length / 2 };
}
