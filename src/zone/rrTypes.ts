/**
 * The record types the zone package can read and write, with the presentation-format fields of
 * their RDATA (RFC 1035 §3.3, RFC 3596, RFC 2782, RFC 8659, RFC 4034, RFC 6698, RFC 4255, RFC 3403,
 * RFC 1183, RFC 1876, RFC 9460). cPanel's parse_zone reports one `data` item per field
 * (docs/reference/cpanel-api.md §5.3); the kinds say how a field is read, normalised and written back.
 */

export type FieldKind =
  /** domain name, made absolute with a trailing dot (ldns) */
  | 'name'
  | 'u8'
  | 'u16'
  | 'u32'
  /** SOA timer: seconds or BIND units (`1h`), reported in seconds */
  | 'period'
  | 'ipv4'
  | 'ipv6'
  /** one character-string (≤ 255 bytes), quoted or not, reported decoded */
  | 'string'
  /** one or more character-strings to the end (TXT, SPF): one data item each */
  | 'strings'
  /** one bare word (CAA tag) */
  | 'word'
  /** CAA value (RFC 8659 §4.1.1): one string, not limited to 255 bytes, reported decoded */
  | 'longString'
  /** hexadecimal to the end, white space allowed (RFC 4034 §5.3): one item, upper case like ldns */
  | 'hex'
  /** everything to the end as one item, words joined by one space (LOC) */
  | 'rest'
  /** zero or more remaining words, one item each (SVCB/HTTPS parameters) */
  | 'words';

export const RR_FIELDS: Readonly<Record<string, readonly FieldKind[]>> = {
  A: ['ipv4'],
  AAAA: ['ipv6'],
  NS: ['name'],
  CNAME: ['name'],
  DNAME: ['name'],
  PTR: ['name'],
  MX: ['u16', 'name'],
  AFSDB: ['u16', 'name'],
  RP: ['name', 'name'],
  SOA: ['name', 'name', 'u32', 'period', 'period', 'period', 'period'],
  TXT: ['strings'],
  SPF: ['strings'],
  HINFO: ['string', 'string'],
  SRV: ['u16', 'u16', 'u16', 'name'],
  NAPTR: ['u16', 'u16', 'string', 'string', 'string', 'name'],
  CAA: ['u8', 'word', 'longString'],
  DS: ['u16', 'u8', 'u8', 'hex'],
  TLSA: ['u8', 'u8', 'u8', 'hex'],
  SSHFP: ['u8', 'u8', 'hex'],
  LOC: ['rest'],
  SVCB: ['u16', 'name', 'words'],
  HTTPS: ['u16', 'name', 'words'],
};

/** IANA type numbers of the types above, so `TYPE16` reads as TXT (RFC 3597 §5). */
export const RR_TYPE_NUMBERS: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  17: 'RP',
  18: 'AFSDB',
  28: 'AAAA',
  29: 'LOC',
  33: 'SRV',
  35: 'NAPTR',
  39: 'DNAME',
  43: 'DS',
  44: 'SSHFP',
  52: 'TLSA',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  257: 'CAA',
};

/**
 * Types a DNS answer or question may carry that no zone here holds: the EDNS OPT pseudo-record
 * (RFC 6891), DNSSEC's RRSIG, NSEC, DNSKEY and NSEC3 (RFC 4034, RFC 5155), and the ANY query type
 * (RFC 1035 §3.2.3). Kept apart so a zone file's `TYPE46` is not read as a type we cannot parse.
 */
const WIRE_ONLY_TYPE_NUMBERS: Readonly<Record<number, string>> = {
  41: 'OPT',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  255: 'ANY',
};

const NAME_OF_NUMBER: ReadonlyMap<number, string> = new Map(
  [...Object.entries(RR_TYPE_NUMBERS), ...Object.entries(WIRE_ONLY_TYPE_NUMBERS)].map(([code, name]) => [Number(code), name]),
);
const NUMBER_OF_NAME: ReadonlyMap<string, number> = new Map([...NAME_OF_NUMBER].map(([code, name]) => [name, code]));

/** The mnemonic of a type number as a DNS message carries it (`16` → TXT), else RFC 3597's `TYPE<n>`. */
export function rrTypeName(code: number): string {
  return NAME_OF_NUMBER.get(code) ?? `TYPE${code}`;
}

/** The type number of a mnemonic we know (`TXT` → 16), `TYPE<n>` included; undefined otherwise. */
export function rrTypeNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  const known = NUMBER_OF_NAME.get(upper);
  if (known !== undefined) return known;
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  return generic && Number(generic[1]) <= 65535 ? Number(generic[1]) : undefined;
}

/** Classes of RFC 1035 §3.2.4; only IN is served by cPanel. */
export const CLASSES = new Set(['IN', 'CH', 'CS', 'HS']);

export function fieldsOf(type: string): readonly FieldKind[] | undefined {
  return Object.prototype.hasOwnProperty.call(RR_FIELDS, type) ? RR_FIELDS[type] : undefined;
}
