/**
 * Property-style checks of the line editor on every corpus zone: random sequences of removes, edits
 * and adds (seeded, so a failure replays) must leave every untouched record at its line_index with
 * its exact bytes, blank what was removed, put edits at their line and adds at the end. The corpus
 * includes hand-written zones ($ORIGIN changes, blank owners, no $TTL), where a record may depend on
 * the one before it: those keep their value and line_index even when their bytes must change.
 */
import { isDeepStrictEqual } from 'util';
import { parseZoneFile, readZoneFileDetails, type RecordSpan } from '../../../src/zone/bindReader';
import { applyMassEdit, type MassEditChange } from '../../../src/zone/lineEdit';
import type { MassEditAdd, MassEditEdit } from '../../../src/zone/model';
import { parseZonePayload } from '../../../src/zone/payloadReader';
import { toParseZonePayload } from '../../../src/zone/payloadWriter';
import { corpus, linesOf } from './corpus';
import { seededRandom } from '../../../src/simulator/seededRandom';

type Random = () => number;

const seeded = (seed: number): Random => seededRandom(seed);

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Printable ASCII, with the characters that need care in a zone file over-represented. */
function randomText(random: Random, max: number): string {
  const tricky = ['"', '\\', ';', '(', ')', ' ', '$', '@'];
  let out = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) out += random() < 0.2 ? pick(random, tricky) : String.fromCharCode(0x20 + Math.floor(random() * 95));
  return out;
}

/** A record as mass_edit would carry it, in the normalised form the reader gives back. */
function randomRecord(random: Random, zone: string): MassEditAdd {
  const dname = pick(random, ['_mailchannels', 'www', 'shop', '_mailchannels.shop', 'mail', `${zone}.`, 'a-b.c_d']);
  const ttl = pick(random, [300, 3600, 14400, 86400]);
  switch (Math.floor(random() * 5)) {
    case 0:
      return { dname, ttl, record_type: 'A', data: [`192.0.2.${Math.floor(random() * 256)}`] };
    case 1:
      return { dname, ttl, record_type: 'MX', data: [String(Math.floor(random() * 100)), `mx${Math.floor(random() * 9)}.${zone}.`] };
    case 2:
      return { dname, ttl, record_type: 'CAA', data: ['0', pick(random, ['issue', 'issuewild']), randomText(random, 40)] };
    case 3:
      return { dname, ttl, record_type: 'AAAA', data: [`2001:db8::${Math.floor(random() * 0xffff).toString(16)}`] };
    default:
      return { dname, ttl, record_type: 'TXT', data: Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomText(random, 255)) };
  }
}

interface Plan {
  change: MassEditChange;
  untouched: RecordSpan[];
  removed: RecordSpan[];
  edited: Array<{ span: RecordSpan; edit: MassEditEdit }>;
}

function randomPlan(random: Random, text: string, zone: string): Plan {
  const details = readZoneFileDetails(text, zone);
  const apex = `${zone}.`;
  const keptNs = details.spans.find((s) => s.record.type === 'NS' && s.record.name === apex);
  const plan: Plan = { change: { add: [], edit: [], remove: [] }, untouched: [], removed: [], edited: [] };
  for (const span of details.spans) {
    const roll = random();
    if (span === keptNs || (span.record.type === 'SOA' && roll >= 0.15)) plan.untouched.push(span);
    else if (span.record.type === 'SOA') {
      const data = span.record.data.map((item, i) => (i === 3 ? String(600 + Math.floor(random() * 9000)) : item));
      const edit = { line_index: span.firstLine, dname: span.record.dname, ttl: span.record.ttl, record_type: 'SOA', data };
      plan.change.edit.push(edit);
      plan.edited.push({ span, edit });
    } else if (roll < 0.2) {
      plan.change.remove.push(span.firstLine);
      plan.removed.push(span);
    } else if (roll < 0.4) {
      const edit = { ...randomRecord(random, zone), line_index: span.firstLine };
      plan.change.edit.push(edit);
      plan.edited.push({ span, edit });
    } else plan.untouched.push(span);
  }
  const adds = Math.floor(random() * 4);
  for (let i = 0; i < adds; i++) plan.change.add.push(randomRecord(random, zone));
  // cPanel takes edits and removes in any order.
  plan.change.remove.sort(() => random() - 0.5);
  return plan;
}

