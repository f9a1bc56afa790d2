/**
 * Building queries and reading responses with dns-packet, in the shapes of `types.ts`.
 * Pure functions: no sockets here, so the matching rules are testable with hand-built packets.
 */
import { randomFillSync } from 'crypto';
import * as dnsPacket from 'dns-packet';
import type { DnsAnswer, DnsRecord, RecordType } from './types';

/** The UDP payload size we offer in EDNS(0); 4096 is the common default (RFC 6891 §6.2.5). */
export const EDNS_UDP_SIZE = 4096;
/** Without EDNS a UDP response is at most 512 bytes (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;

/**
 * Query IDs must be unpredictable: they are half of what stops an off-path attacker from forging
 * an answer (RFC 5452 §4.3). Random bytes are drawn in blocks to keep per-query cost low.
 */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;
export function randomQueryId(): number {
  if (randomOffset + 2 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const id = randomPool.readUInt16BE(randomOffset);
  randomOffset += 2;
  return id;
}

/** Lower-case and drop one trailing dot: the form in which names are compared and reported. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}

export interface BuiltQuery {
  id: number;
  name: string;
  type: string;
  packet: Buffer;
}

/** Labels of 1–63 bytes, 255 bytes in all on the wire (RFC 1035 §2.3.4); throws a RangeError otherwise. */
export function assertValidName(name: string): void {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return; // the root
  let wire = 1;
  for (const label of trimmed.split('.')) {
    const len = Buffer.byteLength(label);
    if (len === 0) throw new RangeError(`empty label in ${JSON.stringify(name)}`);
    if (len > 63) throw new RangeError(`label longer than 63 bytes in ${JSON.stringify(name)}`);
    wire += len + 1;
  }
  if (wire > 255) throw new RangeError(`name longer than 255 bytes: ${JSON.stringify(name)}`);
}

export function buildQuery(id: number, name: string, type: RecordType, opts: { edns?: boolean; recursionDesired?: boolean } = {}): BuiltQuery {
  assertValidName(name);
  const packet = dnsPacket.encode({
    type: 'query',
    id,
    flags: opts.recursionDesired ? dnsPacket.RECURSION_DESIRED : 0,
    questions: [{ type: type as dnsPacket.RecordType, name, class: 'IN' }],
    additionals: opts.edns === false ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
  return { id, name: canonicalName(name), type: type.toUpperCase(), packet };
}

/** A decoded packet with the fields dns-packet sets but its type declarations omit. */
type Decoded = dnsPacket.DecodedPacket & { rcode?: string };

/**
 * Decode a datagram and decide whether it answers `query`. Anything that is not a response to our
 * ID and exact question is dropped, not an error: a forged or late packet for another query must
 * never complete this one (RFC 5452 §3).
 */
export function matchResponse(raw: Buffer, query: BuiltQuery): Decoded | null {
  if (raw.length < 12 || raw.readUInt16BE(0) !== query.id) return null;
  let decoded: Decoded;
  try {
    decoded = dnsPacket.decode(raw) as Decoded;
  } catch {
    return null;
  }
  if (!decoded.flag_qr) return null;
  const q = decoded.questions?.[0];
  if (decoded.questions?.length !== 1 || !q) return null;
  if (canonicalName(q.name) !== query.name || q.type !== query.type || (q.class ?? 'IN') !== 'IN') return null;
  return decoded;
}

function toRecord(a: dnsPacket.Answer): DnsRecord | null {
  if (a.type === 'OPT') return null;
  const base = { name: canonicalName(a.name), ttl: a.ttl ?? 0, class: a.class ?? 'IN' };
  switch (a.type) {
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return { ...base, type: a.type, data: a.type === 'A' || a.type === 'AAAA' ? a.data : canonicalName(a.data) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: a.data.preference ?? 0, exchange: canonicalName(a.data.exchange) } };
    case 'TXT': {
      const items = Array.isArray(a.data) ? a.data : [a.data];
      return { ...base, type: 'TXT', data: items.map((d) => (Buffer.isBuffer(d) ? d : Buffer.from(d, 'latin1'))) };
    }
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          mname: canonicalName(a.data.mname),
          rname: canonicalName(a.data.rname),
          serial: String(a.data.serial ?? 0),
          refresh: a.data.refresh ?? 0,
          retry: a.data.retry ?? 0,
          expire: a.data.expire ?? 0,
          minimum: a.data.minimum ?? 0,
        },
      };
    case 'SRV':
      return { ...base, type: 'SRV', data: { priority: a.data.priority ?? 0, weight: a.data.weight ?? 0, port: a.data.port, target: canonicalName(a.data.target) } };
    case 'CAA':
      return { ...base, type: 'CAA', data: { flags: a.data.flags ?? 0, tag: a.data.tag, value: a.data.value } };
    default:
      return { ...base, type: 'OTHER', rrtype: a.type, data: Buffer.isBuffer(a.data) ? a.data : Buffer.from(JSON.stringify(a.data)) };
  }
}

function toRecords(list: dnsPacket.Answer[] | undefined): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const a of list ?? []) {
    const r = toRecord(a);
    if (r) out.push(r);
  }
  return out;
}

export function toDnsAnswer(decoded: Decoded, query: BuiltQuery, server: { address: string; port: number }, transport: 'udp' | 'tcp'): DnsAnswer {
  const opt = decoded.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
  return {
    server,
    question: { name: query.name, type: query.type },
    rcode: decoded.rcode ?? 'NOERROR',
    flags: { aa: decoded.flag_aa, tc: decoded.flag_tc, rd: decoded.flag_rd, ra: decoded.flag_ra, ad: decoded.flag_ad, cd: decoded.flag_cd },
    answers: toRecords(decoded.answers),
    authority: toRecords(decoded.authorities),
    additional: toRecords(decoded.additionals),
    ednsUdpSize: opt ? opt.udpPayloadSize : null,
    transport,
  };
}

/** TXT character-strings as binary strings (one JS char per byte, the zone model's convention). */
export function txtStrings(record: Extract<DnsRecord, { type: 'TXT' }>): string[] {
  return record.data.map((b) => b.toString('latin1'));
}
