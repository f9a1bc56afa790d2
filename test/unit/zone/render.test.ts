/** Writing one record line as cPanel does (docs/reference/cpanel-api.md §5.5, §6.3), and reading it back. */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { FixEmailAuthError } from '../../../src/errors';
import type { ZoneRecord } from '../../../src/zone/model';
import { renderRecordLine, type RenderableRecord } from '../../../src/zone/render';
import { corpus, corpusZone, linesOf } from './corpus';
import { seededRandom } from '../../../src/simulator/seededRandom';

const HEAD = (zone: string) =>
  `$TTL 300\n${zone}. IN SOA ns1.example.net. admin.example.net. 7 3600 1800 1209600 300\n${zone}. IN NS ns1.example.net.\n`;

/** Render a record, put it in a minimal zone and read it back. */
function roundTrip(record: RenderableRecord, zone: string): ZoneRecord {
  const read = parseZoneFile(`${HEAD(zone)}${renderRecordLine(record, zone)}\n`, zone);
  const back = read.records[2];
  if (!back || read.records.length !== 3) throw new Error('the rendered line did not read back as one record');
  return back;
}

describe('renderRecordLine', () => {
  test('when a lockdown TXT record is added, then the line is tab-separated with the string quoted', () => {
    expect(renderRecordLine({ dname: '_mailchannels', ttl: 14400, type: 'TXT', data: ['v=mc1 auth=webhostingm'] }, 'example.com')).toBe(
      '_mailchannels\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"',
    );
  });

  test('when the fixture’s one-line records are rendered from what the reader made of them, then each line is the fixture’s own', () => {
    const fixture = corpusZone('example.com');
    const lines = linesOf(fixture.text);
    const zone = parseZoneFile(fixture.text, 'example.com');
    for (const record of zone.records.filter((r) => r.type !== 'SOA')) {
      expect(renderRecordLine(record, 'example.com')).toBe(lines[record.lineIndex]);
    }
  });

  test('when dnames are relative or absolute, then they are written exactly as given', () => {
    expect(renderRecordLine({ dname: 'example.com', ttl: 1, type: 'A', data: ['192.0.2.1'] }, 'example.com')).toBe(
      'example.com\t1\tIN\tA\t192.0.2.1',
    );
    expect(renderRecordLine({ dname: 'example.com.', ttl: 1, type: 'a', data: ['192.0.2.1'] }, 'example.com')).toBe(
      'example.com.\t1\tIN\tA\t192.0.2.1',
    );
  });

  test('when TXT strings hold quotes, backslashes and non-printable bytes, then they are escaped (\\" \\\\ \\DDD)', () => {
    expect(renderRecordLine({ dname: 't', ttl: 60, type: 'TXT', data: ['say "hi" \\ ok', '\x00\xe9\x7f;', ''] }, 'example.com')).toBe(
      't\t60\tIN\tTXT\t"say \\"hi\\" \\\\ ok" "\\000\\233\\127;" ""',
    );
  });

  test('when CAA, HINFO and NAPTR carry strings, then those fields are quoted and the others bare', () => {
    expect(renderRecordLine({ dname: 'example.com.', ttl: 60, type: 'CAA', data: ['0', 'issue', 'letsencrypt.org'] }, 'example.com')).toBe(
      'example.com.\t60\tIN\tCAA\t0\tissue\t"letsencrypt.org"',
    );
    expect(renderRecordLine({ dname: 'h', ttl: 60, type: 'HINFO', data: ['INTEL-386', 'Linux'] }, 'example.com')).toBe(
      'h\t60\tIN\tHINFO\t"INTEL-386"\t"Linux"',
    );
  });

  const refused: Array<[string, RenderableRecord]> = [
    ['a dname with a space', { dname: 'a b', ttl: 1, type: 'A', data: ['192.0.2.1'] }],
    ['a dname with a comment', { dname: 'a;b', ttl: 1, type: 'A', data: ['192.0.2.1'] }],
    ['an empty dname', { dname: '', ttl: 1, type: 'A', data: ['192.0.2.1'] }],
    ['a dname that is a directive', { dname: '$INCLUDE', ttl: 1, type: 'A', data: ['/etc/passwd'] }],
    ['a dname with a line break', { dname: 'a\nb', ttl: 1, type: 'A', data: ['192.0.2.1'] }],
    ['a negative TTL', { dname: 'a', ttl: -1, type: 'A', data: ['192.0.2.1'] }],
    ['a fractional TTL', { dname: 'a', ttl: 1.5, type: 'A', data: ['192.0.2.1'] }],
    ['a TTL over 2^31-1', { dname: 'a', ttl: 2 ** 31, type: 'A', data: ['192.0.2.1'] }],
    ['a bare field with a space', { dname: 'a', ttl: 1, type: 'A', data: ['192.0.2.1 ; x'] }],
    ['a bare field with a parenthesis', { dname: 'a', ttl: 1, type: 'CNAME', data: ['(x'] }],
    ['an empty bare field', { dname: 'a', ttl: 1, type: 'CNAME', data: [''] }],
    ['a TXT string over 255 bytes', { dname: 'a', ttl: 1, type: 'TXT', data: ['x'.repeat(256)] }],
    ['a TXT record without strings', { dname: 'a', ttl: 1, type: 'TXT', data: [] }],
    ['too few MX fields', { dname: 'a', ttl: 1, type: 'MX', data: ['10'] }],
    ['too many A fields', { dname: 'a', ttl: 1, type: 'A', data: ['192.0.2.1', '192.0.2.2'] }],
    ['an unknown type', { dname: 'a', ttl: 1, type: 'FOO', data: ['x'] }],
    ['a generic type with bad data', { dname: 'a', ttl: 1, type: 'TYPE999', data: ['\\# 1 00 ; x'] }],
    ['a character above U+00FF', { dname: 'a', ttl: 1, type: 'TXT', data: ['€'] }],
    ['data that is not an array', { dname: 'a', ttl: 1, type: 'TXT', data: 'x' as unknown as string[] }],
  ];

  test.each(refused)('when a record has %s, then UNSAFE_VALUE refuses to write it', (_what, record) => {
    let error: unknown;
    try {
      renderRecordLine(record, 'example.com');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FixEmailAuthError);
    expect(error).toMatchObject({ code: 'UNSAFE_VALUE' });
    expect((error as Error).message).toMatch(/in the “example\.com” zone: /);
  });
});

