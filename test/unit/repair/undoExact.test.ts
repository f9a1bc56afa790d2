/**
 * Undo's promise on zones with several lockdown records (duplicates, a right one beside a stale one,
 * misplaced copies): after repair + undo the zone holds exactly the records it held before, each
 * byte for byte (owner, TTL, type, strings), as many times as before; only the serial differs.
 */
import { repairDomain, rollbackChange } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { ACTOR, FAST_VERIFY, INCIDENT_ZONE, makeHarness } from './harness';

const STALE_LINE = '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"';

/** The zone with its one lockdown line replaced by `lines`. */
function zoneWith(lines: string[]): string {
  return INCIDENT_ZONE.replace(`${STALE_LINE}\n`, lines.map((l) => `${l}\n`).join(''));
}

/** Every record but the SOA, as owner/TTL/type/strings, sorted: the zone's contents as a bag. */
function recordBag(text: string): string[] {
  return parseZoneFile(text, 'example.com')
    .records.filter((r) => r.type !== 'SOA')
    .map((r) => `${r.name} ${r.ttl} ${r.type} ${JSON.stringify(r.data)}`)
    .sort();
}

describe('undo of a repair on a zone with several lockdown records', () => {
  it.each<[string, string[]]>([
    ['a stale and a right record (the demo’s tworecords.example)', [STALE_LINE, '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=webhostingm"']],
    ['two identical stale records', [STALE_LINE, STALE_LINE]],
    [
      'two identical right records',
      ['_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=webhostingm"', '_mailchannels\t14400\tIN\tTXT\t"v=mc1 auth=webhostingm"'],
    ],
    [
      'three records, two of them alike, the right one last',
      [STALE_LINE, STALE_LINE, '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"'],
    ],
    [
      'a right record and its copy typed without the final dot (misplaced)',
      ['_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"', '_mailchannels.example.com.example.com.\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"'],
    ],
  ])('when the zone holds %s, then after repair and undo it holds exactly the records it held before', async (_what, lines) => {
    const before = zoneWith(lines);
    const h = makeHarness({ zoneText: before });
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(repaired.status).toBe('verified');
    expect(recordBag(h.cpanel.text('example.com'))).not.toEqual(recordBag(before));

    const undone = await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(undone.status).toBe('verified');
    expect(recordBag(h.cpanel.text('example.com'))).toEqual(recordBag(before));
    // The undo was one write; the repair's journal row is closed as rolled back.
    expect(h.cpanel.writes).toHaveLength(2);
    expect(h.store.getChange(repaired.changeId!)!.status).toBe('rolled_back');
  });

  it('when one taken-out record was put back by hand since, then undo adds only the missing copy (no duplicate, nothing lost)', async () => {
    const misplaced = '_mailchannels.example.com.example.com.\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"';
    const before = zoneWith([STALE_LINE, misplaced, misplaced]);
    const h = makeHarness({ zoneText: before });
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(repaired.status).toBe('verified');
    h.cpanel.foreignEdit('example.com', [
      { dname: '_mailchannels.example.com.example.com.', ttl: 3600, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] },
    ]);

    const undone = await rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(undone.status).toBe('verified');
    expect(undone.plan?.add).toHaveLength(1);
    expect(recordBag(h.cpanel.text('example.com'))).toEqual(recordBag(before));
  });
});
