/**
 * Reading a response message (RFC 1035 §4.1) straight into our record shapes. Written by hand
 * rather than through a general decoder because it runs once per answer in bulk scans, and because
 * it keeps bytes exact: owner names and TXT strings are read as bytes (names lower-cased in ASCII
 * only, RFC 4343), never through a UTF-8 decoder that would replace invalid bytes.
 *
 * Safety: every read is bounds-checked; compression pointers must point strictly backwards (no
 * loops, RFC 1035 §4.1.4); names are limited to 255 bytes. A malformed packet throws a RangeError.
 */
import { rrTypeName } from '../../zone/rrTypes';
import type { DnsRecord, ResponseCode } from './types';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

export interface DecodedResponse {
  id: number;
  rcode: ResponseCode;
  flags: { qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };
  question: { name: string; type: number; class: number } | null;
  questionCount: number;
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  ednsUdpSize: number | null;
}

function need(buf: Buffer, offset: number, length: number): void {
  if (offset + length > buf.length) throw new RangeError('DNS message ends in the middle of a field');
}

/**
 * Big-endian reads by indexing rather than Buffer's read methods, which add argument checks per call
 * (costly before the JIT has warmed up). Callers check bounds first with `need`.
 */
function u16(buf: Buffer, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}
function u32(buf: Buffer, at: number): number {
  return buf[at]! * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
}

/** ASCII-only lower-casing (RFC 4343 §3): bytes above 0x7f stay exactly as they are. */
function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

/**
 * Names already read in this message, by the offset they start at, with every suffix: answers
 * almost always point back into the question name (RFC 1035 §4.1.4), so most owner names cost
 * one lookup instead of a walk. Rebuilt per message (decoding is synchronous, never re-entered).
 */
const knownOffsets: number[] = [];
const knownNames: string[] = [];
/** The message `knownOffsets` belong to. */
let knownFor: Buffer | null = null;

/** Where the name read by the last `readName` ended (one past it): a module variable, not an object per call. */
let nameEnd = 0;

