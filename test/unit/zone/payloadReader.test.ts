/** parse_zone / parse_dns_zone items (docs/reference/cpanel-api.md §5.2–5.3): shape checks, byte decoding and encoding. */
import { parseZonePayload } from '../../../src/zone/payloadReader';
import { toParseZonePayload } from '../../../src/zone/payloadWriter';
import { FixEmailAuthError } from '../../../src/errors';

const b64 = (binary: string) => Buffer.from(binary, 'latin1').toString('base64');

const soa = {
  line_index: 3,
  type: 'record',
  dname_b64: b64('example.com.'),
  ttl: 86400,
  record_type: 'SOA',
  data_b64: ['ns1.example.net.', 'admin.example.net.', '2024030101', '3600', '1800', '1209600', '86400'].map(b64),
};
const ns = {
  line_index: 11,
  type: 'record',
  dname_b64: b64('example.com.'),
  ttl: 86400,
  record_type: 'NS',
  data_b64: [b64('ns1.example.net.')],
};

function errorOf(items: unknown, zone = 'example.com'): FixEmailAuthError {
  try {
    parseZonePayload(items, zone);
  } catch (err) {
    if (err instanceof FixEmailAuthError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('parseZonePayload', () => {
  test('when the items are in any order, then records and lines come out sorted by line_index with the serial', () => {
    const zone = parseZonePayload([ns, { line_index: 0, type: 'comment', text_b64: b64('; hi') }, soa], 'example.com.');
    expect(zone.name).toBe('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(zone.records.map((r) => r.lineIndex)).toEqual([3, 11]);
    expect(zone.lines).toEqual([{ kind: 'comment', lineIndex: 0, text: '; hi' }]);
  });

  test('when dnames are relative, absolute at the apex or outside, then name is the absolute lower-case owner', () => {
    const items = [
      soa,
      ns,
      ...['www', 'Mail.Example.COM.', '_mailchannels.example.com', 'other.example.'].map((dname, i) => ({
        line_index: 20 + i,
        type: 'record',
        dname_b64: b64(dname),
        ttl: 300,
        record_type: 'txt',
        data_b64: [b64('x')],
      })),
    ];
    const zone = parseZonePayload(items, 'example.com');
    expect(zone.records.slice(2).map((r) => [r.dname, r.name, r.type])).toEqual([
      ['www', 'www.example.com.', 'TXT'],
      ['Mail.Example.COM.', 'mail.example.com.', 'TXT'],
      ['_mailchannels.example.com', '_mailchannels.example.com.example.com.', 'TXT'],
      ['other.example.', 'other.example.', 'TXT'],
    ]);
  });

  test('when base64 holds bytes that are not UTF-8, then they are decoded to the same bytes', () => {
    const txt = {
      line_index: 30,
      type: 'record',
      dname_b64: b64('t'),
      ttl: 300,
      record_type: 'TXT',
      data_b64: [Buffer.from([0xff, 0x00, 0xe9]).toString('base64'), ''],
    };
    const zone = parseZonePayload([soa, ns, txt], 'example.com');
    expect(zone.records[2]?.data).toEqual(['\xff\x00\xe9', '']);
  });

  test('when extra keys are present, then they are ignored', () => {
    expect(parseZonePayload([{ ...soa, future_field: 1 }, ns], 'example.com').records).toHaveLength(2);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an array', { data: [] }, /the payload: .*expected an array/],
    ['an HTML page', '<html>login</html>', /the payload: /],
    ['an unknown item type', [soa, { line_index: 1, type: 'blob' }], /item 1\.type: /],
    ['a negative line_index', [{ ...soa, line_index: -1 }], /item 0\.line_index: /],
    ['a fractional TTL', [{ ...soa, ttl: 1.5 }], /item 0\.ttl: /],
    ['data that is not an array', [{ ...soa, data_b64: 'abc' }], /item 0\.data_b64: /],
    ['a record type with spaces', [{ ...soa, record_type: 'S OA' }], /item 0\.record_type: /],
    ['a missing text_b64', [soa, { line_index: 0, type: 'comment' }], /item 1\.text_b64: /],
    [
      'base64 with bad characters',
      [soa, { line_index: 0, type: 'comment', text_b64: 'a*==' }],
      /item 1 text_b64 is not standard padded base64/,
    ],
    ['unpadded base64', [soa, { line_index: 0, type: 'comment', text_b64: 'YQ' }], /item 1 text_b64 is not standard padded base64/],
    ['two items on one line', [soa, { ...ns, line_index: 3 }], /two items at line_index 3/],
    ['no SOA', [ns], /no SOA record/],
    ['two SOA records', [soa, { ...soa, line_index: 4 }], /2 SOA records/],
    [
      'an SOA without a numeric serial',
      [{ ...soa, data_b64: [b64('a.'), b64('b.'), b64('soon')] }],
      /the SOA serial \(data\[2\]\) is “soon”, not a number/,
    ],
    ['an empty dname', [soa, { ...ns, dname_b64: '' }], /item 1 has an empty dname/],
    ['a dname with an empty label', [soa, { ...ns, dname_b64: b64('a..b') }], /item 1 \(line_index 11\): bad name “a\.\.b”: empty label/],
  ];

  test.each(bad)('when the payload has %s, then ZONE_PARSE explains it', (_what, items, message) => {
    const err = errorOf(items);
    expect(err.code).toBe('ZONE_PARSE');
    expect(err.message).toMatch(/^parse_zone payload for “example\.com”: /);
    expect(err.message).toMatch(message);
    expect(err.upstream).toBe(items);
  });

  test('when the zone name is not a domain, then BAD_INPUT', () => {
    expect(() => parseZonePayload([soa, ns], 'bad zone')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('toParseZonePayload', () => {
  test('when a zone holds byte strings, then base64 carries the same bytes; decoded text above U+00FF goes as UTF-8', () => {
    const zone = {
      name: 'example.com',
      serial: '1',
      lines: [],
      records: [
        { lineIndex: 5, dname: 't', name: 't.example.com.', ttl: 1, type: 'TXT', data: ['\xff\xe9', 'ü€'] },
        { lineIndex: 2, dname: 'example.com.', name: 'example.com.', ttl: 1, type: 'SOA', data: ['a.', 'b.', '1', '1', '1', '1', '1'] },
      ],
    };
    const items = toParseZonePayload(zone);
    expect(items.map((i) => i.line_index)).toEqual([2, 5]);
    const txt = items[1] as { data_b64: string[] };
    expect(Buffer.from(txt.data_b64[0] as string, 'base64')).toEqual(Buffer.from([0xff, 0xe9]));
    expect(Buffer.from(txt.data_b64[1] as string, 'base64').toString('utf8')).toBe('ü€');
  });
});
