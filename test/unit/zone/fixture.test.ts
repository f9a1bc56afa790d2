/**
 * The reference fixture of docs/reference/cpanel-api.md §5.5: the zone file on disk and what parse_zone reports for
 * it. Expected values are copied from the reference's decoded table and JSON, not produced by our code.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { parseZonePayload } from '../../../src/zone/payloadReader';
import { toParseZonePayload } from '../../../src/zone/payloadWriter';
import { REFERENCE_TRIMMED_ITEMS } from '../../fixtures/reference/parseZone';

const fixture = readFileSync(join(__dirname, '../../fixtures/zones/example.com.db'));

/** The reference's decoded table: all 12 items of the full response. */
const referenceTable = {
  lines: [
    {
      kind: 'comment',
      lineIndex: 0,
      text: '; cPanel first:11.120.0.16 (update_time):1709280000 Cpanel::ZoneFile::VERSION:1.3 hostname:host.example.net latest:11.120.0.16',
    },
    { kind: 'comment', lineIndex: 1, text: '; Zone file for example.com' },
    { kind: 'control', lineIndex: 2, text: '$TTL 14400' },
  ],
  records: [
    {
      lineIndex: 3,
      dname: 'example.com.',
      ttl: 86400,
      type: 'SOA',
      data: ['ns1.example.net.', 'admin.example.net.', '2024030101', '3600', '1800', '1209600', '86400'],
    },
    { lineIndex: 11, dname: 'example.com.', ttl: 86400, type: 'NS', data: ['ns1.example.net.'] },
    { lineIndex: 12, dname: 'example.com.', ttl: 86400, type: 'NS', data: ['ns2.example.net.'] },
    { lineIndex: 14, dname: 'example.com.', ttl: 14400, type: 'A', data: ['192.0.2.10'] },
    { lineIndex: 15, dname: 'www', ttl: 14400, type: 'CNAME', data: ['example.com.'] },
    { lineIndex: 16, dname: 'example.com.', ttl: 14400, type: 'MX', data: ['0', 'example.com.'] },
    { lineIndex: 17, dname: 'example.com.', ttl: 14400, type: 'TXT', data: ['v=spf1 +a +mx +ip4:192.0.2.10 ~all'] },
    {
      lineIndex: 18,
      dname: 'default._domainkey',
      ttl: 14400,
      type: 'TXT',
      data: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'IDAQAB;'],
    },
    { lineIndex: 19, dname: '_dmarc', ttl: 14400, type: 'TXT', data: ['v=DMARC1; p=none;'] },
  ],
};

describe('the reference fixture (docs/reference/cpanel-api.md §5.5)', () => {
  test('when the fixture file is read, then it is the reference zone file byte for byte (tabs, final newline)', () => {
    const text = fixture.toString('latin1');
    expect(text.split('\n')).toHaveLength(21);
    expect(text.endsWith('_dmarc\t14400\tIN\tTXT\t"v=DMARC1; p=none;"\n')).toBe(true);
    expect(text.split('\n')[4]).toBe('\t\t\t\t\t\t2024030101 ;Serial Number');
  });

  test('when the file reader parses the fixture, then it gives the reference table, serial 2024030101 and absolute names', () => {
    const zone = parseZoneFile(fixture, 'example.com');
    expect(zone.name).toBe('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(zone.lines).toEqual(referenceTable.lines);
    expect(zone.records.map(({ name: _name, ...rest }) => rest)).toEqual(referenceTable.records);
    expect(zone.records.map((r) => r.name)).toEqual([
      'example.com.',
      'example.com.',
      'example.com.',
      'example.com.',
      'www.example.com.',
      'example.com.',
      'example.com.',
      'default._domainkey.example.com.',
      '_dmarc.example.com.',
    ]);
  });

  test('when the parsed fixture is turned into a parse_zone payload, then it holds the reference JSON items exactly, in line order', () => {
    const items = toParseZonePayload(parseZoneFile(fixture, 'example.com'));
    expect(items.map((i) => i.line_index)).toEqual([0, 1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 19]);
    const printed = new Set(REFERENCE_TRIMMED_ITEMS.map((i) => i.line_index));
    expect(items.filter((i) => printed.has(i.line_index))).toEqual(REFERENCE_TRIMMED_ITEMS);
    // Key order as in cPanel's JSON, so a byte comparison of the serialised response also holds.
    expect(JSON.stringify(items.find((i) => i.line_index === 19))).toBe(
      JSON.stringify(REFERENCE_TRIMMED_ITEMS[REFERENCE_TRIMMED_ITEMS.length - 1]),
    );
  });

  test('when the reference JSON items are read by the payload reader, then they decode to the reference table rows they carry', () => {
    const zone = parseZonePayload(REFERENCE_TRIMMED_ITEMS, 'example.com');
    expect(zone.serial).toBe('2024030101');
    const rows = referenceTable.records.filter((r) => REFERENCE_TRIMMED_ITEMS.some((i) => i.line_index === r.lineIndex));
    expect(zone.records.map(({ name: _name, ...rest }) => rest)).toEqual(rows);
    expect(zone.lines).toEqual(referenceTable.lines.filter((l) => l.lineIndex !== 1));
  });

  test('when the fixture goes file → payload → payload reader, then the zone is identical to the file reader’s', () => {
    const fromFile = parseZoneFile(fixture, 'example.com');
    expect(parseZonePayload(toParseZonePayload(fromFile), 'example.com')).toEqual(fromFile);
  });
});
