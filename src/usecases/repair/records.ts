/**
 * From a plan and the zone it was made on, the exact records the change takes out and puts in:
 * what the journal must hold so undo can put back "exactly the removed records".
 */
import type { AddedRecord } from '../../adapters/store/record-codec';
import { FixEmailAuthError } from '../../errors';
import { absoluteName, type MassEditParams, type Zone, type ZoneRecord } from '../../zone/model';

export function recordsTakenOut(zone: Zone, plan: MassEditParams): ZoneRecord[] {
  const lines = [...plan.remove, ...plan.edit.map((e) => e.line_index)];
  return lines.map((line) => {
    const record = zone.records.find((r) => r.lineIndex === line);
    if (!record) {
      throw new FixEmailAuthError('CONFLICT', `The plan names line ${line} of ${zone.name}, which holds no record`, { step: 'plan' });
    }
    return record;
  });
}

export function recordsPutIn(plan: MassEditParams): AddedRecord[] {
  return [
    ...plan.edit.map(({ line_index, ...rest }) => ({ ...rest, data: [...rest.data], lineIndex: line_index })),
    ...plan.add.map((a) => ({ ...a, data: [...a.data] })),
  ];
}

/** Two records hold the same data at the same owner (TTL aside). */
export function sameRecord(
  a: { name: string; type: string; data: readonly string[] },
  b: { name: string; type: string; data: readonly string[] },
): boolean {
  return (
    a.name === b.name &&
    a.type.toUpperCase() === b.type.toUpperCase() &&
    a.data.length === b.data.length &&
    a.data.every((d, i) => d === b.data[i])
  );
}

/** Where each put-in record is in the zone now (first unused record with the same owner and data). */
export function locateAdded(zone: Zone, added: readonly AddedRecord[]): Array<ZoneRecord | undefined> {
  const used = new Set<number>();
  return added.map((a) => {
    const name = absoluteName(a.dname, zone.name);
    const preferred =
      a.lineIndex !== undefined
        ? zone.records.find((r) => r.lineIndex === a.lineIndex && sameRecord(r, { name, type: a.record_type, data: a.data }))
        : undefined;
    const found =
      preferred ?? zone.records.find((r) => !used.has(r.lineIndex) && sameRecord(r, { name, type: a.record_type, data: a.data }));
    if (found) used.add(found.lineIndex);
    return found;
  });
}

/** The change is in the zone: every put-in record is there and no taken-out record survived. */
export function planLanded(zone: Zone, removed: readonly ZoneRecord[], added: readonly AddedRecord[]): boolean {
  const addedFound = locateAdded(zone, added);
  if (addedFound.some((r) => r === undefined)) return false;
  const addedLines = new Set(addedFound.map((r) => r!.lineIndex));
  // A taken-out record that an identical put-in record replaced (an edit to the same value) does not count.
  return removed.every(
    (old) => !zone.records.some((r) => !addedLines.has(r.lineIndex) && r.lineIndex === old.lineIndex && sameRecord(r, old)),
  );
}
