/**
 * DEMO ONLY. The authoritative lookup of RFC 1034 §4.3.2, reduced to what cPanel zones use:
 * exact names, CNAME chains inside our zones, delegations below the apex, NXDOMAIN versus NODATA
 * (RFC 8020: a name with records only below it exists), the SOA in the authority section of a
 * negative answer with TTL min(SOA TTL, MINIMUM) (RFC 2308 §3). Not implemented: wildcards,
 * DNAME, DNSSEC. Real servers use PowerDNS.
 */
import type * as dnsPacket from 'dns-packet';
import { absoluteName, type Zone, type ZoneRecord } from '../../zone/model';
import { toPacketAnswer } from './records';

export interface LookupResult {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'SERVFAIL';
  authoritative: boolean;
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
  additionals: dnsPacket.Answer[];
}

/** Finds the zone for a name (longest match); `null` when the name is outside every zone we serve. */
export type ZoneFinder = (name: string) => { zone: Zone } | { error: string } | null;

const MAX_CNAME_CHAIN = 8;

/** `www.example.com` (any case, with or without the final dot) → `www.example.com.` */
function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

function recordsAt(zone: Zone, name: string): ZoneRecord[] {
  return zone.records.filter((r) => r.name === name);
}

function soaAuthority(zone: Zone): dnsPacket.Answer[] {
  const soa = zone.records.find((r) => r.type === 'SOA');
  if (!soa) return [];
  const answer = toPacketAnswer(soa, zone.name);
  if (!answer || answer.type !== 'SOA') return [];
  // Negative answers are cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5).
  return [{ ...answer, ttl: Math.min(soa.ttl, answer.data.minimum ?? soa.ttl) }];
}

/** The closest delegation point strictly below the apex on the way to `name`, if any. */
function findCut(zone: Zone, name: string): ZoneRecord[] | null {
  const apex = `${zone.name}.`;
  const labels = name.slice(0, -apex.length).split('.').filter(Boolean);
  for (let i = labels.length - 1; i >= 0; i--) {
    const candidate = `${labels.slice(i).join('.')}.${apex}`;
    const ns = zone.records.filter((r) => r.name === candidate && r.type === 'NS');
    if (ns.length > 0) return ns;
  }
  return null;
}

function glue(zone: Zone, nsRecords: ZoneRecord[]): dnsPacket.Answer[] {
  const out: dnsPacket.Answer[] = [];
  for (const ns of nsRecords) {
    const host = fqdn(ns.data[0] ?? '');
    for (const r of recordsAt(zone, host)) {
      if (r.type !== 'A' && r.type !== 'AAAA') continue;
      const a = toPacketAnswer(r, zone.name);
      if (a) out.push(a);
    }
  }
  return out;
}

function convert(records: ZoneRecord[], zone: Zone): dnsPacket.Answer[] {
  const out: dnsPacket.Answer[] = [];
  for (const r of records) {
    const a = toPacketAnswer(r, zone.name);
    if (a) out.push(a);
  }
  return out;
}

export function lookup(findZone: ZoneFinder, qname: string, qtype: string): LookupResult {
  const answers: dnsPacket.Answer[] = [];
  let name = fqdn(qname);
  const type = qtype.toUpperCase();
  for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
    const found = findZone(name);
    if (!found) {
      // Outside our zones: refuse the first question; a CNAME leading out simply ends the chain.
      return hop === 0
        ? { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], additionals: [] }
        : { rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals: [] };
    }
    if ('error' in found) return { rcode: 'SERVFAIL', authoritative: false, answers: [], authorities: [], additionals: [] };
    const { zone } = found;

    const cut = findCut(zone, name);
    if (cut) {
      // A referral: the child zone's servers are authoritative, we are not (RFC 1034 §4.3.2 step 3b).
      return { rcode: 'NOERROR', authoritative: hop > 0, answers, authorities: convert(cut, zone), additionals: glue(zone, cut) };
    }

    const here = recordsAt(zone, name);
    const matching = type === 'ANY' ? here : here.filter((r) => r.type === type);
    if (matching.length > 0) {
      answers.push(...convert(matching, zone));
      return { rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals: [] };
    }
    const cname = here.find((r) => r.type === 'CNAME');
    if (cname) {
      answers.push(...convert([cname], zone));
      name = absoluteName(cname.data[0] ?? '.', zone.name);
      continue;
    }
    const exists = here.length > 0 || zone.records.some((r) => r.name.endsWith(`.${name}`));
    return { rcode: exists ? 'NOERROR' : 'NXDOMAIN', authoritative: true, answers, authorities: soaAuthority(zone), additionals: [] };
  }
  return { rcode: 'SERVFAIL', authoritative: false, answers: [], authorities: [], additionals: [] };
}
