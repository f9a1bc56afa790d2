/**
 * DEMO ONLY. One DNS message in, one out: parse the query, look it up, encode the response and
 * truncate it for UDP when it does not fit (RFC 1035 §4.2.1: 512 bytes; RFC 6891 §6.2.3: the
 * requestor's EDNS payload size). A truncated UDP response carries the question and TC=1 and no
 * records, which RFC 2181 §9 allows; the client then asks over TCP.
 */
import * as dnsPacket from 'dns-packet';
import { lookup, type ZoneFinder } from './lookup';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const CLASSIC_UDP_LIMIT = 512;
const OUR_EDNS_SIZE = 4096;

type DecodedQuery = dnsPacket.DecodedPacket & { opcode?: string };

function header(id: number, rcode: number, opts: { aa?: boolean; tc?: boolean; rd?: boolean }): number {
  let flags = rcode;
  if (opts.aa) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (opts.tc) flags |= dnsPacket.TRUNCATED_RESPONSE;
  if (opts.rd) flags |= dnsPacket.RECURSION_DESIRED;
  return flags;
}

/** A bare FORMERR for a message we could not parse: only the ID survives (RFC 1035 §4.1.1). */
function formErr(raw: Buffer): Buffer | null {
  if (raw.length < 12) return null;
  const out = Buffer.alloc(12);
  raw.copy(out, 0, 0, 2);
  out.writeUInt16BE(0x8000 | RCODE.FORMERR, 2);
  return out;
}

export function respond(raw: Buffer, findZone: ZoneFinder, transport: 'udp' | 'tcp'): Buffer | null {
  let query: DecodedQuery;
  try {
    query = dnsPacket.decode(raw);
  } catch {
    return formErr(raw);
  }
  if (query.flag_qr) return null; // never answer a response: that is how reflection loops start
  const id = query.id ?? 0;
  const questions = query.questions ?? [];
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  const ednsOut: dnsPacket.Answer[] = opt
    ? [{ type: 'OPT', name: '.', udpPayloadSize: OUR_EDNS_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
    : [];
  const rd = query.flag_rd;

  const simple = (rcode: number) =>
    dnsPacket.encode({ type: 'response', id, flags: header(id, rcode, { rd }), questions, additionals: ednsOut });

  if (query.opcode !== undefined && query.opcode !== 'QUERY') return simple(RCODE.NOTIMP);
  const q = questions[0];
  if (questions.length !== 1 || !q) return simple(RCODE.FORMERR);
  if ((q.class ?? 'IN') !== 'IN') return simple(RCODE.REFUSED);

  const result = lookup(findZone, q.name, q.type);
  const response: dnsPacket.Packet = {
    type: 'response',
    id,
    flags: header(id, RCODE[result.rcode], { aa: result.authoritative, rd }),
    questions: [q],
    answers: result.answers,
    authorities: result.authorities,
    additionals: [...result.additionals, ...ednsOut],
  };
  const encoded = dnsPacket.encode(response);
  // The TCP length prefix is 16 bits (RFC 1035 §4.2.2): a bigger answer cannot be sent at all.
  if (encoded.length > 65535) return simple(RCODE.SERVFAIL);
  if (transport === 'tcp') return encoded;

  const limit = opt ? Math.max(CLASSIC_UDP_LIMIT, opt.udpPayloadSize) : CLASSIC_UDP_LIMIT;
  if (encoded.length <= limit) return encoded;
  return dnsPacket.encode({
    type: 'response',
    id,
    flags: header(id, RCODE[result.rcode], { aa: result.authoritative, tc: true, rd }),
    questions: [q],
    additionals: ednsOut,
  });
}
