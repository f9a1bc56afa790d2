/**
 * A tiny builder of `Zone` objects for unit tests, so the checks and the planner can be tested
 * without the BIND reader. Line indexes follow the fixture of docs/reference/cpanel-api.md §5.5: SOA at line 3,
 * then one record per line from line 11.
 */
import { absoluteName, type Zone, type ZoneRecord } from '../../../src/zone/model';

export type RecordSpec = [dname: string, type: string, data: string | string[], ttl?: number];

export function buildZone(name: string, specs: RecordSpec[], serial = '2024030101'): Zone {
  const soa: ZoneRecord = {
    lineIndex: 3,
    dname: `${name}.`,
    name: `${name}.`,
    ttl: 86400,
    type: 'SOA',
    data: ['ns1.example.net.', 'admin.example.net.', serial, '3600', '1800', '1209600', '86400'],
  };
  const records = specs.map(([dname, type, data, ttl], i) => record(name, 11 + i, dname, type, data, ttl));
  return { name, serial, records: [soa, ...records], lines: [{ kind: 'control', lineIndex: 2, text: '$TTL 14400' }] };
}

export function record(zone: string, lineIndex: number, dname: string, type: string, data: string | string[], ttl = 14400): ZoneRecord {
  return { lineIndex, dname, name: absoluteName(dname, zone), ttl, type, data: Array.isArray(data) ? data : [data] };
}

/** The records of a zone with a lockdown TXT at `_mailchannels` holding `values` (one record each). */
export function lockdownZone(values: Array<string | string[]>, zoneName = 'example.com', extra: RecordSpec[] = []): Zone {
  return buildZone(zoneName, [
    [`${zoneName}.`, 'A', '192.0.2.10'],
    [`${zoneName}.`, 'TXT', 'v=spf1 +a +mx +ip4:192.0.2.10 ~all'],
    ...values.map((v): RecordSpec => ['_mailchannels', 'TXT', v]),
    ...extra,
  ]);
}
