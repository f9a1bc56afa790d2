/**
 * The zone model every layer shares: what cPanel's `parse_zone` tells us about a zone, in a form the
 * checks and the planner can use without knowing where the zone came from (API payload or file).
 *
 * Byte strings: zones may hold arbitrary bytes (docs/reference/cpanel-api.md §5.3), so owner names and RDATA are
 * kept as "binary strings" — one JS char per byte (latin1). This is lossless and ASCII-compatible,
 * so every check that looks for `v=mc1` or `include:` works unchanged; views convert to UTF-8 for
 * display with `bytesToDisplay`.
 */

/** One resource record as cPanel's parse_zone reports it. */
export interface ZoneRecord {
  /** 0-based line of the zone file where the record starts (cPanel's `line_index`). */
  lineIndex: number;
  /** cPanel's `dname`: relative without a dot under the zone, the apex absolute with a dot. */
  dname: string;
  /** Absolute owner name, lower-cased, with the trailing dot: `_mailchannels.example.com.` */
  name: string;
  ttl: number;
  /** Upper-case type mnemonic: `TXT`, `SOA`, `NS`, … */
  type: string;
  /** One item per RDATA field; TXT: one per character-string, escapes decoded. */
  data: string[];
}

/** A non-record line cPanel reports (`; comment` or `$TTL …`). */
export interface ZoneLineItem {
  kind: 'comment' | 'control';
  lineIndex: number;
  text: string;
}

export interface Zone {
  /** Zone apex without the trailing dot, lower-cased: `example.com`. */
  name: string;
  /** SOA serial as a string (cPanel compares serials as strings; docs/reference/cpanel-api.md §9.5). */
  serial: string;
  records: ZoneRecord[];
  lines: ZoneLineItem[];
}

/** The items of one `mass_edit_zone` add (docs/reference/cpanel-api.md §6.1). */
export interface MassEditAdd {
  dname: string;
  ttl: number;
  record_type: string;
  data: string[];
}

export interface MassEditEdit extends MassEditAdd {
  line_index: number;
}

/** Exactly `mass_edit_zone`'s parameters. */
export interface MassEditParams {
  zone: string;
  serial: string;
  remove: number[];
  edit: MassEditEdit[];
  add: MassEditAdd[];
}

/**
 * DNS names compare case-insensitively in ASCII only (RFC 4343 §3); `toLowerCase` would also fold
 * latin1 bytes 0xC0–0xDE of a binary string and change the name.
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Lower-case (ASCII), strip one trailing dot. */
export function normalizeDomain(domain: string): string {
  const lower = asciiLower(domain.trim());
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** `www` in zone `example.com` → `www.example.com.`; absolute names are kept (lower-cased). */
export function absoluteName(dname: string, zone: string): string {
  const z = normalizeDomain(zone);
  if (dname.endsWith('.')) return asciiLower(dname);
  if (dname === '' || dname === '@') return `${z}.`;
  return `${asciiLower(dname)}.${z}.`;
}

/** The cPanel `dname` for an absolute name: relative under the zone, apex absolute with its dot. */
export function cpanelDname(name: string, zone: string): string {
  const abs = name.endsWith('.') ? asciiLower(name) : `${asciiLower(name)}.`;
  const z = `${normalizeDomain(zone)}.`;
  if (abs === z) return z;
  if (abs.endsWith(`.${z}`)) return abs.slice(0, -(z.length + 1));
  return abs;
}

/** The logical value of a TXT record: its character-strings joined with no separator (RFC 7208 §3.3). */
export function txtValue(record: Pick<ZoneRecord, 'data'>): string {
  return record.data.join('');
}

/** Bytes kept as a binary string, shown as UTF-8 when they are valid UTF-8, else with \xNN escapes. */
export function bytesToDisplay(binary: string): string {
  const buf = Buffer.from(binary, 'latin1');
  const text = buf.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(buf)) return text;
  let out = '';
  for (const byte of buf) out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}
