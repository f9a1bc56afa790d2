/** The SOA serial bump of docs/reference/cpanel-api.md §6.3 and §9.5. */
import { nextSerial, todaySerial } from '../../../src/zone/serial';

describe('serial bump', () => {
  const day = new Date('2026-11-28T12:00:00Z');

  test('when the old serial is from an earlier day, then the new one is today’s YYYYMMDD00 (the reference example)', () => {
    expect(nextSerial('2024030101', day)).toBe('2026112800');
  });

  test('when the old serial is today’s or later, then the new one is old + 1', () => {
    expect(nextSerial('2026112805', day)).toBe('2026112806');
    expect(nextSerial('2026112899', day)).toBe('2026112900');
    expect(nextSerial('3000010100', day)).toBe('3000010101');
  });

  test('when the old serial is a small counter, then today’s date wins', () => {
    expect(nextSerial('1', day)).toBe('2026112800');
    expect(nextSerial('0', day)).toBe('2026112800');
  });

  test('when the day is asked in a time zone, then the calendar date of that zone is used', () => {
    const lateUtc = new Date('2026-12-31T23:30:00Z');
    expect(todaySerial(lateUtc)).toBe('2026123100');
    expect(todaySerial(lateUtc, 'Asia/Tokyo')).toBe('2027010100');
    expect(todaySerial(new Date('2026-01-01T03:00:00Z'), 'America/New_York')).toBe('2025123100');
  });

  test('when the old serial is not a 32-bit number, then BAD_INPUT; at the 32-bit maximum, INVALID_ZONE', () => {
    expect(() => nextSerial('abc', day)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => nextSerial('4294967296', day)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => nextSerial('4294967295', day)).toThrow(expect.objectContaining({ code: 'INVALID_ZONE' }));
    expect(nextSerial('4294967294', day)).toBe('4294967295');
  });
});
