/**
 * A Zone as cPanel's parse_zone reports it (docs/reference/cpanel-api.md §5.2): UAPI `DNS::parse_zone` `data`, or WHM
 * `parse_dns_zone` `data.payload`. Items in line order, owner/data/text in standard padded base64 of
 * their bytes. The cPanel simulator serves this.
 */
import { encodeBase64 } from './bytes';
import type { Zone } from './model';

export interface ParseZoneRecordItem {
  line_index: number;
  type: 'record';
  dname_b64: string;
  ttl: number;
  record_type: string;
  data_b64: string[];
}

export interface ParseZoneTextItem {
  line_index: number;
  type: 'comment' | 'control';
  text_b64: string;
}

export type ParseZoneItem = ParseZoneRecordItem | ParseZoneTextItem;

/** The parse_zone items of a zone, sorted by line_index (keys in cPanel's documented order). */
export function toParseZonePayload(zone: Zone): ParseZoneItem[] {
  const items: ParseZoneItem[] = [];
  for (const line of zone.lines) {
    items.push({ line_index: line.lineIndex, type: line.kind, text_b64: encodeBase64(line.text) });
  }
  for (const record of zone.records) {
    items.push({
      line_index: record.lineIndex,
      type: 'record',
      dname_b64: encodeBase64(record.dname),
      ttl: record.ttl,
      record_type: record.type,
      data_b64: record.data.map(encodeBase64),
    });
  }
  return items.sort((a, b) => a.line_index - b.line_index);
}
