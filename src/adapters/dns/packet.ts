/**
 * Building queries and matching responses, in the shapes of `types.ts`. Pure functions: no sockets
 * here, so the matching rules are testable with hand-built packets (tests build them with dns-packet).
 */
import { randomFillSync } from 'crypto';
import { encodeQuery, typeCode } from './queryEncoder';
import { decodeAnswerTo, type DecodedResponse } from './responseDecoder';
import type { DnsAnswer, DnsRecord, RecordType } from './types';

/** The UDP payload size we offer in EDNS(0); 4096 is the common default (RFC 6891 §6.2.5). */
export const EDNS_UDP_SIZE = 4096;

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
  const id = (randomPool[randomOffset]! << 8) | randomPool[randomOffset + 1]!;
  randomOffset += 2;
  return id;
}

/**
 * Lower-case (ASCII only: DNS names compare case-insensitively in ASCII, RFC 4343) and drop one
 * trailing dot: the form in which names are compared and reported.
 */
export function canonicalName(name: string): string {
  const lower = /[A-Z]/.test(name) ? name.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : name;
  return lower.length > 1 && lower.charCodeAt(lower.length - 1) === 0x2e ? lower.slice(0, -1) : lower;
}

export interface BuiltQuery {
  id: number;
  /** The name as it will read back from the wire: canonical, one char per byte. */
  name: string;
  type: string;
  typeCode: number;
  packet: Buffer;
  /** The question section as sent (QNAME, QTYPE, QCLASS): a response must repeat it. */
  question: Buffer;
}

/** Labels of 1–63 bytes, 255 bytes in all on the wire (RFC 1035 §2.3.4); throws a RangeError otherwise. */
export function assertValidName(name: string): void {
  encodeQuery(0, name, 1, { edns: false, recursionDesired: false, ednsUdpSize: 0 });
}

export function buildQuery(
  id: number,
  name: string,
  type: RecordType,
  opts: { edns?: boolean; recursionDesired?: boolean } = {},
): BuiltQuery {
  const upper = type.toUpperCase();
  const code = typeCode(upper);
  if (code === null) throw new RangeError(`unknown record type ${JSON.stringify(type)}`);
  const packet = encodeQuery(id, name, code, {
    edns: opts.edns !== false,
    recursionDesired: opts.recursionDesired === true,
    ednsUdpSize: EDNS_UDP_SIZE,
  });
  // A non-ASCII name goes out as UTF-8 and comes back byte by byte: compare it in that form.
  const wireName = /[^\x00-\x7f]/.test(name) ? Buffer.from(name, 'utf8').toString('latin1') : name;
  const questionLength = packet.length - 12 - (opts.edns !== false ? 11 : 0);
  return { id, name: canonicalName(wireName), type: upper, typeCode: code, packet, question: packet.subarray(12, 12 + questionLength) };
}

/**
 * Decode a datagram and decide whether it answers `query`. Anything that is not a response to our
 * ID and exact question is dropped, not an error: a forged or late packet for another query must
 * never complete this one (RFC 5452 §3). Malformed packets are dropped the same way.
 */
export function matchResponse(raw: Buffer, query: BuiltQuery): DecodedResponse | null {
  if (raw.length < 12 || ((raw[0]! << 8) | raw[1]!) !== query.id) return null;
  try {
    return decodeAnswerTo(raw, query.question, query.name);
  } catch {
    return null;
  }
}

export function toDnsAnswer(
  decoded: DecodedResponse,
  query: BuiltQuery,
  server: { address: string; port: number },
  transport: 'udp' | 'tcp',
): DnsAnswer {
  const f = decoded.flags;
  return {
    server,
    question: { name: query.name, type: query.type },
    rcode: decoded.rcode,
    flags: { aa: f.aa, tc: f.tc, rd: f.rd, ra: f.ra, ad: f.ad, cd: f.cd },
    answers: decoded.answers,
    authority: decoded.authority,
    additional: decoded.additional,
    ednsUdpSize: decoded.ednsUdpSize,
    transport,
  };
}

/** TXT character-strings as binary strings (one JS char per byte, the zone model's convention). */
export function txtStrings(record: Extract<DnsRecord, { type: 'TXT' }>): string[] {
  return record.data.map((b) => b.toString('latin1'));
}
