/**
 * mass_edit_zone's line editing (docs/reference/cpanel-api.md §6.3–6.5): line preservation, adds at the end, the
 * serial bump, and cPanel's exact refusal texts.
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { FixEmailAuthError } from '../../../src/errors';
import { applyMassEdit, LineEditError, type MassEditChange } from '../../../src/zone/lineEdit';
import type { MassEditAdd } from '../../../src/zone/model';
import { corpusZone, linesOf } from './corpus';

const fixture = corpusZone('example.com').text;
const NOW = new Date('2026-11-28T12:00:00Z');
const noChange: MassEditChange = { add: [], edit: [], remove: [] };
const lockdown: MassEditAdd = { dname: '_mailchannels', ttl: 14400, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] };

function refusal(text: string, change: Partial<MassEditChange>, zone = 'example.com'): LineEditError {
  try {
    applyMassEdit(text, zone, { ...noChange, ...change }, { now: NOW });
  } catch (err) {
    if (err instanceof LineEditError) return err;
    throw err;
  }
  throw new Error('expected a LineEditError');
}

describe('applyMassEdit: the worked example of §6.3', () => {
  const result = applyMassEdit(
    fixture,
    'example.com',
    {
      edit: [{ line_index: 19, dname: '_dmarc', ttl: 14400, record_type: 'TXT', data: ['v=DMARC1; p=quarantine;'] }],
      add: [lockdown],
      remove: [],
    },
    { now: NOW },
  );
  const before = linesOf(fixture);
  const after = linesOf(result.text);

  test('when DMARC is edited and a lockdown record added on 2026-11-28, then the new serial is 2026112800', () => {
    expect(result.newSerial).toBe('2026112800');
    expect(parseZoneFile(result.text, 'example.com').serial).toBe('2026112800');
  });

  test('then lines 0–18 are unchanged except the serial, written in place with its comment', () => {
    expect(after[4]).toBe('\t\t\t\t\t\t2026112800 ;Serial Number');
    for (let i = 0; i < 19; i++) if (i !== 4) expect(after[i]).toBe(before[i]);
  });

  test('then line 19 holds the edited record and the new TXT is appended as line 20', () => {
    expect(after[19]).toBe('_dmarc\t14400\tIN\tTXT\t"v=DMARC1; p=quarantine;"');
    expect(after[20]).toBe('_mailchannels\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"');
    expect(after).toHaveLength(21);
    expect(result.text.endsWith('\n')).toBe(true);
  });

  test('then every record keeps its line_index and the new one is at 20', () => {
    const zone = parseZoneFile(result.text, 'example.com');
    expect(zone.records.map((r) => r.lineIndex)).toEqual([3, 11, 12, 14, 15, 16, 17, 18, 19, 20]);
    expect(zone.records[9]).toMatchObject({ dname: '_mailchannels', name: '_mailchannels.example.com.', data: ['v=mc1 auth=webhostingm'] });
  });
});

describe('applyMassEdit: line preservation', () => {
  test('when a record is removed, then its line is blank and the others keep their indexes', () => {
    const result = applyMassEdit(fixture, 'example.com', { ...noChange, remove: [17] }, { now: NOW });
    expect(linesOf(result.text)[17]).toBe('');
    expect(parseZoneFile(result.text, 'example.com').records.map((r) => r.lineIndex)).toEqual([3, 11, 12, 14, 15, 16, 18, 19]);
  });

  test('when a three-line record is edited, then it becomes one line and two blank lines', () => {
    const dkim = corpusZone('dkim.example').text;
    const edit = { line_index: 16, dname: 'google._domainkey', ttl: 300, record_type: 'TXT', data: ['v=DKIM1; p='] };
    const result = applyMassEdit(dkim, 'dkim.example', { ...noChange, edit: [edit] }, { now: NOW });
    const lines = linesOf(result.text);
    expect(lines.slice(16, 19)).toEqual(['google._domainkey\t300\tIN\tTXT\t"v=DKIM1; p="', '', '']);
    expect(lines.slice(19)).toEqual(linesOf(dkim).slice(19));
    expect(parseZoneFile(result.text, 'dkim.example').records.map((r) => r.lineIndex)).toEqual([3, 11, 12, 14, 15, 16, 19, 20, 21]);
  });

  test('when a three-line record is removed, then its three lines are blank', () => {
    const dkim = corpusZone('dkim.example').text;
    const result = applyMassEdit(dkim, 'dkim.example', { ...noChange, remove: [16] }, { now: NOW });
    expect(linesOf(result.text).slice(16, 19)).toEqual(['', '', '']);
  });

  test('when the SOA is edited with the old serial, then it is one line with the new serial plus blank padding over its seven lines', () => {
    const edit = {
      line_index: 3,
      dname: 'example.com.',
      ttl: 86400,
      record_type: 'SOA',
      data: ['ns1.example.net.', 'admin.example.net.', '2024030101', '7200', '1800', '1209600', '300'],
    };
    const result = applyMassEdit(fixture, 'example.com', { ...noChange, edit: [edit] }, { now: NOW });
    const lines = linesOf(result.text);
    expect(lines[3]).toBe('example.com.\t86400\tIN\tSOA\tns1.example.net.\tadmin.example.net.\t2026112800\t7200\t1800\t1209600\t300');
    expect(lines.slice(4, 10)).toEqual(['', '', '', '', '', '']);
    expect(parseZoneFile(result.text, 'example.com').records[0]?.data).toEqual([
      'ns1.example.net.',
      'admin.example.net.',
      '2026112800',
      '7200',
      '1800',
      '1209600',
      '300',
    ]);
  });

  test('when the file has no final line break, then adds still start on a new line', () => {
    const result = applyMassEdit(fixture.slice(0, -1), 'example.com', { ...noChange, add: [lockdown] }, { now: NOW });
    expect(linesOf(result.text)[20]).toBe('_mailchannels\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"');
  });

  test('when the file ends with blank lines, then adds go after them, at the old line count', () => {
    const result = applyMassEdit(
      `${fixture}\n\n`,
      'example.com',
      { ...noChange, add: [lockdown, { ...lockdown, dname: '_mailchannels.shop' }] },
      { now: NOW },
    );
    expect(
      parseZoneFile(result.text, 'example.com')
        .records.slice(-2)
        .map((r) => [r.lineIndex, r.dname]),
    ).toEqual([
      [22, '_mailchannels'],
      [23, '_mailchannels.shop'],
    ]);
  });

  test('when edits are chained with the returned serial, then indexes stay valid without re-reading', () => {
    const first = applyMassEdit(fixture, 'example.com', { ...noChange, add: [lockdown] }, { now: NOW });
    const second = applyMassEdit(
      first.text,
      'example.com',
      { ...noChange, remove: [20], add: [{ ...lockdown, data: ['v=mc1 auth=other'] }] },
      { now: NOW },
    );
    expect(first.newSerial).toBe('2026112800');
    expect(second.newSerial).toBe('2026112801');
    const zone = parseZoneFile(second.text, 'example.com');
    expect(zone.records.slice(-1)[0]).toMatchObject({ lineIndex: 21, data: ['v=mc1 auth=other'] });
    expect(linesOf(second.text)[20]).toBe('');
  });

  test('when the zone is a CRLF file, then untouched lines keep their CR and the serial is bumped in place', () => {
    const migrated = corpusZone('migrated.example').text;
    const result = applyMassEdit(migrated, 'migrated.example', { ...noChange, remove: [10] }, { now: NOW });
    const lines = linesOf(result.text);
    expect(lines[2]).toBe('@ 3600 in soa ns1.oldhost.example. dns.oldhost.example. ( 2026112800 7200 3600 1209600 300 )\r');
    expect(lines[10]).toBe('');
    expect(lines[9]).toBe(linesOf(migrated)[9]);
  });
});

describe('applyMassEdit: serial bump', () => {
  const withSerial = (serial: string) => fixture.replace('2024030101', serial);

  test('when the old serial is already today’s or later, then the new one is old + 1', () => {
    expect(applyMassEdit(withSerial('2026112805'), 'example.com', { ...noChange, add: [lockdown] }, { now: NOW }).newSerial).toBe(
      '2026112806',
    );
    expect(applyMassEdit(withSerial('2026112800'), 'example.com', { ...noChange, add: [lockdown] }, { now: NOW }).newSerial).toBe(
      '2026112801',
    );
    expect(applyMassEdit(withSerial('3000010100'), 'example.com', { ...noChange, add: [lockdown] }, { now: NOW }).newSerial).toBe(
      '3000010101',
    );
  });

  test('when a time zone is given, then “today” is that zone’s date', () => {
    const lateUtc = new Date('2026-11-28T23:30:00Z');
    expect(applyMassEdit(fixture, 'example.com', { ...noChange, add: [lockdown] }, { now: lateUtc }).newSerial).toBe('2026112800');
    expect(
      applyMassEdit(fixture, 'example.com', { ...noChange, add: [lockdown] }, { now: lateUtc, timeZone: 'Pacific/Auckland' }).newSerial,
    ).toBe('2026112900');
  });

  test('when the time zone is unknown, then BAD_INPUT says so', () => {
    expect(() => applyMassEdit(fixture, 'example.com', { ...noChange, add: [lockdown] }, { now: NOW, timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  test('when the serial is the largest 32-bit value, then the edit is refused as an invalid zone', () => {
    expect(refusal(withSerial('4294967295'), { add: [lockdown] })).toMatchObject({ cpanelType: 'InvalidZoneFile' });
  });
});

describe('applyMassEdit: cPanel’s refusals', () => {
  test.each([10, 4, 0, 2, 999, -1])('when line %i holds no record, then cPanel’s exact text', (line) => {
    const err = refusal(fixture, { remove: [line] });
    expect(err.message).toBe(`No record exists at line ${line} in the “example.com” DNS zone.`);
    expect(err.cpanelType).toBeUndefined();
  });

  test('when an edit names a line without a record, then the same text', () => {
    expect(refusal(fixture, { edit: [{ line_index: 13, dname: 'x', ttl: 1, record_type: 'A', data: ['192.0.2.1'] }] }).message).toBe(
      'No record exists at line 13 in the “example.com” DNS zone.',
    );
  });

  test('when a line is edited and removed, or removed twice, then the multiple-edits text', () => {
    const edit = { line_index: 19, dname: '_dmarc', ttl: 1, record_type: 'TXT', data: ['x'] };
    expect(refusal(fixture, { edit: [edit], remove: [19] }).message).toBe(
      'You submitted multiple edits for line index 19. This interface forbids multiple edits per line.',
    );
    expect(refusal(fixture, { remove: [17, 17] }).message).toBe(
      'You submitted multiple edits for line index 17. This interface forbids multiple edits per line.',
    );
    expect(refusal(fixture, { edit: [edit, edit] }).message).toBe(
      'You submitted multiple edits for line index 19. This interface forbids multiple edits per line.',
    );
  });

  test('when the SOA edit changes the serial, then cPanel’s text with its typo and U+2019', () => {
    const edit = {
      line_index: 3,
      dname: 'example.com.',
      ttl: 86400,
      record_type: 'SOA',
      data: ['ns1.example.net.', 'admin.example.net.', '2024030102', '3600', '1800', '1209600', '86400'],
    };
    const err = refusal(fixture, { edit: [edit] });
    expect(err.message).toBe(
      'This system forbids direct updates to the SOA record\u2019s serial number. Provide the old serial number (2024030101) instead, and the system will upate the serial number for you.',
    );
  });

  test('when the SOA is removed, edited into another type or renamed, then it is refused with cPanel 11.120 texts', () => {
    expect(refusal(fixture, { remove: [3] }).message).toBe('Every DNS zone must contain an SOA record.');
    expect(refusal(fixture, { edit: [{ line_index: 3, dname: 'example.com.', ttl: 1, record_type: 'TXT', data: ['x'] }] }).message).toBe(
      'The SOA record\u2019s type cannot change.',
    );
    const renamed = {
      line_index: 3,
      dname: 'www.example.com.',
      ttl: 86400,
      record_type: 'SOA',
      data: ['ns1.example.net.', 'admin.example.net.', '2024030101', '3600', '1800', '1209600', '86400'],
    };
    expect(refusal(fixture, { edit: [renamed] }).message).toBe('The SOA record\u2019s name cannot change.');
  });

  test('when a second SOA is added or made by an edit, then it is refused', () => {
    const soa = { dname: 'example.com.', ttl: 1, record_type: 'soa', data: ['a.', 'b.', '2024030101', '1', '1', '1', '1'] };
    expect(refusal(fixture, { add: [soa] }).message).toBe('Only one SOA record can exist in a given DNS zone.');
    expect(refusal(fixture, { edit: [{ ...soa, line_index: 17 }] }).message).toBe('Only one SOA record can exist in a given DNS zone.');
  });

  test('when every NS line would be removed, then cPanel’s InvalidParameter text; removing one of two is fine', () => {
    const err = refusal(fixture, { remove: [11, 12] });
    expect(err.message).toBe('Every DNS zone must contain at least one \u201cNS\u201d record.');
    expect(err.cpanelType).toBeUndefined();
    expect(err.code).toBe('BAD_INPUT');
    expect(() => applyMassEdit(fixture, 'example.com', { ...noChange, remove: [11] }, { now: NOW })).not.toThrow();
  });

  test('when every apex NS is edited into another type, then the zone check refuses it as InvalidZoneFile', () => {
    // cPanel counts NS lines by their type before the edit, so only its later zone check catches this.
    const err = refusal(fixture, {
      edit: [11, 12].map((line_index) => ({ line_index, dname: 'example.com.', ttl: 1, record_type: 'A', data: ['192.0.2.1'] })),
    });
    expect(err.cpanelType).toBe('InvalidZoneFile');
    expect(err.message).toBe('The “example.com” DNS zone must keep at least one NS record at its apex.');
  });

  test('when an added value cannot be written, then InvalidZoneFile and nothing is returned', () => {
    const err = refusal(fixture, { add: [{ dname: 'x', ttl: 1, record_type: 'A', data: ['192.0.2.1 ; evil'] }] });
    expect(err.cpanelType).toBe('InvalidZoneFile');
    expect(err.message).toMatch(/^The “example\.com” DNS zone would not be valid after this change: Cannot write a A record/);
  });

  test('when the built zone would not parse, then InvalidZoneFile carries the reader’s reason', () => {
    const err = refusal(fixture, { add: [{ dname: 'x', ttl: 1, record_type: 'A', data: ['999.0.2.1'] }] });
    expect(err.cpanelType).toBe('InvalidZoneFile');
    expect(err.message).toBe(
      'The “example.com” DNS zone would not be valid after this change: example.com.db:21: A: “999.0.2.1” is not an IPv4 address',
    );
  });

  test('when refused, then the error is a FixEmailAuthError at the apply step', () => {
    const err = refusal(fixture, { remove: [10] });
    expect(err).toBeInstanceOf(FixEmailAuthError);
    expect(err.name).toBe('LineEditError');
    expect(err.step).toBe('apply');
    expect(err.code).toBe('BAD_INPUT');
  });

  test('when the current file does not parse, then ZONE_PARSE (not a cPanel refusal)', () => {
    expect(() => applyMassEdit('garbage "\n', 'example.com', { ...noChange, add: [lockdown] }, { now: NOW })).toThrow(
      expect.objectContaining({ code: 'ZONE_PARSE' }),
    );
  });

  test('when the text is decoded text rather than bytes, then BAD_INPUT', () => {
    expect(() => applyMassEdit(`${fixture}; €\n`, 'example.com', { ...noChange, add: [lockdown] }, { now: NOW })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });
});

describe('applyMassEdit: zones written by hand ($ORIGIN, blank owners, no $TTL)', () => {
  const origins = corpusZone('origins.example').text;
  const migrated = corpusZone('migrated.example').text;

  test('when a record under another $ORIGIN is edited, then its names are written absolute so they stay relative to the zone', () => {
    const edit = { line_index: 12, dname: 'www.sub', ttl: 600, record_type: 'MX', data: ['5', 'mx1'] };
    const result = applyMassEdit(origins, 'origins.example', { ...noChange, edit: [edit] }, { now: NOW });
    expect(linesOf(result.text)[12]).toBe('www.sub.origins.example.\t600\tIN\tMX\t5\tmx1.origins.example.');
    expect(parseZoneFile(result.text, 'origins.example').records.find((r) => r.lineIndex === 12)).toMatchObject({
      dname: 'www.sub',
      data: ['5', 'mx1.origins.example.'],
    });
  });

  test('when a record is edited and the next line borrowed its owner, then that record is written out with its own owner', () => {
    const edit = { line_index: 12, dname: 'other', ttl: 600, record_type: 'A', data: ['198.51.100.99'] };
    const result = applyMassEdit(origins, 'origins.example', { ...noChange, edit: [edit] }, { now: NOW });
    const lines = linesOf(result.text);
    expect(lines[13]).toBe('www.sub.origins.example.\t3600\tIN\tTXT\t"blank owner keeps www.sub"');
    const zone = parseZoneFile(result.text, 'origins.example');
    expect(zone.records.find((r) => r.lineIndex === 13)).toEqual(
      parseZoneFile(origins, 'origins.example').records.find((r) => r.lineIndex === 13),
    );
    expect(lines[14]).toBe(linesOf(origins)[14]);
  });

  test('when the owner of a blank-owner record is removed, then the record keeps its owner', () => {
    const result = applyMassEdit(origins, 'origins.example', { ...noChange, remove: [7] }, { now: NOW });
    expect(linesOf(result.text).slice(7, 9)).toEqual(['', 'ns1\t3600\tIN\tAAAA\t2001:db8::8']);
  });

  test('when a record is removed but the next one would read the same anyway, then its bytes are kept', () => {
    const result = applyMassEdit(migrated, 'migrated.example', { ...noChange, remove: [3] }, { now: NOW });
    expect(linesOf(result.text)[4]).toBe('  in ns ns2.oldhost.example.\r');
  });

  test('when the TTL a later record borrowed changes, then that record is written with its own TTL', () => {
    const edit = { line_index: 8, dname: 'mail', ttl: 300, record_type: 'A', data: ['192.0.2.45'] };
    const result = applyMassEdit(migrated, 'migrated.example', { ...noChange, edit: [edit] }, { now: NOW });
    const zone = parseZoneFile(result.text, 'migrated.example');
    expect([8, 9, 10].map((line) => zone.records.find((r) => r.lineIndex === line)?.ttl)).toEqual([300, 600, 600]);
    expect(linesOf(result.text)[9]).toBe('migrated.example.\t600\tIN\tTXT\t"v=spf1 include:_spf.oldhost.example ~all"');
    // The next one borrowed the same TTL from line 9, which is restored: its bytes are kept.
    expect(linesOf(result.text)[10]).toBe(linesOf(migrated)[10]);
  });

  test('when the file ends under another $ORIGIN, then an add is written absolute', () => {
    const text = `${fixture}$ORIGIN sub.example.com.\n`;
    const result = applyMassEdit(text, 'example.com', { ...noChange, add: [lockdown] }, { now: NOW });
    expect(linesOf(result.text)[21]).toBe('_mailchannels.example.com.\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"');
    expect(parseZoneFile(result.text, 'example.com').records.slice(-1)[0]).toMatchObject({ lineIndex: 21, dname: '_mailchannels' });
  });
});
