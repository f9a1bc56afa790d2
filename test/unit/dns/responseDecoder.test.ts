import * as dnsPacket from 'dns-packet';
import { decodeHead, decodeResponse } from '../../../src/adapters/dns/responseDecoder';

/** Header: id 0x0102, QR+AA (+TC), counts as given. */
function header(counts: [number, number, number, number], tc = false): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(0x0102, 0);
  h.writeUInt16BE(0x8400 | (tc ? 0x0200 : 0), 2);
  counts.forEach((c, i) => h.writeUInt16BE(c, 4 + i * 2));
  return h;
}
function labels(...parts: string[]): Buffer {
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([Buffer.byteLength(p, 'latin1')]), Buffer.from(p, 'latin1')])),
    Buffer.from([0]),
  ]);
}
const pointer = (offset: number) => Buffer.from([0xc0 | (offset >> 8), offset & 0xff]);
function rr(owner: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}
const question = (name: Buffer, type: number) => Buffer.concat([name, Buffer.from([0, type, 0, 1])]);

describe('decodeResponse', () => {
  // Question "Mail.Example.COM MX" at offset 12: labels start at 12 (mail), 17 (example), 25 (com).
  const qname = labels('Mail', 'Example', 'COM');

  test('when owner and RDATA names are compressed into the question, then they read back whole and lower-cased', () => {
    const mxData = Buffer.concat([Buffer.from([0, 10]), labels('mx1').subarray(0, 4), pointer(17)]); // mx1 + ->example.com
    const msg = Buffer.concat([header([1, 1, 0, 0]), question(qname, 15), rr(pointer(12), 15, 300, mxData)]);
    const decoded = decodeResponse(msg);
    expect(decoded.question).toEqual({ name: 'mail.example.com', type: 15, class: 1 });
    expect(decoded.answers).toEqual([
      { name: 'mail.example.com', ttl: 300, class: 'IN', type: 'MX', data: { preference: 10, exchange: 'mx1.example.com' } },
    ]);
  });

  test('when a pointer points forward or at itself, then the packet is rejected (no loops)', () => {
    const selfLoop = Buffer.concat([
      header([1, 1, 0, 0]),
      question(qname, 16),
      rr(pointer(12 + qname.length + 4), 16, 1, Buffer.from([0])),
    ]);
    expect(() => decodeResponse(selfLoop)).toThrow(RangeError);
    const forward = Buffer.concat([
      header([1, 0, 0, 0]),
      question(Buffer.concat([labels('a').subarray(0, 2), pointer(40)]), 16),
      Buffer.alloc(40),
    ]);
    expect(() => decodeHead(forward)).toThrow(RangeError);
  });

  test('when a name has bytes above 0x7f and upper-case ASCII, then only the ASCII is lower-cased', () => {
    const msg = Buffer.concat([header([1, 0, 0, 0]), question(labels('CAF\xc9'), 16)]);
    expect(decodeResponse(msg).question?.name).toBe('caf\xc9');
  });

  test('when a name is longer than 255 bytes, then the packet is rejected', () => {
    const long = labels(...Array(5).fill('x'.repeat(60)));
    expect(() => decodeHead(Buffer.concat([header([1, 0, 0, 0]), question(long, 16)]))).toThrow(RangeError);
  });

  test('when a TXT character-string runs past its record, then the packet is rejected', () => {
    const bad = rr(pointer(12), 16, 1, Buffer.from([10, 0x61, 0x62]));
    expect(() => decodeResponse(Buffer.concat([header([1, 1, 0, 0]), question(qname, 16), bad]))).toThrow(RangeError);
  });

  test('when a truncated (TC) response is cut in the middle of a record, then it decodes with empty sections', () => {
    const full = Buffer.concat([
      header([1, 1, 0, 0], true),
      question(qname, 16),
      rr(pointer(12), 16, 1, Buffer.from([3, 0x61, 0x62, 0x63])),
    ]);
    const decoded = decodeResponse(full.subarray(0, full.length - 3));
    expect([decoded.flags.tc, decoded.answers]).toEqual([true, []]);
  });

  test.each([
    ['::1', '0000:0000:0000:0000:0000:0000:0000:0001'],
    ['2001:db8::', '2001:0db8:0000:0000:0000:0000:0000:0000'],
    ['2001:db8:0:1:1:1:1:1', '2001:0db8:0000:0001:0001:0001:0001:0001'],
    ['2001:db8::1:0:0:1', '2001:0db8:0000:0000:0001:0000:0000:0001'],
    ['::', '0000:0000:0000:0000:0000:0000:0000:0000'],
  ])('when an AAAA holds %s, then it is written in RFC 5952 form', (text, full) => {
    const bytes = Buffer.from(full.replace(/:/g, ''), 'hex');
    const msg = Buffer.concat([header([1, 1, 0, 0]), question(qname, 28), rr(pointer(12), 28, 60, bytes)]);
    expect(decodeResponse(msg).answers[0]).toMatchObject({ type: 'AAAA', data: text });
  });

  test('when dns-packet encodes a full response, then every section and the EDNS size decode to the same facts', () => {
    const msg = dnsPacket.encode({
      type: 'response',
      id: 7,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | 3,
      questions: [{ name: 'nx.example.com', type: 'TXT', class: 'IN' }],
      authorities: [
        {
          type: 'SOA',
          name: 'example.com',
          ttl: 300,
          data: { mname: 'ns1.example.com', rname: 'h.example.com', serial: 4294967295, refresh: 1, retry: 2, expire: 3, minimum: 4 },
        },
      ],
      additionals: [
        { type: 'A', name: 'ns1.example.com', ttl: 60, data: '192.0.2.1' },
        { type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] },
      ],
    });
    const d = decodeResponse(msg);
    expect([d.id, d.rcode, d.flags.aa, d.ednsUdpSize, d.answers.length]).toEqual([7, 'NXDOMAIN', true, 1232, 0]);
    expect(d.authority[0]).toEqual({
      name: 'example.com',
      ttl: 300,
      class: 'IN',
      type: 'SOA',
      data: { mname: 'ns1.example.com', rname: 'h.example.com', serial: '4294967295', refresh: 1, retry: 2, expire: 3, minimum: 4 },
    });
    expect(d.additional).toEqual([{ name: 'ns1.example.com', ttl: 60, class: 'IN', type: 'A', data: '192.0.2.1' }]);
  });
});
