/**
 * What Plesk accepts in a DNS record, and the XML API errors it answers otherwise. Types are those
 * of `pm_Dns_Record` (github plesk/pm-api-stubs `pm/Dns/Record.php`); a TXT value is "arbitrary
 * binary data, up to 255 bytes in length"
 * (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/adding-dns-record.34798).
 * Whether Plesk rejects or splits a longer TXT is unverified; the simulator rejects it, so a tool
 * that relies on splitting fails here first.
 */

export const PLESK_RECORD_TYPES: ReadonlySet<string> = new Set([
  'A',
  'AAAA',
  'NS',
  'CNAME',
  'MX',
  'PTR',
  'TXT',
  'SRV',
  'DS',
  'CAA',
  'TLSA',
  'HTTPS',
]);

/** An XML API failure of one operation: `<status>error</status><errcode>…</errcode><errtext>…</errtext>`. */
export class PleskOpError extends Error {
  constructor(
    readonly errcode: number,
    readonly errtext: string,
  ) {
    super(errtext);
  }
}

/**
 * Error codes as real servers answer them (go-acme/lego `providers/dns/plesk/internal/fixtures`):
 * 1001 bad credentials, 1013 object does not exist, 1015 domain does not exist. Codes for the
 * cases no public answer shows (permission, duplicate, invalid value) are the simulator's choice —
 * unverified, so the adapter must not depend on their numbers.
 */
export const ERR = {
  auth: () => new PleskOpError(1001, 'You have entered incorrect username or password.'),
  noRecord: () => new PleskOpError(1013, 'Record does not exist'),
  noObject: (what: string) => new PleskOpError(1013, `${what} does not exist`),
  noDomain: () => new PleskOpError(1015, 'Domain does not exist.'),
  permission: () => new PleskOpError(1006, 'Permission denied.'),
  exists: () => new PleskOpError(1007, 'DNS record already exists.'),
  invalid: (why: string) => new PleskOpError(1019, `Invalid DNS record: ${why}`),
  request: (why: string) => new PleskOpError(1014, `Parser error: ${why}`),
} as const;

const LABEL = /^(\*|[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)$/;

/** A relative host as add_rec takes it: empty (apex) or dot-separated labels, no final dot. */
export function checkRelativeHost(host: string): void {
  if (host === '') return;
  if (host.length > 200 || host.endsWith('.') || !host.split('.').every((label) => LABEL.test(label))) {
    throw ERR.invalid(`“${host}” is not a valid host name`);
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function checkValue(type: string, value: string, opt: string): void {
  if (!PLESK_RECORD_TYPES.has(type)) throw ERR.invalid(`unsupported record type ${type}`);
  if (value === '') throw ERR.invalid('the value is empty');
  if (/[\r\n\0]/.test(value)) throw ERR.invalid('the value contains a line break');
  if (type === 'A' && !IPV4.test(value)) throw ERR.invalid(`“${value}” is not an IPv4 address`);
  if (type === 'TXT' && Buffer.byteLength(value, 'utf8') > 255) {
    throw ERR.invalid(`a TXT value is at most 255 bytes, got ${Buffer.byteLength(value, 'utf8')}`);
  }
  if (type === 'MX' && !/^\d{1,5}$/.test(opt)) throw ERR.invalid('an MX record needs its priority in <opt>');
}
