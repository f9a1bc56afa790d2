/**
 * A Plesk zone in the shared zone model (src/zone/model.ts), so the checks and the planner run on it
 * unchanged, and its version. Plesk exposes no serial through its APIs (docs/reference/plesk.md §2.4: SOA set has
 * no serial field, pm_Dns_SoaRecord has no serial getter), so the version is a digest of every
 * record's id, type, name, value and priority: it changes whenever anything in the zone changes.
 * Record TTLs are not in the XML API's record type; Plesk's default (86400 s, its template's) is
 * assumed for the model — unverified, and only used for cache-expiry estimates.
 */
import { createHash } from 'crypto';
import { cpanelDname, type Zone, type ZoneRecord } from '../../zone/model';
import { contentKey } from './cliDns';
import type { PleskRecord } from './types';

export const ASSUMED_TTL = 86400;

export interface PleskZone {
  name: string;
  version: string;
  records: PleskRecord[];
}

export function zoneVersion(records: readonly PleskRecord[]): string {
  const lines = records.map((r) => `${r.key}\u0000${r.type}\u0000${r.host}\u0000${r.value}\u0000${r.opt}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

function dataOf(record: PleskRecord): string[] {
  if (record.type === 'TXT') return [Buffer.from(record.value, 'utf8').toString('latin1')];
  if (record.type === 'MX') return [record.opt || '10', record.value];
  if (record.type === 'SRV') return [...record.opt.split(/\s+/).filter(Boolean), record.value];
  return record.value.split(/\s+/).filter(Boolean);
}

/**
 * The zone for the checks. `lineIndex` is the record's Plesk id when there is one (XML API), so a
 * plan made on the model names Plesk records directly; through the CLI (no ids) it is the position,
 * and the record is found again by its content (`fromZoneRecord`).
 */
export function toZoneModel(zone: PleskZone): Zone {
  const records: ZoneRecord[] = zone.records.map((r, index) => ({
    lineIndex: r.id ?? index,
    dname: cpanelDname(r.host, zone.name),
    name: r.host,
    ttl: ASSUMED_TTL,
    type: r.type,
    data: dataOf(r),
  }));
  return { name: zone.name, serial: zone.version, records, lines: [] };
}

/** The Plesk record a model record stands for (`kind` says whether lineIndex is an id). */
export function fromZoneRecord(record: ZoneRecord, kind: 'xml' | 'cli'): PleskRecord {
  const type = record.type.toUpperCase();
  const withPriority = type === 'MX' || type === 'SRV';
  const value =
    type === 'TXT'
      ? Buffer.from(record.data.join(''), 'latin1').toString('utf8')
      : withPriority
        ? (record.data[record.data.length - 1] ?? '')
        : record.data.join(' ');
  const opt = withPriority ? record.data.slice(0, -1).join(' ') : '';
  const content = { type, host: record.name, value, opt };
  if (kind === 'xml') return { key: String(record.lineIndex), id: record.lineIndex, ...content };
  return { key: contentKey(content), id: null, ...content };
}
