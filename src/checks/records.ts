/** Small helpers shared by the checks: selecting records by owner and showing them in findings. */
import { bytesToDisplay, txtValue, type ZoneRecord } from '../zone/model';
import type { FindingRecord } from './findings';

/** The record as a finding shows it (absolute owner, logical value, line_index). */
export function toFindingRecord(record: ZoneRecord): FindingRecord {
  return {
    name: record.name,
    type: record.type,
    ttl: record.ttl,
    data: [...record.data],
    value: record.type === 'TXT' ? txtValue(record) : record.data.join(' '),
    lineIndex: record.lineIndex,
  };
}

/** Records at an absolute owner name (with its final dot), optionally of one type, in line order. */
export function recordsAt(records: readonly ZoneRecord[], name: string, type?: string): ZoneRecord[] {
  const owner = name.toLowerCase();
  return records
    .filter((r) => r.name.toLowerCase() === owner && (type === undefined || r.type.toUpperCase() === type))
    .sort((a, b) => a.lineIndex - b.lineIndex);
}

/**
 * A DNS value fit for a sentence: UTF-8 when it is UTF-8, else `\xNN` escapes, cut to `max` characters.
 * Views escape HTML themselves; this only keeps messages short and free of raw control bytes.
 */
export function shown(value: string, max = 60): string {
  const cut = value.length > max * 4 ? value.slice(0, max * 4) : value;
  const text = bytesToDisplay(cut).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > max || cut.length < value.length ? `${text.slice(0, max)}…` : text;
}
