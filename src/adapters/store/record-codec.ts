/**
 * How DNS records are kept in the journal, byte for byte.
 *
 * The zone model holds owner names and RDATA as binary strings (one char per byte, zone/model.ts).
 * We store them as base64 of those bytes, the way cPanel's parse_zone hands them out (`data_b64`),
 * so the column says plainly "these are bytes", and a record put back by an undo is the record that
 * was taken out even when it held quotes, backslashes, NUL or bytes 0x80–0xFF. A string holding a
 * char above 0xFF is not a binary string: it is refused rather than silently truncated.
 */
import type { MassEditAdd, MassEditEdit, MassEditParams, ZoneRecord } from '../../zone/model';
import type { AddedRecord } from '../../ports';
import { storeError } from './store-error';

export type { AddedRecord } from '../../ports';

function bytesOf(binary: string, what: string): Buffer {
  for (let i = 0; i < binary.length; i++) {
    if (binary.charCodeAt(i) > 0xff) {
      throw storeError(
        'UNSAFE_VALUE',
        `${what} is not a binary string (char ${i} is U+${binary.charCodeAt(i).toString(16).toUpperCase()}); DNS data must be kept as one char per byte`,
      );
    }
  }
  return Buffer.from(binary, 'latin1');
}

export function encodeBinary(binary: string, what: string): string {
  return bytesOf(binary, what).toString('base64');
}

export function decodeBinary(b64: string): string {
  return Buffer.from(b64, 'base64').toString('latin1');
}

interface StoredZoneRecord {
  line_index: number;
  dname_b64: string;
  name_b64: string;
  ttl: number;
  type: string;
  data_b64: string[];
}

interface StoredAdd {
  dname_b64: string;
  ttl: number;
  record_type: string;
  data_b64: string[];
  line_index?: number;
}

interface StoredPlan {
  zone: string;
  serial: string;
  remove: number[];
  edit: (StoredAdd & { line_index: number })[];
  add: StoredAdd[];
}

function encodeData(data: readonly string[], what: string): string[] {
  return data.map((item, i) => encodeBinary(item, `${what} data[${i}]`));
}

export function encodeZoneRecords(records: readonly ZoneRecord[]): string {
  const stored: StoredZoneRecord[] = records.map((r) => ({
    line_index: r.lineIndex,
    dname_b64: encodeBinary(r.dname, `record at line ${r.lineIndex} dname`),
    name_b64: encodeBinary(r.name, `record at line ${r.lineIndex} name`),
    ttl: r.ttl,
    type: r.type,
    data_b64: encodeData(r.data, `record at line ${r.lineIndex}`),
  }));
  return JSON.stringify(stored);
}

export function decodeZoneRecords(json: string): ZoneRecord[] {
  return (JSON.parse(json) as StoredZoneRecord[]).map((s) => ({
    lineIndex: s.line_index,
    dname: decodeBinary(s.dname_b64),
    name: decodeBinary(s.name_b64),
    ttl: s.ttl,
    type: s.type,
    data: s.data_b64.map(decodeBinary),
  }));
}

function encodeAdd(add: MassEditAdd & { lineIndex?: number; line_index?: number }, what: string): StoredAdd {
  const stored: StoredAdd = {
    dname_b64: encodeBinary(add.dname, `${what} dname`),
    ttl: add.ttl,
    record_type: add.record_type,
    data_b64: encodeData(add.data, what),
  };
  const line = add.line_index ?? add.lineIndex;
  if (line !== undefined) stored.line_index = line;
  return stored;
}

function decodeAdd(s: StoredAdd): MassEditAdd {
  return { dname: decodeBinary(s.dname_b64), ttl: s.ttl, record_type: s.record_type, data: s.data_b64.map(decodeBinary) };
}

export function encodeAddedRecords(records: readonly AddedRecord[]): string {
  return JSON.stringify(records.map((r, i) => encodeAdd(r, `added record ${i}`)));
}

export function decodeAddedRecords(json: string): AddedRecord[] {
  return (JSON.parse(json) as StoredAdd[]).map((s) => {
    const added: AddedRecord = decodeAdd(s);
    if (s.line_index !== undefined) added.lineIndex = s.line_index;
    return added;
  });
}

export function encodePlan(plan: MassEditParams): string {
  const stored: StoredPlan = {
    zone: plan.zone,
    serial: plan.serial,
    remove: [...plan.remove],
    edit: plan.edit.map((e, i) => ({ ...encodeAdd(e, `plan edit ${i}`), line_index: e.line_index })),
    add: plan.add.map((a, i) => encodeAdd(a, `plan add ${i}`)),
  };
  return JSON.stringify(stored);
}

export function decodePlan(json: string): MassEditParams {
  const s = JSON.parse(json) as StoredPlan;
  return {
    zone: s.zone,
    serial: s.serial,
    remove: s.remove,
    edit: s.edit.map((e): MassEditEdit => ({ line_index: e.line_index, ...decodeAdd(e) })),
    add: s.add.map(decodeAdd),
  };
}

/**
 * Plain JSON columns (verification reports, results, details). JSON text is lossless for any JS
 * string, binary strings included (`JSON.stringify` escapes control chars and lone surrogates), so
 * no extra encoding is needed here. `undefined` is stored as SQL NULL.
 */
export function toJsonColumn(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function fromJsonColumn<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}
