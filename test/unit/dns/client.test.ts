import { execFile } from 'child_process';
import * as dnsPacket from 'dns-packet';
import { join } from 'path';
import { promisify } from 'util';
import { attemptTimeout, totalBudget } from '../../../src/adapters/dns/backoff';
import { DnsClient } from '../../../src/adapters/dns/client';
import { txtStrings } from '../../../src/adapters/dns/packet';
import type { DnsRecord } from '../../../src/adapters/dns/types';
import { isFixEmailAuthError } from '../../../src/errors';
import { listenDns, type DnsListener } from '../../../src/simulator/dnsAnswerer/server';
import { ipv6Available, makeZone, reply, serveZones, txtAnswer, unusedPort } from './helpers';

type Txt = Extract<DnsRecord, { type: 'TXT' }>;
const txtOf = (records: DnsRecord[]) => records.filter((r): r is Txt => r.type === 'TXT');

const zone = makeZone('example.com', '2024060101', [
  ['@', 3600, 'NS', 'ns1.example.com.'],
  ['@', 3600, 'MX', '10', 'mail.example.com.'],
  ['_mailchannels', 300, 'TXT', 'v=mc1 auth=webhostingm'],
  ['binary', 300, 'TXT', 'caf\xe9 \xff\x00end'],
  // Twelve strings of 255 bytes (about 3 KB): over 512 bytes, under 4096.
  ['big', 300, 'TXT', ...Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(255))],
  // 240 × 255 bytes ≈ 60 KB in one record: only TCP can carry it.
  ['huge', 300, 'TXT', ...Array.from({ length: 240 }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(255))],
  ['a.b.deep', 300, 'A', '192.0.2.7'],
]);

