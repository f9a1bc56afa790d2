/**
 * The record bookkeeping the journal and undo stand on (src/usecases/repair/records.ts): which
 * records a plan takes out and puts in, where a put-in record is in the zone now, and whether a change
 * is in the zone. A wrong answer here makes undo put back the wrong records or reconciliation count a
 * write that never landed, so each rule is pinned by a zone where only that rule decides.
 */
import type { AddedRecord } from '../../../src/ports/journal';
import { locateAdded, planLanded, recordsPutIn, recordsTakenOut, sameRecord } from '../../../src/usecases/repair/records';
import { parseZoneFile } from '../../../src/zone/bindReader';
import type { Zone } from '../../../src/zone/model';

const HEAD = [
  '$TTL 14400',
  'example.com.\t86400\tIN\tSOA\tns1.example.net. admin.example.com. 2024030101 3600 1800 1209600 86400',
  'example.com.\t86400\tIN\tNS\tns1.example.net.',
];

function zoneOf(lines: string[]): Zone {
  return parseZoneFile(`${[...HEAD, ...lines].join('\n')}\n`, 'example.com');
}
const lineOf = (zone: Zone, value: string) => zone.records.find((r) => r.data.join('') === value)!.lineIndex;

const txt = (value: string, lineIndex?: number): AddedRecord => ({
  dname: '_mailchannels',
  ttl: 300,
  record_type: 'TXT',
  data: [value],
  ...(lineIndex !== undefined ? { lineIndex } : {}),
});

describe('sameRecord', () => {
  const a = { name: '_mailchannels.example.com.', type: 'TXT', data: ['v=mc1 ', 'auth=x'] };
  it('when owner, type (in any case) and every string match, then the records are the same', () => {
    expect(sameRecord(a, { ...a, type: 'txt', data: ['v=mc1 ', 'auth=x'] })).toBe(true);
  });
  it.each<[string, typeof a]>([
    ['another owner', { ...a, name: 'other.example.com.' }],
    ['another type', { ...a, type: 'SPF' }],
    ['one string differs', { ...a, data: ['v=mc1 ', 'auth=y'] }],
    ['the first string differs', { ...a, data: ['v=mc1', 'auth=x'] }],
    ['a string more', { ...a, data: ['v=mc1 ', 'auth=x', ''] }],
  ])('when they differ by %s, then they are not the same (either way round)', (_what, b) => {
    expect(sameRecord(a, b)).toBe(false);
    expect(sameRecord(b, a)).toBe(false);
  });
});

describe('what a plan takes out and puts in', () => {
  const zone = zoneOf(['_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=old"', 'www\t3600\tIN\tA\t192.0.2.1']);
  it('when a plan edits one line, removes another and adds a record, then all three are recorded', () => {
    const edited = lineOf(zone, 'v=mc1 auth=old');
    const removed = lineOf(zone, '192.0.2.1');
    const plan = {
      zone: 'example.com',
      serial: zone.serial,
      remove: [removed],
      edit: [{ line_index: edited, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=new'] }],
      add: [{ dname: 'extra', ttl: 60, record_type: 'TXT', data: ['hello'] }],
    };
    expect(recordsTakenOut(zone, plan).map((r) => r.lineIndex)).toEqual([removed, edited]);
    expect(recordsPutIn(plan)).toEqual([
      { dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=new'], lineIndex: edited },
      { dname: 'extra', ttl: 60, record_type: 'TXT', data: ['hello'] },
    ]);
  });
  it('when a plan names a line that holds no record, then it is refused as a conflict naming the line', () => {
    const plan = { zone: 'example.com', serial: zone.serial, remove: [999], edit: [], add: [] };
    expect(() => recordsTakenOut(zone, plan)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('line 999') }),
    );
  });
});

describe('where put-in records are now', () => {
  const zone = zoneOf([
    '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=a"',
    'www\t3600\tIN\tA\t192.0.2.1',
    '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=a"',
  ]);
  const [first, second] = zone.records.filter((r) => r.data.join('') === 'v=mc1 auth=a').map((r) => r.lineIndex);

  it('when the record is still at the line it was written to, then that line is found, not an identical one above it', () => {
    expect(locateAdded(zone, [txt('v=mc1 auth=a', second)]).map((r) => r?.lineIndex)).toEqual([second]);
  });
  it('when two identical records were put in, then each is found on its own line', () => {
    expect(locateAdded(zone, [txt('v=mc1 auth=a'), txt('v=mc1 auth=a')]).map((r) => r?.lineIndex)).toEqual([first, second]);
  });
  it('when the line it was written to now holds something else, then the identical record elsewhere is found', () => {
    const www = zone.records.find((r) => r.type === 'A')!.lineIndex;
    expect(locateAdded(zone, [txt('v=mc1 auth=a', www)]).map((r) => r?.lineIndex)).toEqual([first]);
  });
  it('when no record holds it, then it is not found', () => {
    expect(locateAdded(zone, [txt('v=mc1 auth=b'), txt('v=mc1 auth=a')]).map((r) => r?.lineIndex)).toEqual([undefined, first]);
  });
});

describe('whether a change is in the zone', () => {
  const before = zoneOf(['_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=old"', 'www\t3600\tIN\tA\t192.0.2.1']);
  const line = lineOf(before, 'v=mc1 auth=old');
  const removed = before.records.filter((r) => r.lineIndex === line);

  it('when the put-in record replaced the taken-out one, then it landed', () => {
    const after = zoneOf(['_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=new"', 'www\t3600\tIN\tA\t192.0.2.1']);
    expect(planLanded(after, removed, [txt('v=mc1 auth=new', line)])).toBe(true);
  });
  it('when the taken-out record is still on its line, then it did not land, even if the put-in record is there too', () => {
    const both = zoneOf(['_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=old"', '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=new"']);
    expect(planLanded(both, removed, [txt('v=mc1 auth=new')])).toBe(false);
  });
  it('when a put-in record is missing, then it did not land', () => {
    const gone = zoneOf(['www\t3600\tIN\tA\t192.0.2.1']);
    expect(planLanded(gone, removed, [txt('v=mc1 auth=new')])).toBe(false);
    expect(planLanded(before, [], [txt('v=mc1 auth=new'), txt('v=mc1 auth=old')])).toBe(false);
  });
  it('when the edit wrote the same value back on the same line, then it landed (the put-in record is not a survivor)', () => {
    expect(planLanded(before, removed, [txt('v=mc1 auth=old', line)])).toBe(true);
  });
  it('when the taken-out value is now on another line (someone put it back elsewhere), then it still landed', () => {
    const moved = zoneOf([
      '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=new"',
      'www\t3600\tIN\tA\t192.0.2.1',
      '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=old"',
    ]);
    expect(planLanded(moved, removed, [txt('v=mc1 auth=new', line)])).toBe(true);
  });
  it('when another record now sits on the taken-out line, then it still landed', () => {
    const other = zoneOf(['other\t3600\tIN\tTXT\t"unrelated"', '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=new"']);
    expect(planLanded(other, removed, [txt('v=mc1 auth=new')])).toBe(true);
  });
});
