/**
 * SOA serial comparison by RFC 1982 serial number arithmetic (SERIAL_BITS = 32): serials wrap
 * around, so 1 is *newer* than 4294967295, and two serials exactly 2^31 apart are not comparable
 * (RFC 1982 §3.2). cPanel compares serials as strings for its own edits (docs/reference/cpanel-api.md §9.5); this is
 * for telling a lagging nameserver ("older") from one that has moved past our change ("newer").
 */
export type SerialRelation = 'equal' | 'older' | 'newer' | 'undefined';

const HALF = 2 ** 31;
const MOD = 2 ** 32;

/** A serial as an unsigned 32-bit integer, or null when the text is not one. */
export function parseSerial(serial: string): number | null {
  if (!/^\d{1,10}$/.test(serial.trim())) return null;
  const n = Number(serial.trim());
  return n < MOD ? n : null;
}

/** How `serial` relates to `reference`: is this server's serial older or newer than the one we wrote? */
export function compareSerials(serial: string, reference: string): SerialRelation {
  const a = parseSerial(serial);
  const b = parseSerial(reference);
  if (a === null || b === null) return 'undefined';
  if (a === b) return 'equal';
  const distance = (a - b + MOD) % MOD;
  if (distance === HALF) return 'undefined';
  return distance < HALF ? 'newer' : 'older';
}
