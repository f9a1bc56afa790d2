/**
 * SOA serial bump as cPanel does it on every save (docs/reference/cpanel-api.md §6.3, v120 LineEdit.pm):
 * today's `YYYYMMDD00` when that is greater than the old serial, else old + 1. Serials are strings
 * everywhere (§9.5); the arithmetic is exact because serials are 32-bit (RFC 1035 §3.3.13).
 */
import { FixEmailAuthError } from '../errors';

const MAX_SERIAL = 0xffffffff;

/** `YYYYMMDD00` for the calendar day of `now` in `timeZone` (IANA name; default UTC). */
export function todaySerial(now: Date, timeZone = 'UTC'): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  } catch (err) {
    throw new FixEmailAuthError('BAD_INPUT', `Cannot tell today's date in time zone “${timeZone}”: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const year = part('year').padStart(4, '0');
  return `${year}${part('month')}${part('day')}00`;
}

/** The serial cPanel writes after `oldSerial` when saving at `now`. */
export function nextSerial(oldSerial: string, now: Date, timeZone?: string): string {
  if (!/^[0-9]{1,10}$/.test(oldSerial) || Number(oldSerial) > MAX_SERIAL) {
    throw new FixEmailAuthError('BAD_INPUT', `“${oldSerial}” is not an SOA serial`);
  }
  const old = Number(oldSerial);
  const today = Number(todaySerial(now, timeZone));
  const next = today > old ? today : old + 1;
  if (next > MAX_SERIAL) {
    throw new FixEmailAuthError('INVALID_ZONE', `The SOA serial ${oldSerial} cannot be increased: it is already the largest 32-bit value`, {
      step: 'apply',
    });
  }
  return String(next);
}
