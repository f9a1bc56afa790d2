/**
 * Where a record line lands decides how its relative names read: a master file completes them with
 * the $ORIGIN in effect there (RFC 1035 §5.1), while mass_edit_zone's relative names are relative to
 * the zone (docs/reference/cpanel-api.md §6.2). cPanel's own files never change $ORIGIN, so there a line is written
 * exactly as given; under another $ORIGIN (zones migrated in by hand) names are written absolute.
 */
import { FixEmailAuthError } from '../errors';
import type { Fail } from './lexer';
import { isUnder, parseName, renderName, type Labels } from './names';
import type { RenderableRecord } from './render';
import { fieldsOf } from './rrTypes';

export function sameName(a: Labels, b: Labels): boolean {
  return a.length === b.length && isUnder(a, b);
}

/** The record as it must be written under `origin` to mean what it means relative to `zone`. */
export function placeRecord(record: RenderableRecord, zone: Labels, origin: Labels): RenderableRecord {
  if (sameName(origin, zone)) return record;
  const fail: Fail = (_line, message) => {
    throw new FixEmailAuthError('UNSAFE_VALUE', message, { step: 'apply' });
  };
  const absolute = (name: string) =>
    typeof name === 'string' && name.endsWith('.') ? name : renderName(parseName(String(name), zone, 0, fail));
  const fields = fieldsOf(String(record.type).toUpperCase()) ?? [];
  const data = Array.isArray(record.data) ? record.data.map((item, i) => (fields[i] === 'name' ? absolute(item) : item)) : record.data;
  return { ...record, dname: absolute(record.dname), data };
}