describe('render → parse round trips', () => {
  const records = corpus().flatMap((c) =>
    parseZoneFile(c.text, c.zone)
      .records.filter((r) => r.type !== 'SOA')
      .map((r) => [c.zone, r.type, r.dname, r] as const),
  );

  test.each(records)('when a %s %s record (%s) is rendered and read back, then it is the same record', (zone, _type, _dname, record) => {
    expect(roundTrip(record, zone)).toEqual({ ...record, lineIndex: 3 });
  });

  test('when an SOA record is rendered on one line, then it reads back with the same fields', () => {
    const soa = parseZoneFile(corpusZone('example.com').text, 'example.com').records[0] as ZoneRecord;
    const line = renderRecordLine(soa, 'example.com');
    expect(line).toBe('example.com.\t86400\tIN\tSOA\tns1.example.net.\tadmin.example.net.\t2024030101\t3600\t1800\t1209600\t86400');
    expect(parseZoneFile(`${line}\nexample.com. NS ns1.example.net.\n`, 'example.com').records[0]).toEqual({ ...soa, lineIndex: 0 });
  });

  test('when TXT strings of random bytes (all 256 values) are rendered and read back, then every byte survives', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 300; i++) {
      const strings = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 256) }, () => String.fromCharCode(Math.floor(random() * 256))).join(''),
      );
      expect(roundTrip({ dname: 'r', ttl: 300, type: 'TXT', data: strings }, 'example.com').data).toEqual(strings);
    }
  });
});
