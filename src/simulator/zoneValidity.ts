/**
 * What cPanel's zone check (named-checkzone style, docs/reference/cpanel-api.md §6.3) refuses beyond what the line
 * editor already checks (zone/lineEdit.ts: the zone parses, one SOA, NS at the apex): a CNAME beside
 * other data at the same name (RFC 1034 §3.6.2, RFC 2181 §10.1). Refused zones get the typed error
 * `InvalidZoneFile`; the `by_line` item shape is unverified (§6.4).
 */
import { parseZoneFile } from '../zone/bindReader';

export interface ZoneProblem {
  /** 0-based line of the offending record, null when the problem is the zone as a whole. */
  line_index: number | null;
  message: string;
}

export function zoneProblems(text: string, zoneName: string): ZoneProblem[] {
  const zone = parseZoneFile(text, zoneName);
  const countByName = new Map<string, number>();
  for (const r of zone.records) countByName.set(r.name, (countByName.get(r.name) ?? 0) + 1);
  return zone.records
    .filter((r) => r.type === 'CNAME' && (countByName.get(r.name) ?? 0) > 1)
    .map((r) => ({ line_index: r.lineIndex, message: `${r.name} has a CNAME record and other data.` }));
}