describe('DnsClient against the loopback answerer', () => {
  let server: Awaited<ReturnType<typeof serveZones>>;
  let client: DnsClient;
  beforeAll(async () => {
    server = await serveZones([zone]);
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    client = new DnsClient();
  });
  afterEach(() => client.close());

  const at = () => ({ address: server.address, port: server.port });

  test('when a TXT record is asked for, then the answer is authoritative with its TTL and strings', async () => {
    const answer = await client.query(at(), '_mailchannels.example.com', 'TXT');
    expect(answer.rcode).toBe('NOERROR');
    expect(answer.flags.aa).toBe(true);
    expect(answer.flags.tc).toBe(false);
    expect(answer.transport).toBe('udp');
    const [txt] = txtOf(answer.answers);
    expect(txt?.name).toBe('_mailchannels.example.com');
    expect(txt?.ttl).toBe(300);
    expect(txt && txtStrings(txt)).toEqual(['v=mc1 auth=webhostingm']);
  });

  test('when TXT bytes are not ASCII, then the exact bytes come back', async () => {
    const answer = await client.query(at(), 'binary.example.com', 'TXT');
    const [txt] = txtOf(answer.answers);
    expect(txt?.data[0]).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x00, 0x65, 0x6e, 0x64]));
  });

  test('when the name is asked in upper case with a final dot, then the answer still matches', async () => {
    const answer = await client.query(at(), '_MailChannels.Example.COM.', 'TXT');
    expect(txtOf(answer.answers)).toHaveLength(1);
  });

  test('when an SOA and an MX are asked for, then they come back structured, the serial as a string', async () => {
    const soa = await client.query(at(), 'example.com', 'SOA');
    const record = soa.answers[0];
    expect(record?.type === 'SOA' && record.data).toEqual({
      mname: 'ns1.example.com',
      rname: 'hostmaster.example.com',
      serial: '2024060101',
      refresh: 3600,
      retry: 1800,
      expire: 1209600,
      minimum: 300,
    });
    const mx = await client.query(at(), 'example.com', 'MX');
    expect(mx.answers.map((r) => r.type === 'MX' && r.data)).toEqual([{ preference: 10, exchange: 'mail.example.com' }]);
  });

  test('when the name does not exist, then NXDOMAIN comes back as data with the SOA in authority', async () => {
    const answer = await client.query(at(), 'nope.example.com', 'TXT');
    expect(answer.rcode).toBe('NXDOMAIN');
    expect(answer.answers).toEqual([]);
    expect(answer.authority.map((r) => r.type)).toEqual(['SOA']);
    // RFC 2308 §3: the negative TTL is min(SOA TTL 3600, MINIMUM 300).
    expect(answer.authority[0]?.ttl).toBe(300);
  });

  test('when the name exists without that type, or only has names below it, then NODATA (NOERROR, no answers)', async () => {
    const nodata = await client.query(at(), '_mailchannels.example.com', 'A');
    expect([nodata.rcode, nodata.answers.length, nodata.authority[0]?.type]).toEqual(['NOERROR', 0, 'SOA']);
    const emptyNonTerminal = await client.query(at(), 'b.deep.example.com', 'A');
    expect([emptyNonTerminal.rcode, emptyNonTerminal.answers.length]).toEqual(['NOERROR', 0]);
  });

  test('when the name is outside the served zones, then REFUSED comes back as data, not authoritative', async () => {
    const answer = await client.query(at(), 'example.org', 'TXT');
    expect(answer.rcode).toBe('REFUSED');
    expect(answer.flags.aa).toBe(false);
  });

  test('when the answer does not fit in 512 bytes without EDNS, then the client retries over TCP and gets it all', async () => {
    const before = { ...server.stats };
    const answer = await client.query(at(), 'big.example.com', 'TXT', { edns: false });
    expect(answer.transport).toBe('tcp');
    expect(answer.flags.tc).toBe(false);
    expect(txtOf(answer.answers)[0]?.data).toHaveLength(12);
    expect(server.stats.udp - before.udp).toBe(1);
    expect(server.stats.tcp - before.tcp).toBe(1);
  });

  test('when EDNS offers 4096 bytes, then a 3 KB answer arrives over UDP without truncation', async () => {
    const answer = await client.query(at(), 'big.example.com', 'TXT');
    expect(answer.transport).toBe('udp');
    expect(answer.ednsUdpSize).toBe(4096);
    expect(txtOf(answer.answers)[0]?.data.map((b) => b.length)).toEqual(Array(12).fill(255));
  });

  test('when a TXT answer is about 64 KB, then it arrives whole over TCP', async () => {
    const answer = await client.query(at(), 'huge.example.com', 'TXT');
    expect(answer.transport).toBe('tcp');
    const strings = txtOf(answer.answers)[0]?.data ?? [];
    expect(strings).toHaveLength(240);
    expect(Buffer.concat(strings).length).toBe(240 * 255);
    expect(strings[239]?.toString('latin1')).toBe('F'.repeat(255));
  });

  test('when asked to use TCP, then UDP is skipped', async () => {
    const before = { ...server.stats };
    const answer = await client.query(at(), '_mailchannels.example.com', 'TXT', { tcp: true });
    expect(answer.transport).toBe('tcp');
    expect(server.stats.udp).toBe(before.udp);
  });

  test('when 300 queries are made with at most 8 in flight, then all are answered on a few sockets', async () => {
    const limited = new DnsClient({ maxInFlight: 8, socketsPerServer: 2 });
    try {
      const names = Array.from({ length: 300 }, (_, i) => (i % 2 ? '_mailchannels.example.com' : 'nope.example.com'));
      const answers = await Promise.all(names.map((n) => limited.query(at(), n, 'TXT')));
      expect(answers.map((a) => a.rcode)).toEqual(names.map((n) => (n.startsWith('nope') ? 'NXDOMAIN' : 'NOERROR')));
      expect(limited.openSockets).toBeLessThanOrEqual(2);
    } finally {
      limited.close();
    }
    expect(limited.openSockets).toBe(0);
  });

  test('when the server address is a host name, then the query fails with DNS_ERROR before sending', async () => {
    await expect(client.query({ address: 'ns1.example.com' }, 'example.com', 'SOA')).rejects.toMatchObject({ code: 'DNS_ERROR' });
  });

  test('when the name has a label over 63 bytes, then the query fails with DNS_ERROR', async () => {
    await expect(client.query(at(), `${'x'.repeat(64)}.example.com`, 'TXT')).rejects.toMatchObject({ code: 'DNS_ERROR' });
  });
});

