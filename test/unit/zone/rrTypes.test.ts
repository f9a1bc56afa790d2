import { RR_TYPE_NUMBERS, rrTypeName, rrTypeNumber } from '../../../src/zone/rrTypes';

describe('one table of RR type numbers for zone files and DNS messages', () => {
  test('when a zone type or a wire-only type is named, then its number comes back and maps back to the name', () => {
    for (const [code, name] of Object.entries(RR_TYPE_NUMBERS)) {
      expect(rrTypeNumber(name)).toBe(Number(code));
      expect(rrTypeName(Number(code))).toBe(name);
    }
    expect([41, 46, 47, 48, 50, 255].map(rrTypeName)).toEqual(['OPT', 'RRSIG', 'NSEC', 'DNSKEY', 'NSEC3', 'ANY']);
    expect(rrTypeNumber('rrsig')).toBe(46);
  });

  test('when a type has no mnemonic here, then RFC 3597 TYPE<n> in both directions, and nothing past 65535', () => {
    expect(rrTypeName(62)).toBe('TYPE62');
    expect(rrTypeNumber('TYPE62')).toBe(62);
    expect(rrTypeNumber('type65535')).toBe(65535);
    expect(rrTypeNumber('TYPE65536')).toBeUndefined();
    expect(rrTypeNumber('NOSUCHTYPE')).toBeUndefined();
  });

  test('when a zone file names a wire-only type, then the zone table still does not know it', () => {
    expect(RR_TYPE_NUMBERS[46]).toBeUndefined();
  });
});