function checkStep(text: string, zone: string, random: Random, now: Date): string {
  const plan = randomPlan(random, text, zone);
  const before = linesOf(text);
  const oldZone = parseZoneFile(text, zone);
  const { text: after, newSerial } = applyMassEdit(text, zone, plan.change, { now });
  const lines = linesOf(after);
  const newZone = parseZoneFile(after, zone);
  const byLine = new Map(newZone.records.map((r) => [r.lineIndex, r]));

  expect(newZone.serial).toBe(newSerial);
  expect(Number(newSerial)).toBeGreaterThan(Number(oldZone.serial));

  for (const span of plan.untouched) {
    const expected =
      span.record.type === 'SOA' ? { ...span.record, data: span.record.data.map((d, i) => (i === 2 ? newSerial : d)) } : span.record;
    expect(byLine.get(span.firstLine)).toEqual(expected);
    const originalLines = before.slice(span.firstLine, span.lastLine + 1);
    const newLines = lines.slice(span.firstLine, span.lastLine + 1);
    // The one byte change allowed: the SOA serial, rewritten in place.
    const expectedLines = span.record.type === 'SOA' ? originalLines.map((l) => l.replace(oldZone.serial, newSerial)) : originalLines;
    if (span.inheritsOwner || span.inheritsTtl) {
      // A record that borrows its owner or TTL from the one before may be written out explicitly
      // (one line plus padding) when its neighbour changed; its value is checked above.
      if (!isDeepStrictEqual(newLines, expectedLines)) expect(newLines.slice(1).every((l) => l === '')).toBe(true);
    } else {
      expect(newLines).toEqual(expectedLines);
    }
  }
  for (const span of plan.removed) {
    expect(byLine.has(span.firstLine)).toBe(false);
    for (let line = span.firstLine; line <= span.lastLine; line++) expect(lines[line]).toBe('');
  }
  for (const { span, edit } of plan.edited) {
    const record = byLine.get(span.firstLine);
    const data = edit.record_type === 'SOA' ? edit.data.map((d, i) => (i === 2 ? newSerial : d)) : edit.data;
    expect(record).toMatchObject({ dname: edit.dname, ttl: edit.ttl, type: edit.record_type, data });
    for (let line = span.firstLine + 1; line <= span.lastLine; line++) expect(lines[line]).toBe('');
  }
  const added = newZone.records.filter((r) => r.lineIndex >= before.length);
  expect(added.map((r) => r.lineIndex)).toEqual(plan.change.add.map((_, i) => before.length + i));
  expect(added.map((r) => ({ dname: r.dname, ttl: r.ttl, type: r.type, data: r.data }))).toEqual(
    plan.change.add.map((a) => ({ dname: a.dname, ttl: a.ttl, type: a.record_type, data: a.data })),
  );
  // Comments and control lines outside touched records survive too.
  const touched = new Set(
    [...plan.removed, ...plan.edited.map((e) => e.span)].flatMap((s) =>
      Array.from({ length: s.lastLine - s.firstLine + 1 }, (_, i) => s.firstLine + i),
    ),
  );
  expect(newZone.lines).toEqual(oldZone.lines.filter((l) => !touched.has(l.lineIndex)));
  // And the simulator's parse_zone of the result agrees with the file reader.
  expect(parseZonePayload(toParseZonePayload(newZone), zone)).toEqual(newZone);
  return after;
}

describe('applyMassEdit: random edit sequences on the corpus', () => {
  test.each(corpus().map((c) => [c.zone, c] as const))(
    'when random changes are chained on %s, then untouched records keep their line_index and bytes',
    (_name, c) => {
      for (let seed = 1; seed <= 25; seed++) {
        const random = seeded(seed * 7919 + c.zone.length);
        let text = c.text;
        let now = new Date('2026-11-28T08:00:00Z');
        for (let step = 0; step < 4; step++) {
          text = checkStep(text, c.zone, random, now);
          now = new Date(now.getTime() + Math.floor(random() * 2) * 86400000);
        }
      }
    },
  );
});