/** A (possibly compressed) name at `offset`, without the trailing dot ('.' for the root). Sets `nameEnd`. */
function readName(buf: Buffer, offset: number, remember = false): string {
  let name = '';
  let wire = 1;
  let end = -1;
  let pos = offset;
  let lowestJump = offset;
  let suffix: string | null = null;
  const starts: number[] | null = remember ? [] : null;
  for (;;) {
    if (pos >= buf.length) throw new RangeError('DNS message ends in the middle of a name');
    const len = buf[pos]!;
    if (len === 0) {
      if (end === -1) end = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      need(buf, pos, 2);
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      // Strictly backwards from every place we have been: no pointer loops.
      if (target >= lowestJump) throw new RangeError('DNS name compression pointer does not point backwards');
      if (end === -1) end = pos + 2;
      const known = knownOffsets.indexOf(target);
      if (known !== -1) {
        suffix = knownNames[known]!;
        break;
      }
      lowestJump = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new RangeError('DNS name has an unknown label type');
    need(buf, pos + 1, len);
    wire += len + 1;
    if (wire > 255) throw new RangeError('DNS name longer than 255 bytes');
    if (starts) starts.push(pos, name.length);
    const label = buf.toString('latin1', pos + 1, pos + 1 + len);
    name = name === '' ? label : `${name}.${label}`;
    pos += len + 1;
  }
  nameEnd = end;
  if (suffix !== null) {
    if (wire - 1 + suffix.length + 2 > 255) throw new RangeError('DNS name longer than 255 bytes');
    name = name === '' ? suffix : `${asciiLower(name)}.${suffix}`;
  } else name = name === '' ? '.' : asciiLower(name);
  if (starts) {
    // Every label start of this name begins a suffix later names may point to.
    for (let i = 0; i < starts.length; i += 2) {
      const cut = starts[i + 1]!;
      knownOffsets.push(starts[i]!);
      knownNames.push(cut === 0 ? name : name.slice(cut + 1));
    }
  }
  return name;
}

function ipv4(buf: Buffer, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** RFC 5952 text form: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function ipv6(buf: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(buf, offset + i * 2));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function className(code: number): string {
  return code === 1 ? 'IN' : code === 3 ? 'CH' : code === 4 ? 'HS' : `CLASS${code}`;
}

/** One resource record at `offset`; OPT comes back as `{ opt: udpSize }`. */
/** A name inside RDATA that must end within the record (`end`). */
function nameWithin(buf: Buffer, at: number, end: number): string {
  const name = readName(buf, at);
  if (nameEnd > end) throw new RangeError('DNS name runs past its record');
  return name;
}

/** Where the record read by the last `readRecord` ended, and its OPT payload size when it was OPT. */
let recordEnd = 0;
let recordOpt: number | null = null;

/** One resource record at `offset`, or null for the OPT pseudo-record (its size goes to `recordOpt`). */
function readRecord(buf: Buffer, offset: number): DnsRecord | null {
  const name = readName(buf, offset);
  let pos = nameEnd;
  need(buf, pos, 10);
  const type = u16(buf, pos);
  const cls = u16(buf, pos + 2);
  const ttl = u32(buf, pos + 4);
  const rdlen = u16(buf, pos + 8);
  pos += 10;
  need(buf, pos, rdlen);
  const end = pos + rdlen;
  recordEnd = end;
  recordOpt = null;
  if (type === 41) {
    recordOpt = cls;
    return null;
  }
  const klass = className(cls);
  let record: DnsRecord;
  switch (type) {
    case 1:
      if (rdlen !== 4) throw new RangeError('A record is not 4 bytes');
      record = { name, ttl, class: klass, type: 'A', data: ipv4(buf, pos) };
      break;
    case 28:
      if (rdlen !== 16) throw new RangeError('AAAA record is not 16 bytes');
      record = { name, ttl, class: klass, type: 'AAAA', data: ipv6(buf, pos) };
      break;
    case 2:
    case 5:
    case 12:
      record = { name, ttl, class: klass, type: type === 2 ? 'NS' : type === 5 ? 'CNAME' : 'PTR', data: nameWithin(buf, pos, end) };
      break;
    case 15:
      need(buf, pos, 2);
      record = { name, ttl, class: klass, type: 'MX', data: { preference: u16(buf, pos), exchange: nameWithin(buf, pos + 2, end) } };
      break;
    case 16: {
      const strings: Buffer[] = [];
      let at = pos;
      while (at < end) {
        const len = buf[at]!;
        if (at + 1 + len > end) throw new RangeError('TXT character-string runs past its record');
        // A view, not a copy: each datagram arrives in its own buffer, so nothing else is pinned.
        strings.push(buf.subarray(at + 1, at + 1 + len));
        at += 1 + len;
      }
      record = { name, ttl, class: klass, type: 'TXT', data: strings };
      break;
    }
    case 6: {
      const mname = nameWithin(buf, pos, end);
      const rname = nameWithin(buf, nameEnd, end);
      const at = nameEnd;
      if (at + 20 > end) throw new RangeError('SOA record too short');
      record = {
        name,
        ttl,
        class: klass,
        type: 'SOA',
        data: {
          mname,
          rname,
          serial: String(u32(buf, at)),
          refresh: u32(buf, at + 4),
          retry: u32(buf, at + 8),
          expire: u32(buf, at + 12),
          minimum: u32(buf, at + 16),
        },
      };
      break;
    }
    case 33:
      if (rdlen < 7) throw new RangeError('SRV record too short');
      record = {
        name,
        ttl,
        class: klass,
        type: 'SRV',
        data: { priority: u16(buf, pos), weight: u16(buf, pos + 2), port: u16(buf, pos + 4), target: nameWithin(buf, pos + 6, end) },
      };
      break;
    case 257: {
      if (rdlen < 2) throw new RangeError('CAA record too short');
      const tagLen = buf[pos + 1]!;
      if (pos + 2 + tagLen > end) throw new RangeError('CAA tag runs past its record');
      record = {
        name,
        ttl,
        class: klass,
        type: 'CAA',
        data: {
          flags: buf[pos]!,
          tag: buf.toString('latin1', pos + 2, pos + 2 + tagLen),
          value: buf.toString('utf8', pos + 2 + tagLen, end),
        },
      };
      break;
    }
    default:
      record = { name, ttl, class: klass, type: 'OTHER', rrtype: rrTypeName(type), data: Buffer.from(buf.subarray(pos, end)) };
  }
  return record;
}

function readSection(buf: Buffer, offset: number, count: number, into: DnsRecord[]): number {
  let pos = offset;
  for (let i = 0; i < count; i++) {
    const record = readRecord(buf, pos);
    if (record) into.push(record);
    else ednsSeen = recordOpt;
    pos = recordEnd;
  }
  return pos;
}

/** The header and question only: enough to decide whether a packet answers our query. */
export function decodeHead(
  buf: Buffer,
): Pick<DecodedResponse, 'id' | 'rcode' | 'flags' | 'question' | 'questionCount'> & { questionEnd: number } {
  need(buf, 0, 12);
  const flags = u16(buf, 2);
  const questionCount = u16(buf, 4);
  let question: DecodedResponse['question'] = null;
  let questionEnd = 12;
  knownOffsets.length = 0;
  knownNames.length = 0;
  knownFor = buf;
  if (questionCount >= 1) {
    const name = readName(buf, 12, true);
    need(buf, nameEnd, 4);
    question = { name, type: u16(buf, nameEnd), class: u16(buf, nameEnd + 2) };
    questionEnd = nameEnd + 4;
  }
  return {
    id: u16(buf, 0),
    rcode: RCODES[flags & 0xf] ?? `RCODE${flags & 0xf}`,
    flags: flagsOf(flags),
    question,
    questionCount,
    questionEnd,
  };
}

/** Header fields from the 16-bit flags word. */
function flagsOf(flags: number): DecodedResponse['flags'] {
  return {
    qr: (flags & 0x8000) !== 0,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
  };
}

/** Byte-wise equality with ASCII letters folded (RFC 4343): `buf[at…]` against `expected`. */
function equalFolded(buf: Buffer, at: number, expected: Buffer): boolean {
  if (at + expected.length > buf.length) return false;
  // Servers echo the question exactly (RFC 1035 §7.3); the byte loop only runs when case differs.
  if (buf.compare(expected, 0, expected.length, at, at + expected.length) === 0) return true;
  for (let i = 0; i < expected.length; i++) {
    let a = buf[at + i]!;
    let b = expected[i]!;
    if (a >= 0x41 && a <= 0x5a) a |= 0x20;
    if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    if (a !== b) return false;
  }
  return true;
}

/**
 * The response to a query we sent, or null when `buf` is not one: it must be a response (QR) with
 * exactly our question — the same bytes as the question section we sent (`question`: QNAME, QTYPE,
 * QCLASS), letters compared case-insensitively. The question is not decoded at all: its name is
 * the one we asked (`name`, canonical), and its suffixes serve the answers' compression pointers.
 * Throws a RangeError when the record sections are malformed (and TC is not set).
 */
export function decodeAnswerTo(buf: Buffer, question: Buffer, name: string): DecodedResponse | null {
  if (buf.length < 12) return null;
  const flags = u16(buf, 2);
  if ((flags & 0x8000) === 0 || u16(buf, 4) !== 1 || !equalFolded(buf, 12, question)) return null;
  knownOffsets.length = 0;
  knownNames.length = 0;
  knownFor = buf;
  // Our own QNAME: labels never contain dots, so the n-th label start begins the n-th suffix of `name`.
  let pos = 12;
  let cut = 0;
  while (buf[pos] !== 0 && cut !== -1) {
    knownOffsets.push(pos);
    knownNames.push(cut === 0 ? name : name.slice(cut));
    pos += buf[pos]! + 1;
    const dot = name.indexOf('.', cut);
    cut = dot === -1 ? -1 : dot + 1;
  }
  const head = {
    id: u16(buf, 0),
    rcode: RCODES[flags & 0xf] ?? `RCODE${flags & 0xf}`,
    flags: flagsOf(flags),
    question: { name, type: u16(question, question.length - 4), class: u16(question, question.length - 2) },
    questionCount: 1,
    questionEnd: 12 + question.length,
  };
  return decodeResponse(buf, head);
}

/** The EDNS payload size seen in the message being decoded (module state: decoding is synchronous). */
let ednsSeen: number | null = null;

/**
 * The whole response. A truncated (TC) response whose record sections cannot be read is returned
 * with empty sections: its only use is to say "ask again over TCP" (RFC 2181 §9).
 */
export function decodeResponse(buf: Buffer, head?: ReturnType<typeof decodeHead>): DecodedResponse {
  // The name cache must describe this very message: read the head again unless it was just read.
  if (!head || knownFor !== buf) head = decodeHead(buf);
  const answers: DnsRecord[] = [];
  const authority: DnsRecord[] = [];
  const additional: DnsRecord[] = [];
  ednsSeen = null;
  let pos = head.questionEnd;
  // Skip any further questions (we never send more than one; a server echoing more is odd but legal).
  for (let i = 1; i < head.questionCount; i++) {
    readName(buf, pos);
    pos = nameEnd + 4;
  }
  try {
    pos = readSection(buf, pos, u16(buf, 6), answers);
    pos = readSection(buf, pos, u16(buf, 8), authority);
    readSection(buf, pos, u16(buf, 10), additional);
  } catch (err) {
    if (!head.flags.tc) throw err;
    return { ...head, answers: [], authority: [], additional: [], ednsUdpSize: null };
  }
  return {
    id: head.id,
    rcode: head.rcode,
    flags: head.flags,
    question: head.question,
    questionCount: head.questionCount,
    answers,
    authority,
    additional,
    ednsUdpSize: ednsSeen,
  };
}
