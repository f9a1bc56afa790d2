/**
 * DEMO ONLY. Zone-model records (cPanel parse_zone shapes) to dns-packet answers, for the built-in
 * answerer that stands in for PowerDNS on machines without it. Real servers use PowerDNS.
 */
import type * as dnsPacket from 'dns-packet';
import { absoluteName, type ZoneRecord } from '../../zone/model';

/** RDATA names may be relative in a zone file; make them absolute under the zone. */
function target(value: string | undefined, zone: string): string {
  return absoluteName(value ?? '.', zone);
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** The wire form of one record, or null for a type the answerer does not serve. */
export function toPacketAnswer(record: ZoneRecord, zone: string, ownerName = record.name): dnsPacket.Answer | null {
  const base = { name: ownerName, ttl: record.ttl, class: 'IN' as const };
  const d = record.data;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: record.type, data: d[0] ?? '' };
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return { ...base, type: record.type, data: target(d[0], zone) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: num(d[0]), exchange: target(d[1], zone) } };
    case 'TXT':
      // Zone model strings are binary strings: one char per byte (zone/model.ts).
      return { ...base, type: 'TXT', data: d.map((s) => Buffer.from(s, 'latin1')) };
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          mname: target(d[0], zone),
          rname: target(d[1], zone),
          serial: num(d[2]),
          refresh: num(d[3]),
          retry: num(d[4]),
          expire: num(d[5]),
          minimum: num(d[6]),
        },
      };
    case 'SRV':
      return { ...base, type: 'SRV', data: { priority: num(d[0]), weight: num(d[1]), port: num(d[2]), target: target(d[3], zone) } };
    case 'CAA':
      return { ...base, type: 'CAA', data: { flags: num(d[0]), tag: (d[1] ?? 'issue') as 'issue', value: d[2] ?? '' } };
    default:
      return null;
  }
}
