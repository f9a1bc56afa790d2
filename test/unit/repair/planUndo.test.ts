/**
 * Undo's plan (planUndo in src/usecases/repair/rollback.ts) on zones where one rule alone decides:
 * what a forced undo takes away, what counts as another party's lockdown record, an edited record
 * that has since moved, and a change with nothing left to undo. The plan is what is sent to cPanel,
 * so each test states the exact lines removed, edited and added.
 */
import type { AddedRecord, Change } from '../../../src/ports/journal';
import { recordsPutIn, recordsTakenOut } from '../../../src/usecases/repair/records';
import { planUndo } from '../../../src/usecases/repair/rollback';
import { parseZoneFile } from '../../../src/zone/bindReader';
import type { MassEditParams, Zone } from '../../../src/zone/model';

const HEAD = [
  '$TTL 14400',
  'example.com.\t86400\tIN\tSOA\tns1.example.net. admin.example.com. 2024030101 3600 1800 1209600 86400',
  'example.com.\t86400\tIN\tNS\tns1.example.net.',
];
const OLD = '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"';
const NEW = '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"';

function zoneOf(lines: string[]): Zone {
  return parseZoneFile(`${[...HEAD, ...lines].join('\n')}\n`, 'example.com');
}
const lineOf = (zone: Zone, value: string) => zone.records.find((r) => r.data.join('') === value)!.lineIndex;

/** The journal's change for `plan` made on `before`, landed at the lines `after` shows. */
function changeOf(before: Zone, plan: MassEditParams, after: Zone): Change {
  const added: AddedRecord[] = recordsPutIn(plan).map((a) => ({ ...a, lineIndex: lineOf(after, a.data.join('')) }));
  return {
    id: 7,
    createdAt: '2026-11-28T12:00:00Z',
    updatedAt: '2026-11-28T12:00:00Z',
    actor: { kind: 'cli', name: 'test' },
    domain: 'example.com',
    zone: 'example.com',
    user: 'bob',
    kind: 'repair',
    status: 'verified',
    serialBefore: before.serial,
    serialAfter: after.serial,
    removed: recordsTakenOut(before, plan),
    added,
    plan,
  };
}

/** The repair: the stale record on its line edited into the right one. */
function editedRepair() {
  const before = zoneOf(['www\t3600\tIN\tA\t192.0.2.1', OLD]);
  const line = lineOf(before, 'v=mc1 auth=oldhost');
  const plan: MassEditParams = {
    zone: 'example.com',
    serial: before.serial,
    remove: [],
    edit: [{ line_index: line, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    add: [],
  };
  const after = zoneOf(['www\t3600\tIN\tA\t192.0.2.1', NEW]);
  return { before, line, plan, change: changeOf(before, plan, after), after };
}

describe("undo's plan", () => {
  it('when the repaired record is still on its line, then undo edits that line back to the old record', () => {
    const { change, after, line } = editedRepair();
    expect(planUndo(change, after, false)).toEqual({
      plan: {
        zone: 'example.com',
        serial: after.serial,
        remove: [],
        edit: [{ line_index: line, dname: '_mailchannels', ttl: 3600, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] }],
        add: [],
      },
    });
  });

  it('when a line above was deleted since (the repaired record moved up), then undo removes it where it is and adds the old record back', () => {
    const { change } = editedRepair();
    const now = zoneOf([NEW]);
    const moved = lineOf(now, 'v=mc1 auth=webhostingm');
    expect(moved).not.toBe(change.added[0]!.lineIndex);
    // Their deletion of www is not undone; only our record goes and the old one comes back.
    expect(planUndo(change, now, false)).toEqual({
      plan: {
        zone: 'example.com',
        serial: now.serial,
        remove: [moved],
        edit: [],
        add: [{ dname: '_mailchannels', ttl: 3600, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] }],
      },
    });
  });

  it('when a change only added a record, then undo removes that one line and adds nothing', () => {
    const before = zoneOf(['www\t3600\tIN\tA\t192.0.2.1']);
    const plan: MassEditParams = {
      zone: 'example.com',
      serial: before.serial,
      remove: [],
      edit: [],
      add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    };
    const after = zoneOf(['www\t3600\tIN\tA\t192.0.2.1', NEW]);
    expect(planUndo(changeOf(before, plan, after), after, false)).toEqual({
      plan: { zone: 'example.com', serial: after.serial, remove: [lineOf(after, 'v=mc1 auth=webhostingm')], edit: [], add: [] },
    });
  });

  it('when another lockdown record was added at the name since, then undo refuses without --force and names it', () => {
    const { change } = editedRepair();
    const now = zoneOf(['www\t3600\tIN\tA\t192.0.2.1', NEW, '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=partner"']);
    expect(planUndo(change, now, false)).toEqual({ refusal: expect.stringContaining('"v=mc1 auth=partner"') });
  });

  it('when only a non-lockdown record or a lockdown record at another name was added since, then undo goes ahead and leaves them', () => {
    const { change, line } = editedRepair();
    const now = zoneOf([
      'www\t3600\tIN\tA\t192.0.2.1',
      NEW,
      '_mailchannels\t300\tIN\tTXT\t"note: v=mc1 is ours"',
      '_mailchannels.shop\t300\tIN\tTXT\t"v=mc1 auth=x"',
    ]);
    expect(planUndo(change, now, false)).toEqual({
      plan: expect.objectContaining({ remove: [], edit: [expect.objectContaining({ line_index: line })], add: [] }),
    });
  });

  it('when forced, then every lockdown record at the name goes (ours edited back) and nothing else at or beside it is touched', () => {
    const { change, line } = editedRepair();
    const now = zoneOf([
      'www\t3600\tIN\tA\t192.0.2.1',
      NEW,
      '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=partner"',
      '_mailchannels\t300\tIN\tTXT\t"note: v=mc1 is ours"',
      '_mailchannels.shop\t300\tIN\tTXT\t"v=mc1 auth=x"',
    ]);
    expect(planUndo(change, now, true)).toEqual({
      plan: {
        zone: 'example.com',
        serial: now.serial,
        remove: [lineOf(now, 'v=mc1 auth=partner')],
        edit: [{ line_index: line, dname: '_mailchannels', ttl: 3600, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] }],
        add: [],
      },
    });
  });

  it('when forced and our record was replaced by theirs, then theirs goes and the old record is added back', () => {
    const { change } = editedRepair();
    const now = zoneOf(['_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=partner"']);
    expect(planUndo(change, now, false)).toEqual({ refusal: expect.stringContaining('no longer in the zone') });
    expect(planUndo(change, now, true)).toEqual({
      plan: {
        zone: 'example.com',
        serial: now.serial,
        remove: [lineOf(now, 'v=mc1 auth=partner')],
        edit: [],
        add: [{ dname: '_mailchannels', ttl: 3600, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] }],
      },
    });
  });

  it('when the records a change took out are all back and it put none in, then there is nothing to undo', () => {
    const before = zoneOf(['www\t3600\tIN\tA\t192.0.2.1', OLD]);
    const plan: MassEditParams = { zone: 'example.com', serial: before.serial, remove: [lineOf(before, '192.0.2.1')], edit: [], add: [] };
    const change = changeOf(before, plan, zoneOf([OLD]));
    expect(planUndo(change, before, false)).toEqual({ refusal: expect.stringContaining('nothing to undo') });
    expect(planUndo(change, zoneOf([OLD]), false)).toEqual({
      plan: expect.objectContaining({ remove: [], edit: [], add: [{ dname: 'www', ttl: 3600, record_type: 'A', data: ['192.0.2.1'] }] }),
    });
  });
});
