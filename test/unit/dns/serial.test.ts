import { compareSerials, parseSerial } from '../../../src/adapters/dns/serial';

describe('compareSerials (RFC 1982, 32-bit)', () => {
  test.each([
    ['2024060102', '2024060102', 'equal'],
    ['2024060101', '2024060102', 'older'],
    ['2024060103', '2024060102', 'newer'],
    // Wrap-around: 1 comes after 4294967295.
    ['1', '4294967295', 'newer'],
    ['4294967295', '1', 'older'],
    // Exactly 2^31 apart: undefined by RFC 1982 §3.2.
    ['0', '2147483648', 'undefined'],
    ['not-a-serial', '1', 'undefined'],
    ['4294967296', '1', 'undefined'],
  ])('when %s is compared with %s, then it is %s', (serial, reference, relation) => {
    expect(compareSerials(serial, reference)).toBe(relation);
  });

  test('when a serial has leading zeros or spaces, then it is read as its number', () => {
    expect(parseSerial(' 0042 ')).toBe(42);
    expect(compareSerials('0042', '42')).toBe('equal');
  });
});
