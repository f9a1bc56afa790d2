/**
 * Records as people read them: the zone-file line (what a DNS host's editor accepts), values as
 * UTF-8 text, and the lockdown record before and after a planned change.
 */
import { zoneFileLine } from '../../checks/dns';
import type { FindingRecord } from '../../checks/findings';
import { absoluteName, bytesToDisplay, type MassEditAdd, type MassEditParams } from '../../zone/model';

export interface ShownRecord {
  name: string;
  type: string;
  ttl: number;
  /** The value as text (TXT strings joined), for reading. */
  value: string;
  /** The exact master-file line, for copying. */
  line: string;
  lineIndex?: number;
}

export function showRecord(r: { name: string; type: string; ttl: number; data: readonly string[]; lineIndex?: number }): ShownRecord {
  const shown: ShownRecord = {
    name: bytesToDisplay(r.name),
    type: r.type,
    ttl: r.ttl,
    value: bytesToDisplay(r.data.join(r.type === 'TXT' ? '' : ' ')),
    line: bytesToDisplay(zoneFileLine({ name: r.name, ttl: r.ttl, type: r.type, data: [...r.data] })),
  };
  if (r.lineIndex !== undefined) shown.lineIndex = r.lineIndex;
  return shown;
}

function fromMassEdit(a: MassEditAdd, zone: string): ShownRecord {
  return showRecord({ name: absoluteName(a.dname, zone), type: a.record_type, ttl: a.ttl, data: a.data });
}

export interface PlanView {
  before: ShownRecord[];
  after: ShownRecord[];
  /** One sentence per operation, in the order cPanel applies them. */
  operations: string[];
}

/**
 * The lockdown records as they are, and as they will be once `plan` is applied: removed lines go,
 * edited lines are replaced in place, added records come last (mass_edit_zone's semantics).
 */
export function planView(plan: MassEditParams, lockdownRecords: readonly FindingRecord[]): PlanView {
  const before = lockdownRecords.map(showRecord);
  const removed = new Set(plan.remove);
  const edits = new Map(plan.edit.map((e) => [e.line_index, e]));
  const after: ShownRecord[] = [];
  for (const r of lockdownRecords) {
    if (r.lineIndex !== undefined && removed.has(r.lineIndex)) continue;
    const edit = r.lineIndex !== undefined ? edits.get(r.lineIndex) : undefined;
    after.push(edit ? fromMassEdit(edit, plan.zone) : showRecord(r));
  }
  for (const a of plan.add) after.push(fromMassEdit(a, plan.zone));
  const operations = [
    ...plan.edit.map((e) => `Replace line ${e.line_index} with ${fromMassEdit(e, plan.zone).line}`),
    ...plan.add.map((a) => `Add ${fromMassEdit(a, plan.zone).line}`),
    ...plan.remove.map((line) => {
      const r = lockdownRecords.find((x) => x.lineIndex === line);
      return `Remove line ${line}${r ? `: ${showRecord(r).line}` : ''}`;
    }),
  ];
  return { before, after, operations };
}
