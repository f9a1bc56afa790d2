/**
 * A Plesk zone as BIND master-file text, the file Plesk's `dnsmng` writes from the database for
 * named to serve (docs/reference/plesk.md §5: a DB insert reaches BIND only after `dnsmng update <domain>`). Values
 * are stored unquoted (psa `dns_recs.val`); TXT values are written as one quoted character-string
 * (≤ 255 bytes, enforced at add_rec). The exact layout of Plesk's files (comments, SOA timers) is
 * unverified and does not matter to PowerDNS; the records do.
 */
import { renderRecordLine } from '../../zone/render';
import type { DnsRecord, DnsZone } from './model';

/** SOA timers of Plesk's default zone template (Tools & Settings › DNS Template › SOA); unverified. */
const SOA = { ttl: 86400, refresh: 10800, retry: 3600, expire: 604800, minimum: 10800 };
const RECORD_TTL = 86400;

/** The data items of a Plesk record for the renderer: MX = [priority, exchange], SRV = [prio, weight, port, target]. */
export function recordData(record: Pick<DnsRecord, 'type' | 'value' | 'opt'>): string[] {
  switch (record.type) {
    case 'TXT':
      return [record.value];
    case 'MX':
      return [record.opt || '10', record.value];
    case 'SRV':
      return [...record.opt.split(/\s+/).filter(Boolean), record.value];
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return [record.value];
    default:
      return record.value.split(/\s+/).filter(Boolean);
  }
}

export function pleskZoneText(zone: DnsZone, records: readonly DnsRecord[], contact: string, fallbackNs: string): string {
  const apex = `${zone.name}.`;
  const mname = records.find((r) => r.type === 'NS' && r.host === apex)?.value ?? `${fallbackNs}.`;
  const lines = [
    `; Zone ${zone.name}, written by the Plesk simulator`,
    `$TTL ${SOA.ttl}`,
    `${apex}\t${SOA.ttl}\tIN\tSOA\t${mname}\t${contact}. ( ${zone.serial} ${SOA.refresh} ${SOA.retry} ${SOA.expire} ${SOA.minimum} )`,
  ];
  for (const record of records) {
    try {
      lines.push(renderRecordLine({ dname: record.host, ttl: RECORD_TTL, type: record.type, data: recordData(record) }, zone.name));
    } catch (err) {
      // A value the renderer refuses stays out of the served zone (Plesk would fail dnsmng the same way).
      lines.push(`; record ${record.id} not written: ${err instanceof Error ? err.message.replace(/\n/g, ' ') : String(err)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
