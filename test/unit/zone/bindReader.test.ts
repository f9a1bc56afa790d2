/**
 * The BIND master-file reader, feature by feature (RFC 1035 §5.1, RFC 2308 §4, docs/reference/cpanel-api.md §5.3),
 * and its errors: always FixEmailAuthError ZONE_PARSE naming `<file>:<line>`.
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { FixEmailAuthError } from '../../../src/errors';
import type { Zone, ZoneRecord } from '../../../src/zone/model';

/** Three lines of head (0–2): $TTL, SOA, NS; the body starts at line 3. */
const HEAD =
  '$TTL 300\nexample.com. IN SOA ns1.example.net. admin.example.net. 7 3600 1800 1209600 300\nexample.com. IN NS ns1.example.net.\n';

function parse(body: string, zone = 'example.com'): Zone {
  return parseZoneFile(HEAD + body, zone);
}

function body(text: string): ZoneRecord[] {
  return parse(text).records.slice(2);
}

function parseError(text: string, options?: { fileName?: string }): FixEmailAuthError {
  try {
    parseZoneFile(text, 'example.com', options);
  } catch (err) {
    if (err instanceof FixEmailAuthError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('bindReader: syntax', () => {
  test('when the head is read, then the SOA serial is data[2] as a string and TTLs come from $TTL', () => {
    const zone = parse('');
    expect(zone.serial).toBe('7');
    expect(zone.records[1]).toMatchObject({ lineIndex: 2, dname: 'example.com.', ttl: 300, type: 'NS' });
  });

  test('when any record is split over lines in parentheses, then it is one record at its first line and later indexes count every line', () => {
    const records = body('www A (\n 192.0.2.1 ; the address\n )\n\nmail A 192.0.2.2\n');
    expect(records).toEqual([
      { lineIndex: 3, dname: 'www', name: 'www.example.com.', ttl: 300, type: 'A', data: ['192.0.2.1'] },
      { lineIndex: 7, dname: 'mail', name: 'mail.example.com.', ttl: 300, type: 'A', data: ['192.0.2.2'] },
    ]);
  });

  test('when comments sit inside parentheses or after a record, then they yield no item', () => {
    const zone = parse('txt TXT ( "a" ; one\n; two\n "b" ) ; three\n');
    expect(zone.lines.filter((l) => l.kind === 'comment')).toEqual([]);
    expect(zone.records[2]).toMatchObject({ lineIndex: 3, data: ['a', 'b'] });
  });

  test('when owners are relative, absolute, @ or blank, then dname follows cPanel’s rules', () => {
    const records = body(
      'www A 192.0.2.1\nwww.example.com. A 192.0.2.2\n@ A 192.0.2.3\n A 192.0.2.4\nhost.elsewhere.example. A 192.0.2.5\nEXAMPLE.COM. A 192.0.2.6\n',
    );
    expect(records.map((r) => [r.dname, r.name])).toEqual([
      ['www', 'www.example.com.'],
      ['www', 'www.example.com.'],
      ['example.com.', 'example.com.'],
      ['example.com.', 'example.com.'],
      ['host.elsewhere.example.', 'host.elsewhere.example.'],
      ['EXAMPLE.COM.', 'example.com.'],
    ]);
  });

  test('when TTL and class come in either order or are left out, then both forms read the same', () => {
    const records = body('a 60 IN A 192.0.2.1\nb IN 60 A 192.0.2.1\nc 60 A 192.0.2.1\nd IN A 192.0.2.1\ne A 192.0.2.1\n');
    expect(records.map((r) => r.ttl)).toEqual([60, 60, 60, 300, 300]);
  });

  test('when TTLs use BIND units, then they are seconds', () => {
    const records = body('a 1h A 192.0.2.1\nb 2d A 192.0.2.1\nc 1w2d A 192.0.2.1\nd 1H30M A 192.0.2.1\ne 45s A 192.0.2.1\n');
    expect(records.map((r) => r.ttl)).toEqual([3600, 172800, 777600, 5400, 45]);
  });

  test('when a quoted string holds ; ( ) and escapes, then ; is not a comment and the escapes are decoded', () => {
    const records = body('t TXT "a;b (c) \\"d\\" \\\\e \\065\\066"\n');
    expect(records[0]?.data).toEqual(['a;b (c) "d" \\e AB']);
  });

  test('when TXT has several strings and bare words, then each is one item, escapes decoded', () => {
    expect(body('t TXT "one" two "" thr\\032ee\n')[0]?.data).toEqual(['one', 'two', '', 'thr ee']);
  });

  test('when an escaped line break sits in a quoted string, then it is a newline byte and the line count goes on', () => {
    const records = body('t TXT "a\\\nb"\nnext A 192.0.2.1\n');
    expect(records[0]?.data).toEqual(['a\nb']);
    expect(records[1]?.lineIndex).toBe(5);
  });

  test('when comment and directive lines appear, then they are items with the text of their line', () => {
    const zone = parseZoneFile(
      '; first\n$TTL 1h ; one hour\n\n@ SOA ns1 admin 1 2 3 4 5\n@ NS ns1\n\t; indented\n$ORIGIN sub.example.com.\nx A 192.0.2.1\n',
      'example.com',
    );
    expect(zone.lines).toEqual([
      { kind: 'comment', lineIndex: 0, text: '; first' },
      { kind: 'control', lineIndex: 1, text: '$TTL 1h ; one hour' },
      { kind: 'comment', lineIndex: 5, text: '\t; indented' },
      { kind: 'control', lineIndex: 6, text: '$ORIGIN sub.example.com.' },
    ]);
    expect(zone.records[2]).toMatchObject({ lineIndex: 7, dname: 'x.sub', ttl: 3600 });
  });

  test('when there is no $TTL, then the SOA takes its minimum and later records the previous TTL (BIND)', () => {
    const zone = parseZoneFile('@ SOA ns1 admin 1 2 3 4 900\n@ NS ns1\nw 60 A 192.0.2.1\nx A 192.0.2.2\n', 'example.com');
    expect(zone.records.map((r) => r.ttl)).toEqual([900, 900, 60, 60]);
  });

  test('when RDATA names are relative or @, then they are absolute with a dot', () => {
    const records = body('@ MX 10 mail\nw CNAME @\nsrv SRV 1 2 3 target\nn NS ns.other.example.\n');
    expect(records.map((r) => r.data)).toEqual([
      ['10', 'mail.example.com.'],
      ['example.com.'],
      ['1', '2', '3', 'target.example.com.'],
      ['ns.other.example.'],
    ]);
  });

  test('when numbers have leading zeros, then they are printed in decimal like ldns', () => {
    expect(body('@ MX 010 mail\n')[0]?.data).toEqual(['10', 'mail.example.com.']);
  });

  test('when the zone name is given with capitals and a dot, then the zone name is normalised', () => {
    const zone = parseZoneFile(HEAD, 'Example.COM.');
    expect(zone.name).toBe('example.com');
    expect(zone.records[0]?.dname).toBe('example.com.');
  });

  test('when a string holds decoded text with characters above U+00FF, then it is read as its UTF-8 bytes', () => {
    const zone = parseZoneFile(`${HEAD}t TXT "ünï €"\n`, 'example.com');
    expect(zone.records[2]?.data[0]).toBe(Buffer.from('ünï €', 'utf8').toString('latin1'));
  });

  test('when a type is given as TYPEnnn, then a known number reads as its mnemonic', () => {
    expect(body('t TYPE16 "x"\n')[0]).toMatchObject({ type: 'TXT', data: ['x'] });
  });

  test('when a record is an exact 255-byte string, then it is accepted', () => {
    expect(body(`t TXT "${'x'.repeat(255)}"\n`)[0]?.data[0]).toHaveLength(255);
  });
});

describe('bindReader: errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unterminated quoted string', `${HEAD}t TXT "abc\nx A 192.0.2.1\n`, /^example\.com\.db:4: unbalanced quotes/],
    ['a quote open at the end of the file', `${HEAD}t TXT "abc`, /^example\.com\.db:4: unbalanced quotes/],
    ['a “(” never closed', `${HEAD}\nt TXT ( "a"\n"b"\n`, /^example\.com\.db:5: unbalanced parentheses/],
    ['a “)” without “(”', `${HEAD}t TXT "a" )\n`, /^example\.com\.db:4: unbalanced parentheses/],
    [
      'a character-string over 255 bytes',
      `${HEAD}t TXT "${'x'.repeat(256)}"\n`,
      /^example\.com\.db:4: TXT: a character-string is 256 bytes/,
    ],
    [
      'RDATA over 65535 bytes',
      `${HEAD}t TXT ${`"${'x'.repeat(255)}" `.repeat(257)}\n`,
      /^example\.com\.db:4: TXT RDATA is longer than 65535 bytes/,
    ],
    ['an unknown directive', `${HEAD}$FOO bar\n`, /^example\.com\.db:4: unknown directive “\$FOO”/],
    ['$INCLUDE', `${HEAD}$INCLUDE /etc/passwd\n`, /^example\.com\.db:4: \$INCLUDE is not supported/],
    ['$TTL without a value', `${HEAD}$TTL\n`, /^example\.com\.db:4: \$TTL needs a value/],
    ['$TTL with a bad value', `${HEAD}$TTL soon\n`, /^example\.com\.db:4: \$TTL “soon” is not a TTL/],
    ['an unknown record type', `${HEAD}t FOO bar\n`, /^example\.com\.db:4: unknown or unsupported record type “FOO”/],
    [
      'a type number without generic RDATA',
      `${HEAD}t TYPE999 abc\n`,
      /^example\.com\.db:4: type TYPE999 needs its RDATA in the generic form/,
    ],
    ['a record without type', `${HEAD}t 300 IN\n`, /^example\.com\.db:4: the record has no type/],
    ['a bad IPv4 address', `${HEAD}t A 192.0.2\n`, /^example\.com\.db:4: A: “192\.0\.2” is not an IPv4 address/],
    ['a bad IPv6 address', `${HEAD}t AAAA 2001:db8:::1\n`, /^example\.com\.db:4: AAAA: “2001:db8:::1” is not an IPv6 address/],
    ['a missing field', `${HEAD}t MX 10\n`, /^example\.com\.db:4: a MX record needs 2 RDATA field/],
    ['an extra field', `${HEAD}t A 192.0.2.1 extra\n`, /^example\.com\.db:4: unexpected “extra” after the RDATA of a A record/],
    ['a number out of range', `${HEAD}t MX 70000 mail\n`, /^example\.com\.db:4: MX: “70000” is not a number from 0 to 65535/],
    ['a class other than IN', `${HEAD}t CH TXT "x"\n`, /^example\.com\.db:4: class CH is not supported/],
    ['a TTL out of range', `${HEAD}t 99999999999 A 192.0.2.1\n`, /^example\.com\.db:4: “99999999999” is not a TTL/],
    ['a bad \\DDD escape', `${HEAD}t TXT "\\300"\n`, /^example\.com\.db:4: bad escape: \\300 is more than 255/],
    ['a short \\DDD escape', `${HEAD}t TXT "\\12x"\n`, /^example\.com\.db:4: bad escape/],
    ['an empty label', `${HEAD}a..b A 192.0.2.1\n`, /^example\.com\.db:4: bad name “a\.\.b”: empty label/],
    ['a label over 63 bytes', `${HEAD}${'a'.repeat(64)} A 192.0.2.1\n`, /^example\.com\.db:4: bad name .*longer than 63 bytes/],
    [
      'a name over 255 bytes',
      `${HEAD}${`${'a'.repeat(60)}.`.repeat(4)}x A 192.0.2.1\n`,
      /^example\.com\.db:4: bad name .*longer than 255 bytes/,
    ],
    [
      'a blank owner before any record',
      '\tA 192.0.2.1\n',
      /^example\.com\.db:1: the record starts with white space but no record before it/,
    ],
    ['no SOA at all', '$TTL 300\nexample.com. NS ns1.example.net.\n', /^example\.com\.db: no SOA record/],
    ['a second SOA', `${HEAD}@ SOA ns1 admin 8 1 1 1 1\n`, /^example\.com\.db:4: a second SOA record \(the first is at line 2\)/],
    [
      'an SOA away from the apex',
      '$TTL 300\nsub SOA ns1 admin 1 2 3 4 5\n',
      /^example\.com\.db:2: the SOA record must be at the zone apex/,
    ],
    ['a record with no TTL anywhere', 'x A 192.0.2.1\n', /^example\.com\.db:1: the record has no TTL and no \$TTL/],
    ['a quoted owner', `${HEAD}"www" A 192.0.2.1\n`, /^example\.com\.db:4: an owner name cannot be a quoted string/],
    ['a quoted domain name in RDATA', `${HEAD}w CNAME "x"\n`, /^example\.com\.db:4: CNAME domain name cannot be a quoted string/],
    ['generic RDATA for a known type', `${HEAD}w A \\# 4 C0000201\n`, /^example\.com\.db:4: generic RDATA .* is not supported/],
    [
      'generic RDATA with a wrong length',
      `${HEAD}w TYPE999 \\# 3 C0000201\n`,
      /^example\.com\.db:4: TYPE999: generic RDATA says 3 bytes but has 4/,
    ],
    ['odd hexadecimal', `${HEAD}w DS 1 2 3 ABC\n`, /^example\.com\.db:4: DS: the data must be hexadecimal digits in pairs/],
    ['a bad CAA tag', `${HEAD}@ CAA 0 is-sue "x"\n`, /^example\.com\.db:4: CAA: tag “is-sue” must be 1–15 letters or digits/],
    ['a backslash at the end of the file', `${HEAD}t TXT abc\\`, /^example\.com\.db:4: a backslash ends the file/],
  ];

  test.each(cases)('when the file has %s, then ZONE_PARSE names the file and the line', (_what, text, message) => {
    const err = parseError(text);
    expect(err.code).toBe('ZONE_PARSE');
    expect(err.step).toBe('read');
    expect(err.message).toMatch(message);
  });

  test('when a file name is given, then errors use it', () => {
    expect(parseError(`${HEAD}t FOO x\n`, { fileName: '/var/named/example.com.db' }).message).toMatch(
      /^\/var\/named\/example\.com\.db:4: /,
    );
  });

  test('when the zone name is not a domain name, then BAD_INPUT says so', () => {
    expect(() => parseZoneFile(HEAD, 'not a zone')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => parseZoneFile(HEAD, '')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  test('when the text is neither a string nor a Buffer, then BAD_INPUT says so', () => {
    expect(() => parseZoneFile(42 as unknown as string, 'example.com')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