describe('DnsClient against hand-built servers', () => {
  const servers: DnsListener[] = [];
  let client: DnsClient;
  beforeEach(() => {
    client = new DnsClient();
  });
  afterEach(async () => {
    client.close();
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  async function serve(handler: Parameters<typeof listenDns>[0], address?: string) {
    const s = await listenDns(handler, address ? { address } : {});
    servers.push(s);
    return s;
  }

  test('when forged packets (wrong ID, wrong question) arrive first, then they are ignored and the real answer wins', async () => {
    const s = await serve((msg) => {
      const q = dnsPacket.decode(msg);
      const name = q.questions?.[0]?.name ?? '';
      return [
        reply(q, { id: ((q.id ?? 0) + 1) & 0xffff, answers: [txtAnswer(name, 'forged: wrong id')] }),
        reply(q, { name: 'other.example.com', answers: [txtAnswer('other.example.com', 'forged: wrong question')] }),
        reply(q, { answers: [txtAnswer(name, 'genuine')] }),
      ];
    });
    const answer = await client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT');
    expect(txtOf(answer.answers).map(txtStrings)).toEqual([['genuine']]);
  });

  test('when only forged packets arrive, then the query times out', async () => {
    const s = await serve((msg) => {
      const q = dnsPacket.decode(msg);
      return reply(q, { id: ((q.id ?? 0) + 1) & 0xffff });
    });
    await expect(
      client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT', { timeoutMs: 20, retries: 0 }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  test('when the server stays silent, then the datagram is sent 1 + retries times and the query fails with TIMEOUT', async () => {
    const s = await serve(() => null);
    const err = await client
      .query({ address: s.address, port: s.port }, 'x.example.com', 'TXT', { timeoutMs: 20, retries: 2 })
      .catch((e: unknown) => e);
    expect(isFixEmailAuthError(err, 'TIMEOUT')).toBe(true);
    expect(s.stats.udp).toBe(3);
    expect(client.openSockets).toBeLessThanOrEqual(1);
  });

  test('when the first datagram is lost, then the retransmission is answered', async () => {
    let seen = 0;
    const s = await serve((msg) =>
      ++seen === 1 ? null : reply(dnsPacket.decode(msg), { answers: [txtAnswer('x.example.com', 'second time')] }),
    );
    const answer = await client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT', { timeoutMs: 50, retries: 3 });
    expect(txtOf(answer.answers).map(txtStrings)).toEqual([['second time']]);
    expect(s.stats.udp).toBe(2);
  });

  test('when the server answers SERVFAIL, then SERVFAIL comes back as data', async () => {
    const s = await serve((msg) => reply(dnsPacket.decode(msg), { rcode: 2, aa: false }));
    const answer = await client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT');
    expect([answer.rcode, answer.flags.aa]).toEqual(['SERVFAIL', false]);
  });

  test('when UDP says truncated, then the TCP answer is used', async () => {
    const s = await serve((msg, transport) => {
      const q = dnsPacket.decode(msg);
      return transport === 'udp' ? reply(q, { tc: true }) : reply(q, { answers: [txtAnswer('x.example.com', 'via tcp')] });
    });
    const answer = await client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT');
    expect(answer.transport).toBe('tcp');
    expect(txtOf(answer.answers).map(txtStrings)).toEqual([['via tcp']]);
  });

  test('when nothing listens on the port, then the query fails with DNS_ERROR, not a hang', async () => {
    const port = await unusedPort();
    await expect(
      client.query({ address: '127.0.0.1', port }, 'x.example.com', 'TXT', { timeoutMs: 5000, retries: 0 }),
    ).rejects.toMatchObject({ code: 'DNS_ERROR' });
  });

  test('when the query is aborted, then it fails with DNS_ERROR and frees its socket slot', async () => {
    const s = await serve(() => null);
    const controller = new AbortController();
    const pending = client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT', {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'DNS_ERROR' });
  });

  test('when the client is closed with a query waiting, then the query fails and no socket stays open', async () => {
    const s = await serve(() => null);
    const pending = client.query({ address: s.address, port: s.port }, 'x.example.com', 'TXT', { timeoutMs: 10_000 });
    await new Promise((r) => setImmediate(r));
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'DNS_ERROR' });
    expect(client.openSockets).toBe(0);
  });

  test('when a query is waiting and nothing else runs, then the process stays alive until it settles', async () => {
    const s = await serve(() => null);
    // A child process whose only work is one query to a silent server: if the client let the event
    // loop go idle while waiting, the child would exit without printing anything.
    const script = [
      `const ts = require('typescript'); const fs = require('fs');`,
      `require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText, f);`,
      `const { query } = require(${JSON.stringify(require.resolve('../../../src/adapters/dns/client'))});`,
      `query({ address: '127.0.0.1', port: ${s.port} }, 'x.example.com', 'TXT', { timeoutMs: 50, retries: 1 }).then(() => console.log('answered'), (e) => console.log(e.code));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: join(__dirname, '../../..') });
    expect(stdout.trim()).toBe('TIMEOUT');
    expect(s.stats.udp).toBe(2);
  });

  test('when the server is on IPv6 loopback, then queries work over UDP and TCP', async () => {
    if (!(await ipv6Available())) return; // no ::1 on this machine: nothing to test
    const s = await serve(
      (msg, transport) => reply(dnsPacket.decode(msg), { answers: [txtAnswer('x.example.com', `v6 ${transport}`)] }),
      '::1',
    );
    const udp = await client.query({ address: '::1', port: s.port }, 'x.example.com', 'TXT');
    const tcp = await client.query({ address: '::1', port: s.port }, 'x.example.com', 'TXT', { tcp: true });
    expect([udp, tcp].map((a) => txtOf(a.answers).map(txtStrings))).toEqual([[['v6 udp']], [['v6 tcp']]]);
  });
});

describe('backoff', () => {
  test('when there are three attempts, then each waits twice as long as the one before and TCP gets their sum', () => {
    expect([0, 1, 2].map((i) => attemptTimeout(100, i))).toEqual([100, 200, 400]);
    expect(totalBudget(100, 3)).toBe(700);
  });
});
