/**
 * Our client, resolver and demo answerer against real PowerDNS (bind backend) over the same cPanel
 * zone file: PowerDNS is the reference the demo answerer must imitate.
 */
import { promises as dnsPromises } from 'dns';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DnsClient } from '../../../src/adapters/dns/client';
import { formatEndpoint } from '../../../src/adapters/dns/endpoint';
import { txtStrings } from '../../../src/adapters/dns/packet';
import { createResolver, type ClosableResolver } from '../../../src/adapters/dns/resolver';
import type { DnsAnswer, DnsRecord } from '../../../src/adapters/dns/types';
import { startDnsAnswerer, type DnsAnswerer } from '../../../src/simulator/dnsAnswerer';
import { startPowerDns, type PowerDns } from '../../support/pdns';
import { cpanelZoneFile, powerDnsInstalled, writeZone } from './helpers';
import { describeIf } from '../../support/requires';

const describeWithPdns = describeIf(powerDnsInstalled(), 'PowerDNS (pdns_server with the bind backend)');

// 240 strings of 255 bytes: about 60 KB in one TXT record, only TCP can carry it.
const huge = Array.from({ length: 240 }, (_, i) => `"${String.fromCharCode(65 + (i % 26)).repeat(255)}"`).join(' ');
const extra = [
  `_mailchannels\t300\tIN\tTXT\t"v=mc1 " "auth=webhostingm"`,
  `_dmarc\t300\tIN\tTXT\t"v=DMARC1; p=none"`,
  `${'example.com.'}\t300\tIN\tTXT\t"v=spf1 +a +mx include:relay.mailchannels.net ~all"`,
  `ipv6\t300\tIN\tAAAA\t2001:db8::10`,
  `deep.sub\t300\tIN\tA\t192.0.2.77`,
  `huge\t300\tIN\tTXT\t${huge}`,
];

describeWithPdns('DNS client and demo answerer against real PowerDNS', () => {
  let dir: string;
  let pdns: PowerDns;
  let demo: DnsAnswerer;
  let client: DnsClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'client-pdns-'));
    writeZone(dir, 'example.com', cpanelZoneFile('example.com', '2024060101', extra, 86400, 300));
    pdns = await startPowerDns({ zonesDir: dir, zones: ['example.com'] });
    demo = await startDnsAnswerer({ zonesDir: dir });
    client = new DnsClient();
  });
  afterAll(async () => {
    client.close();
    await Promise.all([pdns?.stop(), demo?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('when a 60 KB TXT record is asked over UDP, then PowerDNS truncates and the client gets it whole over TCP', async () => {
    const answer = await client.query({ address: pdns.address, port: pdns.port }, 'huge.example.com', 'TXT', { timeoutMs: 2000 });
    expect([answer.transport, answer.rcode]).toEqual(['tcp', 'NOERROR']);
    const record = answer.answers.find((r): r is Extract<DnsRecord, { type: 'TXT' }> => r.type === 'TXT');
    expect(record?.data).toHaveLength(240);
    expect(record && txtStrings(record).join('').length).toBe(240 * 255);
  });

  /** What matters of an answer, order-free: what a faithful double must reproduce. */
  function essence(a: DnsAnswer) {
    const show = (records: DnsRecord[]) =>
      records
        .map((r) => `${r.name} ${r.ttl} ${r.type} ${r.type === 'TXT' ? JSON.stringify(txtStrings(r)) : JSON.stringify(r.data)}`)
        .sort();
    return { rcode: a.rcode, aa: a.flags.aa, tc: a.flags.tc, answers: show(a.answers), authority: show(a.authority) };
  }

  test.each<[string, string]>([
    ['example.com', 'SOA'],
    ['example.com', 'NS'],
    ['example.com', 'MX'],
    ['example.com', 'TXT'],
    ['_mailchannels.example.com', 'TXT'],
    ['_dmarc.example.com', 'TXT'],
    ['ipv6.example.com', 'AAAA'],
    ['www.example.com', 'A'],
    ['www.example.com', 'CNAME'],
    ['missing.example.com', 'TXT'],
    ['_mailchannels.example.com', 'A'],
    ['sub.example.com', 'A'],
    ['huge.example.com', 'TXT'],
  ])('when %s %s is asked, then the demo answerer answers like PowerDNS', async (name, type) => {
    const options = { timeoutMs: 2000, retries: 1 };
    const [fromPdns, fromDemo] = await Promise.all([
      client.query({ address: pdns.address, port: pdns.port }, name, type, options),
      client.query({ address: demo.address, port: demo.port }, name, type, options),
    ]);
    expect(essence(fromDemo)).toEqual(essence(fromPdns));
  });

  test('when a zone outside both servers is asked, then both refuse', async () => {
    const [a, b] = await Promise.all([
      client.query({ address: pdns.address, port: pdns.port }, 'example.org', 'SOA', { timeoutMs: 2000 }),
      client.query({ address: demo.address, port: demo.port }, 'example.org', 'SOA', { timeoutMs: 2000 }),
    ]);
    expect([a.rcode, b.rcode]).toEqual(['REFUSED', 'REFUSED']);
  });

  describe('createResolver pointed at PowerDNS', () => {
    let ours: ClosableResolver;
    let node: dnsPromises.Resolver;
    beforeAll(() => {
      ours = createResolver({ resolvers: [formatEndpoint(pdns.address, pdns.port)], timeoutMs: 2000, retries: 0 });
      node = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
      node.setServers([formatEndpoint(pdns.address, pdns.port)]);
    });
    afterAll(() => ours.close());

    test.each<[string, string]>([
      ['_mailchannels.example.com', 'TXT'],
      ['example.com', 'TXT'],
      ['example.com', 'MX'],
      ['example.com', 'NS'],
      ['ipv6.example.com', 'AAAA'],
      ['www.example.com', 'A'],
      ['missing.example.com', 'TXT'],
      ['_dmarc.example.com', 'A'],
    ])('when %s %s is resolved, then the result or error code is Node’s', async (name, type) => {
      // Servers may rotate RRsets, so rows are compared as a set.
      const outcome = async (p: Promise<unknown>) =>
        p.then(
          (ok) => ({ ok: (ok as unknown[]).map((row) => JSON.stringify(row)).sort() }),
          (e: { code?: string }) => ({ code: e.code }),
        );
      expect(await outcome(ours(name, type))).toEqual(await outcome(node.resolve(name, type as 'TXT')));
    });
  });
});
