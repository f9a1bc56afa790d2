/** A / AAAA addresses read like inet_pton and printed like glibc inet_ntop (what ldns shows). */
import { formatIPv6, parseIPv4, parseIPv6 } from '../../../src/zone/ip';

const v6 = (text: string) => {
  const words = parseIPv6(text);
  return words ? formatIPv6(words) : null;
};

describe('IP addresses', () => {
  test.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:0:0:0:0', '2001:db8:0:1::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::192.0.2.1'],
    ['2001:db8:1:2:3:4:5:0', '2001:db8:1:2:3:4:5:0'],
    ['fe80::0:1', 'fe80::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['1::2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
  ])('when %s is read, then it prints as %s', (input, output) => {
    expect(v6(input)).toBe(output);
  });

  test.each(['', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1.2.3.4::', '::1.2.3', ':1::', '1:2:3:4:5:6:7'])(
    'when “%s” is read as IPv6, then it is refused',
    (input) => {
      expect(parseIPv6(input)).toBeNull();
    },
  );

  test('when IPv4 text is read, then leading zeros, missing parts and big parts are refused', () => {
    expect(parseIPv4('192.0.2.1')).toEqual([192, 0, 2, 1]);
    expect(parseIPv4('0.0.0.0')).toEqual([0, 0, 0, 0]);
    for (const bad of ['192.0.2', '192.0.2.1.5', '192.0.2.256', '192.0.02.1', '192.0.2.', 'a.b.c.d', '1.2.3.-4'])
      expect(parseIPv4(bad)).toBeNull();
  });
});
