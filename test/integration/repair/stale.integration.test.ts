/**
 * Stale re-plan on real parts (the simulator over HTTPS, PowerDNS serving its files): another party
 * changes the zone while a repair is under way — during the backup step, or between the repair's read
 * and its write — in the two ways that break a plan made from the old zone:
 * - they edit the `_mailchannels` record itself (into another record that already lets the provider's
 *   mail through), so the old plan would overwrite their edit;
 * - they delete a record above it the way WHM's removezonerecord does, so every later line index
 *   shifts and the old plan's line would now be another record.
 * Each time: their edit survives byte for byte, the repair re-plans from the new zone (or stops,
 * saying why), and nothing is ever sent with a plan computed from the old zone.
 */
import { DnsClient } from '../../../src/adapters/dns';
import type { RepairContext } from '../../../src/usecases/repair';
import { repairDomain } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { applyMassEdit } from '../../../src/zone/lineEdit';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

const ACTOR = { kind: 'cli' as const, name: 'integration' };
const QUICK = { waitMs: 3000, intervalMs: 200 };
const CLOCK = new Date('2026-11-28T12:00:00Z');
const LOCKDOWN = '_mailchannels.example.com.';
const THEIR_RECORD = 'v=mc1 auth=partner auth=webhostingm';
const AFTER = 'after\t14400\tIN\tTXT\t"the record below the lockdown record"';

async function servedTxt(stack: Stack, name: string): Promise<string[]> {
  const client = new DnsClient();
  try {
    const answer = await client.query({ address: '127.0.0.1', port: stack.pdns.port }, name, 'TXT', { timeoutMs: 1000, retries: 2 });
    return answer.answers.flatMap((r) => (r.type === 'TXT' ? [r.data.map((b) => b.toString('latin1')).join('')] : []));
  } finally {
    client.close();
  }
}

const lineOf = (text: string, name: string) => parseZoneFile(text, 'example.com').records.find((r) => r.name === name)!.lineIndex;

/** The mass edits the simulator received for example.com: serial and the line indexes they name. */
function sentEdits(stack: Stack) {
  return stack.sim.log.find('mass_edit_dns_zone').map((e) => {
    const edits = [e.params.edit ?? []].flat().map((raw) => JSON.parse(raw) as { line_index: number; data: string[] });
    return {
      serial: String(e.params.serial),
      editLines: edits.map((x) => Number(x.line_index)),
      remove: [e.params.remove ?? []].flat().map(Number),
    };
  });
}

type When = 'during the backup step' | 'between the read and the write';
type Theirs = (stack: Stack) => Promise<void>;

describe('another party edits the zone while a repair is under way', () => {
  let stack: Stack;
  /** The zone before any test: the seed's example.com with a stale record and a record below it. */
  let migrated: string;
  beforeAll(async () => {
    stack = await startStack({ clock: () => CLOCK, config: { backup: { policy: 'off' } } });
    migrated = `${(await stack.sim.zoneText('example.com'))!.replace(/\n*$/, '\n')}_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"\n${AFTER}\n`;
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    await stack.sim.setZoneText('example.com', migrated, { reload: true });
    stack.sim.log.clear();
  });

  /** Run the repair with `theirs` injected at `when`; returns the result and the zone file right after their edit. */
  async function repairWhile(when: When, theirs: Theirs) {
    let theirText: string | undefined;
    const edit = async () => {
      await theirs(stack);
      theirText = (await stack.sim.zoneText('example.com'))!;
    };
    const base = stack.services.repairContext();
    let ctx: RepairContext = base;
    if (when === 'during the backup step') {
      ctx = {
        ...base,
        backup: {
          snapshotBeforeChange: async (user) => {
            await edit();
            return base.backup.snapshotBeforeChange(user);
          },
        },
      };
    } else {
      stack.sim.onNextMassEdit('example.com', edit);
    }
    const result = await repairDomain(ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: QUICK });
    if (theirText === undefined) throw new Error('the other party never got to edit');
    return { result, theirText };
  }

  const editTheRecord: Theirs = async (s) => {
    const line = lineOf(migrated, LOCKDOWN);
    await s.sim.massEditAsOtherUser('example.com', {
      edit: [{ line_index: line, dname: '_mailchannels', ttl: 600, record_type: 'TXT', data: [THEIR_RECORD] }],
    });
  };
  const deleteALineAbove: Theirs = async (s) => {
    await s.sim.removeLinesAsOtherUser('example.com', lineOf(migrated, 'www.example.com.'));
  };

  it.each<When>(['during the backup step', 'between the read and the write'])(
    'when they edit the _mailchannels record itself %s, then their record stays byte for byte and the repair stops: nothing left to do',
    async (when) => {
      const { result, theirText } = await repairWhile(when, editTheRecord);

      expect(result.status).toBe('unchanged');
      expect(result.message).toMatch(/Another edit of the zone already made this change unnecessary/);
      expect(await stack.sim.zoneText('example.com')).toBe(theirText);
      expect(theirText).toContain(`_mailchannels\t600\tIN\tTXT\t"${THEIR_RECORD}"`);
      // One write only: the one cPanel refused as Stale, made from the zone as it was read.
      expect(sentEdits(stack)).toEqual([{ serial: '2024030101', editLines: [lineOf(migrated, LOCKDOWN)], remove: [] }]);
      expect(await servedTxt(stack, LOCKDOWN)).toEqual([THEIR_RECORD]);
      expect(stack.services.store.getChange(result.changeId!)!.status).toBe('failed');
    },
  );

  it.each<When>(['during the backup step', 'between the read and the write'])(
    'when they delete a record above it %s (line indexes shift), then the repair re-plans on the new lines and every other record stays byte for byte',
    async (when) => {
      const { result, theirText } = await repairWhile(when, deleteALineAbove);

      expect(result.status).toBe('verified');
      expect(result.attempts).toBe(2);
      const newLine = lineOf(theirText, LOCKDOWN);
      expect(newLine).toBe(lineOf(migrated, LOCKDOWN) - 1);
      const theirSerial = parseZoneFile(theirText, 'example.com').serial;
      // The second write names the lockdown record's new line, at their serial; never the old line again.
      expect(sentEdits(stack)).toEqual([
        { serial: '2024030101', editLines: [lineOf(migrated, LOCKDOWN)], remove: [] },
        { serial: theirSerial, editLines: [newLine], remove: [] },
      ]);
      // Their zone with exactly our one edit on it (computed here, not by the planner).
      const ours = { line_index: newLine, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] };
      expect(await stack.sim.zoneText('example.com')).toBe(
        applyMassEdit(theirText, 'example.com', { add: [], edit: [ours], remove: [] }, { now: CLOCK }).text,
      );
      expect(await servedTxt(stack, LOCKDOWN)).toEqual(['v=mc1 auth=webhostingm']);
      expect(await servedTxt(stack, 'after.example.com.')).toEqual(['the record below the lockdown record']);
    },
  );
});
