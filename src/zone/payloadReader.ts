/**
 * Reads the items of cPanel's parse_zone (UAPI `data`) or parse_dns_zone (WHM `data.payload`) into a
 * Zone (docs/reference/cpanel-api.md §5.2–5.3). The shape is checked first, so a proxy's HTML page or a changed API
 * gives a clear error instead of `undefined` deep inside a check. Base64 is decoded to bytes (binary
 * strings): zones may hold bytes that are not UTF-8 (§5.3).
 */
import { z } from 'zod';
import { FixEmailAuthError } from '../errors';
import { decodeBase64Strict, excerpt } from './bytes';
import type { Fail } from './lexer';
import type { Zone, ZoneLineItem, ZoneRecord } from './model';
import { canonicalName, parseName, zoneLabels } from './names';

const lineIndex = z.number().int().min(0);
const b64 = z.string();

const recordItem = z.object({
  line_index: lineIndex,
  type: z.literal('record'),
  dname_b64: b64,
  ttl: z.number().int().min(0),
  record_type: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,15}$/, 'a record type mnemonic'),
  data_b64: z.array(b64),
});
const textItem = z.object({
  line_index: lineIndex,
  type: z.enum(['comment', 'control']),
  text_b64: b64,
});
const payloadSchema = z.array(z.discriminatedUnion('type', [recordItem, textItem]));

/** Parse the `data` array of parse_zone (or `data.payload` of parse_dns_zone) for `zoneName`. */
export function parseZonePayload(items: unknown, zoneName: string): Zone {
  const zone = zoneLabels(zoneName);
  const bad: (message: string) => never = (message) => {
    throw new FixEmailAuthError('ZONE_PARSE', `parse_zone payload for “${zone.name}”: ${message}`, { step: 'read', upstream: items });
  };
  const parsed = payloadSchema.safeParse(items);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `item ${issue.path.join('.')}` : 'the payload';
    bad(`${where}: ${issue?.message ?? 'unexpected shape'} (expected an array of record/comment/control items)`);
  }

  const decode = (value: string, where: string): string => decodeBase64Strict(value) ?? bad(`${where} is not standard padded base64`);
  const seen = new Set<number>();
  const records: ZoneRecord[] = [];
  const lines: ZoneLineItem[] = [];
  parsed.data.forEach((item, index) => {
    if (seen.has(item.line_index)) bad(`two items at line_index ${item.line_index}`);
    seen.add(item.line_index);
    if (item.type !== 'record') {
      lines.push({ kind: item.type, lineIndex: item.line_index, text: decode(item.text_b64, `item ${index} text_b64`) });
      return;
    }
    const dname = decode(item.dname_b64, `item ${index} dname_b64`);
    if (dname.length === 0) bad(`item ${index} has an empty dname`);
    // cPanel prints owners in zone-file syntax (relative under the zone, apex and outside names absolute).
    const fail: Fail = (_line, message) => bad(`item ${index} (line_index ${item.line_index}): ${message}`);
    const labels = parseName(dname, zone.labels, item.line_index, fail);
    records.push({
      lineIndex: item.line_index,
      dname,
      name: canonicalName(labels),
      ttl: item.ttl,
      type: item.record_type.toUpperCase(),
      data: item.data_b64.map((value, i) => decode(value, `item ${index} data_b64[${i}]`)),
    });
  });

  const soas = records.filter((r) => r.type === 'SOA');
  if (soas.length !== 1) bad(soas.length === 0 ? 'no SOA record' : `${soas.length} SOA records`);
  const soa = soas[0] as ZoneRecord;
  const serial = soa.data[2];
  if (serial === undefined || !/^[0-9]{1,10}$/.test(serial)) bad(`the SOA serial (data[2]) is “${excerpt(serial ?? '')}”, not a number`);
  records.sort((a, b) => a.lineIndex - b.lineIndex);
  lines.sort((a, b) => a.lineIndex - b.lineIndex);
  return { name: zone.name, serial: serial, records, lines };
}
