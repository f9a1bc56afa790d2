/** Test helpers: zones built by hand (no zone-file parser needed) and loopback DNS servers over them. */
import * as dnsPacket from 'dns-packet';
import type { Zone, ZoneRecord } from '../../../src/zone/model';
import type { ZoneFinder } from '../../../src/simulator/dnsAnswerer/lookup';
import { respond } from '../../../src/simulator/dnsAnswerer/respond';
import { listenDns, type DnsListener, type ListenOptions } from '../../../src/simulator/dnsAnswerer/server';

/** [owner (relative to the zone, '@' for the apex), ttl, type, ...rdata] */
export type Row = [string, number, string, ...string[]];

export function makeZone(name: string, serial: string, rows: Row[]): Zone {
  const apex = `${name}.`;
  const soa: ZoneRecord = {
    lineIndex: 0,
    dname: apex,
    name: apex,
    ttl: 3600,
    type: 'SOA',
    data: [`ns1.${name}.`, `hostmaster.${name}.`, serial, '3600', '1800', '1209600', '300'],
  };
  const records = rows.map(([owner, ttl, type, ...data], i): ZoneRecord => {
    const abs = owner === '@' ? apex : owner.endsWith('.') ? owner.toLowerCase() : `${owner.toLowerCase()}.${apex}`;
    return { lineIndex: i + 1, dname: owner, name: abs, ttl, type, data };
  });
  return { name, serial, records: [soa, ...records], lines: [] };
}

export function finderOf(zones: Zone[]): ZoneFinder {
  return (qname) => {
    const name = qname.toLowerCase().replace(/\.$/, '');
    let best: Zone | null = null;
    for (const z of zones) if ((name === z.name || name.endsWith(`.${z.name}`)) && (!best || z.name.length > best.name.length)) best = z;
    return best ? { zone: best } : null;
  };
}

/** An authoritative server over in-memory zones; `zones` may be swapped to simulate an update. */
export async function serveZones(zones: Zone[], options: ListenOptions = {}): Promise<DnsListener & { zones: Zone[] }> {
  const state = { zones };
  const listener = await listenDns((msg, transport) => respond(msg, finderOf(state.zones), transport), options);
  // defineProperty, not Object.assign: assign would copy the getter's value, not the accessor.
  Object.defineProperty(listener, 'zones', { get: () => state.zones, set: (z: Zone[]) => (state.zones = z) });
  return listener as DnsListener & { zones: Zone[] };
}

/** A hand-built response to `query` (a decoded packet) with the given pieces. */
export function reply(
  query: dnsPacket.DecodedPacket,
  parts: {
    id?: number;
    rcode?: number;
    aa?: boolean;
    tc?: boolean;
    name?: string;
    answers?: dnsPacket.Answer[];
    authorities?: dnsPacket.Answer[];
  } = {},
): Buffer {
  const q = query.questions?.[0];
  let flags = parts.rcode ?? 0;
  if (parts.aa ?? true) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (parts.tc) flags |= dnsPacket.TRUNCATED_RESPONSE;
  return dnsPacket.encode({
    type: 'response',
    id: parts.id ?? query.id ?? 0,
    flags,
    questions: q ? [{ ...q, name: parts.name ?? q.name }] : [],
    answers: parts.answers ?? [],
    authorities: parts.authorities ?? [],
  });
}

export function txtAnswer(name: string, ...strings: string[]): dnsPacket.Answer {
  return { type: 'TXT', name, ttl: 300, class: 'IN', data: strings.map((s) => Buffer.from(s, 'latin1')) };
}

/** A port on which nothing listens right now (bound, then released). */
export async function unusedPort(address = '127.0.0.1'): Promise<number> {
  const l = await listenDns(() => null, { address });
  const port = l.port;
  await l.stop();
  return port;
}

export async function ipv6Available(): Promise<boolean> {
  try {
    const l = await listenDns(() => null, { address: '::1' });
    await l.stop();
    return true;
  } catch {
    return false;
  }
}
