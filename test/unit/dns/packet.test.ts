import * as dnsPacket from 'dns-packet';
import { assertValidName, buildQuery, matchResponse, toDnsAnswer } from '../../../src/adapters/dns/packet';
import { frame, unframe } from '../../../src/adapters/dns/tcp';

const query = buildQuery(0x1234, '_mailchannels.Example.com.', 'TXT');

function response(overrides: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: 0x1234,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ name: '_mailchannels.example.com', type: 'TXT', class: 'IN' }],
    answers: [{ type: 'TXT', name: '_mailchannels.example.com', ttl: 300, data: [Buffer.from('v=mc1 auth=webhostingm')] }],
    ...overrides,
  });
}

describe('buildQuery', () => {
  test('when built, then the packet carries the ID, no RD by default, and an EDNS OPT offering 4096 bytes', () => {
    const decoded = dnsPacket.decode(query.packet);
    expect([decoded.id, decoded.flag_rd, decoded.questions?.[0]?.name, decoded.questions?.[0]?.type]).toEqual([
      0x1234,
      false,
      '_mailchannels.Example.com',
      'TXT',
    ]);
    expect(decoded.additionals?.[0]).toMatchObject({ type: 'OPT', udpPayloadSize: 4096 });
    expect(query.name).toBe('_mailchannels.example.com');
  });

  test('when EDNS is off and recursion is wanted, then there is no OPT and RD is set', () => {
    const decoded = dnsPacket.decode(buildQuery(1, 'example.com', 'A', { edns: false, recursionDesired: true }).packet);
    expect([decoded.additionals?.length, decoded.flag_rd]).toEqual([0, true]);
  });
});

describe('matchResponse', () => {
  test('when the ID and question match, then the response is accepted (name case-insensitively)', () => {
    expect(matchResponse(response(), query)).not.toBeNull();
  });

  test.each<[string, Buffer]>([
    ['another ID', response({ id: 0x1235 })],
    ['another name', response({ questions: [{ name: 'other.example.com', type: 'TXT', class: 'IN' }] })],
    ['another type', response({ questions: [{ name: '_mailchannels.example.com', type: 'A', class: 'IN' }] })],
    ['no question', response({ questions: [] })],
    ['a query, not a response', response({ type: 'query' })],
    ['garbage after a matching ID', Buffer.concat([Buffer.from([0x12, 0x34]), Buffer.alloc(20, 0xff)])],
    ['a short packet', Buffer.from([0x12, 0x34, 0x80])],
  ])('when a packet has %s, then it is ignored', (_what, packet) => {
    expect(matchResponse(packet, query)).toBeNull();
  });

  test('when converted, then TXT strings stay Buffers and rcode/flags are reported', () => {
    const decoded = matchResponse(response({ flags: dnsPacket.AUTHORITATIVE_ANSWER | 3 }), query)!;
    const answer = toDnsAnswer(decoded, query, { address: '127.0.0.1', port: 53 }, 'udp');
    expect([answer.rcode, answer.flags.aa, answer.ednsUdpSize]).toEqual(['NXDOMAIN', true, null]);
    expect(answer.answers[0]).toMatchObject({ type: 'TXT', ttl: 300, data: [Buffer.from('v=mc1 auth=webhostingm')] });
  });
});

describe('assertValidName', () => {
  test('when labels are too long, empty, or the name exceeds 255 bytes, then it throws', () => {
    expect(() => assertValidName(`${'a'.repeat(64)}.com`)).toThrow(RangeError);
    expect(() => assertValidName('a..com')).toThrow(RangeError);
    expect(() => assertValidName(Array(5).fill('a'.repeat(63)).join('.'))).toThrow(RangeError);
    expect(() => assertValidName(`${'a'.repeat(63)}.example.com.`)).not.toThrow();
    expect(() => assertValidName('.')).not.toThrow();
  });
});

describe('TCP framing', () => {
  test('when messages arrive split and glued together, then unframe returns whole ones and keeps the rest', () => {
    const a = Buffer.from('first message');
    const b = Buffer.from('second');
    const stream = Buffer.concat([frame(a), frame(b)]);
    const partial = unframe(stream.subarray(0, stream.length - 3));
    expect(partial.messages.map(String)).toEqual(['first message']);
    const rest = unframe(Buffer.concat([partial.rest, stream.subarray(stream.length - 3)]));
    expect([rest.messages.map(String), rest.rest.length]).toEqual([['second'], 0]);
  });
});
