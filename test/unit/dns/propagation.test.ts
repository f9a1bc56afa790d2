import * as dnsPacket from 'dns-packet';
import { DnsClient } from '../../../src/adapters/dns/client';
import { formatEndpoint } from '../../../src/adapters/dns/endpoint';
import { lookupNameservers, createAddressLookup } from '../../../src/adapters/dns/nameservers';
import { checkPropagation, waitForPropagation, type PropagationInput } from '../../../src/adapters/dns/propagation';
import { createResolver } from '../../../src/adapters/dns/resolver';
import type { Zone } from '../../../src/zone/model';
import { listenDns, type DnsListener } from '../../../src/simulator/dnsAnswerer/server';
import { makeZone, reply, serveZones, unusedPort, type Row } from './helpers';

const NOW = new Date('2024-06-01T12:00:00Z');
const NEW = 'v=mc1 auth=webhostingm';
const OLD = 'v=mc1 auth=oldhost';

function exampleZone(serial: string, lockdown: string[] | null, soaTtl?: { ttl: number; minimum: string }): Zone {
  const rows: Row[] = [
    ['@', 3600, 'NS', 'ns1.example.com.'],
    ['@', 3600, 'NS', 'ns2.example.com.'],
    ['ns1', 3600, 'A', '127.0.0.1'],
    ['ns2', 3600, 'A', '127.0.0.1'],
  ];
  for (const value of lockdown ?? []) rows.push(['_mailchannels', 300, 'TXT', value]);
  const zone = makeZone('example.com', serial, rows);
  if (soaTtl) {
    const soa = zone.records[0]!;
    zone.records[0] = { ...soa, ttl: soaTtl.ttl, data: [...soa.data.slice(0, 6), soaTtl.minimum] };
  }
  return zone;
}

describe('checkPropagation', () => {
  const listeners: DnsListener[] = [];
  let client: DnsClient;
  beforeEach(() => {
    client = new DnsClient();
  });
  afterEach(async () => {
    client.close();
    await Promise.all(listeners.splice(0).map((l) => l.stop()));
  });

  async function nameserver(zone: Zone | null) {
    const l = await serveZones(zone ? [zone] : []);
    listeners.push(l);
    return l;
  }
  async function handBuilt(handler: Parameters<typeof listenDns>[0]) {
    const l = await listenDns(handler);
    listeners.push(l);
    return l;
  }
  /** Two named nameservers on loopback ports, as `dns.nameserverAddresses` would map them. */
  function input(servers: Record<string, string[]>, rest: Partial<PropagationInput> = {}): PropagationInput {
    return {
      zone: 'example.com',
      name: '_mailchannels.example.com',
      expectedTxt: [NEW],
      expectedSerial: '2024060102',
      previousTtl: 3600,
      nameservers: Object.keys(servers),
      addressOf: async (host) => servers[host] ?? [],
      now: NOW,
      // Generous for servers that answer; only the silent-server test waits for it, with its own value.
      timeoutMs: 2000,
      retries: 0,
      client,
      ...rest,
    };
  }
  const at = (l: DnsListener) => formatEndpoint(l.address, l.port);

  test('when every nameserver serves the new record and serial, then it is verified and caches expire after the old TTL', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const ns2 = await nameserver(exampleZone('2024060102', [NEW]));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(ns2)] }));
    expect(report.state).toBe('verified');
    expect(report.servers.map((s) => [s.nameserver, s.state, s.serial, s.serialRelation, s.txt])).toEqual([
      ['ns1.example.net', 'current', '2024060102', 'equal', [NEW]],
      ['ns2.example.net', 'current', '2024060102', 'equal', [NEW]],
    ]);
    expect([report.cacheTtl, report.cacheTtlSource, report.cachesExpireAt]).toEqual([3600, 'previous-record', '2024-06-01T13:00:00.000Z']);
    expect(report.summary).toMatch(/^Verified: all 2 authoritative nameservers \(ns1\.example\.net and ns2\.example\.net\)/);
    expect(report.summary).toContain('2024-06-01T13:00:00.000Z');
  });

  test('when one nameserver still has the old serial and record, then it is pending and that server is stale', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const ns2 = await nameserver(exampleZone('2024060101', [OLD]));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(ns2)] }));
    expect(report.state).toBe('pending');
    expect(report.servers.map((s) => [s.state, s.serialRelation, s.txt])).toEqual([
      ['current', 'equal', [NEW]],
      ['stale', 'older', [OLD]],
    ]);
    expect(report.cachesExpireAt).toBeNull();
    expect(report.summary).toContain(`ns2.example.net (${at(ns2)}) still serves "${OLD}", serial 2024060101`);
  });

  test('when a server has the new serial file but an older serial, then it is stale even if the TXT happens to match', async () => {
    const ns1 = await nameserver(exampleZone('2024060101', [NEW]));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)] }));
    expect([report.state, report.servers[0]?.state]).toEqual(['pending', 'stale']);
  });

  test('when one server is stale and another silent, then it is pending and the summary names both', async () => {
    const ns1 = await nameserver(exampleZone('2024060101', [OLD]));
    const port = await unusedPort();
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [`127.0.0.1:${port}`] }));
    expect(report.state).toBe('pending');
    expect(report.summary).toContain('No usable answer from ns2.example.net.');
  });

  test('when one nameserver does not listen at all, then the result is unknown, not pending or failed', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const port = await unusedPort();
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [`127.0.0.1:${port}`] }));
    expect(report.state).toBe('unknown');
    expect(report.servers[1]).toMatchObject({ state: 'unknown', serial: null });
    expect(report.servers[1]?.error).toMatch(/refused/);
    expect(report.summary).toMatch(/^Not verified: ns2\.example\.net/);
    expect(report.summary).toContain('1 of 2 nameservers serve the new answer');
  });

  test('when one nameserver stays silent, then it is unknown with a timeout', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const silent = await handBuilt(() => null);
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(silent)] }, { timeoutMs: 50 }));
    expect([report.state, report.servers[1]?.state, report.servers[1]?.error]).toEqual(['unknown', 'unknown', 'no answer (timed out)']);
  });

  test('when a nameserver does not serve the zone (REFUSED), then it is unknown', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const other = await nameserver(null);
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(other)] }));
    expect(report.state).toBe('unknown');
    expect(report.servers[1]?.error).toMatch(/refused the SOA query/);
  });

  test('when a nameserver answers without the AA bit, then it is unknown (lame), not current', async () => {
    const lame = await handBuilt((msg) => {
      const q = dnsPacket.decode(msg);
      const name = q.questions?.[0]?.name ?? '';
      const answers: dnsPacket.Answer[] =
        q.questions?.[0]?.type === 'SOA'
          ? [
              {
                type: 'SOA',
                name,
                ttl: 60,
                data: {
                  mname: 'ns1.example.com',
                  rname: 'h.example.com',
                  serial: 2024060102,
                  refresh: 1,
                  retry: 1,
                  expire: 1,
                  minimum: 60,
                },
              },
            ]
          : [{ type: 'TXT', name, ttl: 60, data: [Buffer.from(NEW)] }];
      return reply(q, { aa: false, answers });
    });
    const report = await checkPropagation(input({ 'ns1.example.net': [at(lame)] }));
    expect([report.state, report.servers[0]?.state]).toEqual(['unknown', 'unknown']);
    expect(report.servers[0]?.error).toMatch(/without authority/);
  });

  test('when the record was deleted (expectedTxt null) and no server has it, then it is verified', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', null));
    const ns2 = await nameserver(exampleZone('2024060102', null));
    const report = await checkPropagation(
      input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(ns2)] }, { expectedTxt: null, previousTtl: 300 }),
    );
    expect(report.state).toBe('verified');
    expect(report.servers.map((s) => s.txt)).toEqual([[], []]);
    expect(report.cachesExpireAt).toBe('2024-06-01T12:05:00.000Z');
    expect(report.summary).toContain('serve no record at _mailchannels.example.com');
  });

  test('when the record was deleted but a server still has it, then it is pending', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', null));
    const ns2 = await nameserver(exampleZone('2024060101', [OLD]));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [at(ns2)] }, { expectedTxt: null }));
    expect(report.state).toBe('pending');
  });

  test('when there was no record before, then caches expire after the negative-caching TTL min(SOA TTL, MINIMUM)', async () => {
    const soaTtlSmaller = await nameserver(exampleZone('2024060102', [NEW], { ttl: 120, minimum: '900' }));
    const minimumSmaller = await nameserver(exampleZone('2024060102', [NEW], { ttl: 3600, minimum: '600' }));
    const report = await checkPropagation(
      input({ 'ns1.example.net': [at(soaTtlSmaller)], 'ns2.example.net': [at(minimumSmaller)] }, { previousTtl: undefined }),
    );
    expect(report.servers.map((s) => s.negativeTtl)).toEqual([120, 600]);
    // The longest any server lets a resolver keep "no such record".
    expect([report.cacheTtl, report.cacheTtlSource, report.cachesExpireAt]).toEqual([600, 'negative-caching', '2024-06-01T12:10:00.000Z']);
  });

  test('when a server has a newer serial and a different record, then it is stale with a note that the zone changed again', async () => {
    const ns1 = await nameserver(exampleZone('2024060105', ['v=mc1 auth=someoneelse']));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)] }));
    expect(report.servers[0]).toMatchObject({ state: 'stale', serialRelation: 'newer' });
    expect(report.servers[0]?.note).toMatch(/changed again/);
  });

  test('when a server has a newer serial and the expected record, then it is current', async () => {
    const ns1 = await nameserver(exampleZone('2024060105', [NEW]));
    expect((await checkPropagation(input({ 'ns1.example.net': [at(ns1)] }))).state).toBe('verified');
  });

  test('when several records are expected, then order and string splits do not matter, but an extra record does', async () => {
    const split = makeZone('example.com', '2024060102', [
      ['_mailchannels', 300, 'TXT', 'v=mc1 ', 'auth=webhostingm'],
      ['_mailchannels', 300, 'TXT', 'v=mc1 auth=b'],
    ]);
    const ns1 = await nameserver(split);
    const same = await checkPropagation(input({ 'ns1.example.net': [at(ns1)] }, { expectedTxt: ['v=mc1 auth=b', NEW] }));
    expect(same.state).toBe('verified');
    const fewer = await checkPropagation(input({ 'ns1.example.net': [at(ns1)] }, { expectedTxt: [NEW] }));
    expect(fewer.state).toBe('pending');
  });

  test('when a host has one unreachable address and one current one, then the host counts as current and the address is listed', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const port = await unusedPort();
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1), `127.0.0.1:${port}`] }));
    expect(report.state).toBe('verified');
    expect(report.nameservers).toEqual([{ nameserver: 'ns1.example.net', state: 'current' }]);
    expect(report.servers.map((s) => s.state)).toEqual(['current', 'unknown']);
    expect(report.summary).toContain('not reachable from here');
  });

  test('when a host has no address, then it is unknown and the check still reports the others', async () => {
    const ns1 = await nameserver(exampleZone('2024060102', [NEW]));
    const report = await checkPropagation(input({ 'ns1.example.net': [at(ns1)], 'ns2.example.net': [] }));
    expect(report.state).toBe('unknown');
    expect(report.servers[1]).toMatchObject({
      nameserver: 'ns2.example.net',
      address: '',
      state: 'unknown',
      error: 'has no A or AAAA record',
    });
  });

  test('when no nameservers are given, then the zone’s NS set and their addresses are looked up through the resolver', async () => {
    const server = await nameserver(exampleZone('2024060102', [NEW]));
    const resolver = createResolver({ resolvers: [at(server)], timeoutMs: 2000, retries: 0 });
    try {
      const report = await checkPropagation(input({}, { nameservers: undefined, addressOf: undefined, resolver, port: server.port }));
      expect(report.state).toBe('verified');
      expect(report.servers.map((s) => [s.nameserver, s.address, s.port])).toEqual([
        ['ns1.example.com', '127.0.0.1', server.port],
        ['ns2.example.com', '127.0.0.1', server.port],
      ]);
    } finally {
      resolver.close();
    }
  });

  test('when the zone has no nameservers at all, then the result is unknown with a sentence that says so', async () => {
    const report = await checkPropagation(input({}, { nameservers: [] }));
    expect([report.state, report.summary]).toEqual(['unknown', 'Not verified: no authoritative nameservers were found for example.com.']);
  });

  test('when `now` is not a valid date, then the check fails with BAD_INPUT', async () => {
    await expect(checkPropagation(input({}, { now: new Date('nope') }))).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('waitForPropagation', () => {
  test('when the lagging server catches up between rounds, then the wait ends verified', async () => {
    const ns1 = await serveZones([exampleZone('2024060102', [NEW])]);
    const ns2 = await serveZones([exampleZone('2024060101', [OLD])]);
    const client = new DnsClient();
    const states: string[] = [];
    try {
      const report = await waitForPropagation(
        {
          zone: 'example.com',
          name: '_mailchannels.example.com',
          expectedTxt: [NEW],
          expectedSerial: '2024060102',
          previousTtl: 300,
          nameservers: ['ns1.example.net', 'ns2.example.net'],
          addressOf: async (h) => [formatEndpoint('127.0.0.1', h.startsWith('ns1') ? ns1.port : ns2.port)],
          timeoutMs: 2000,
          retries: 0,
          client,
        },
        {
          timeoutMs: 10_000,
          intervalMs: 1,
          onReport: (r) => {
            states.push(r.state);
            // The secondary transfers the zone after the first check (what NOTIFY + AXFR would do).
            ns2.zones = [exampleZone('2024060102', [NEW])];
          },
        },
      );
      expect(states).toEqual(['pending', 'verified']);
      expect(report.state).toBe('verified');
    } finally {
      client.close();
      await ns1.stop();
      await ns2.stop();
    }
  });

  test('when a server never catches up, then the wait gives up after its timeout and returns the pending report', async () => {
    const ns1 = await serveZones([exampleZone('2024060101', [OLD])]);
    const client = new DnsClient();
    let rounds = 0;
    try {
      const report = await waitForPropagation(
        {
          zone: 'example.com',
          name: '_mailchannels.example.com',
          expectedTxt: [NEW],
          nameservers: [formatEndpoint('127.0.0.1', ns1.port)],
          timeoutMs: 2000,
          retries: 0,
          client,
        },
        { timeoutMs: 50, intervalMs: 10, onReport: () => rounds++ },
      );
      expect(report.state).toBe('pending');
      expect(rounds).toBeGreaterThanOrEqual(1);
    } finally {
      client.close();
      await ns1.stop();
    }
  });
});

describe('lookupNameservers and createAddressLookup', () => {
  const fail = (code: string) => async () => {
    throw Object.assign(new Error(code), { code });
  };

  test('when the resolver lists NS names, then they come back lower-case, without dots, sorted and unique', async () => {
    const resolver = async () => ['NS2.Example.NET.', 'ns1.example.net', 'ns1.example.net.'];
    expect(await lookupNameservers('Example.com.', resolver)).toEqual(['ns1.example.net', 'ns2.example.net']);
  });

  test('when the zone has no NS set (ENOTFOUND or ENODATA), then the list is empty', async () => {
    expect(await lookupNameservers('example.com', fail('ENOTFOUND'))).toEqual([]);
    expect(await lookupNameservers('example.com', fail('ENODATA'))).toEqual([]);
  });

  test('when the lookup itself fails (SERVFAIL, timeout), then it is a DNS_ERROR, not "no nameservers"', async () => {
    await expect(lookupNameservers('example.com', fail('ESERVFAIL'))).rejects.toMatchObject({ code: 'DNS_ERROR' });
  });

  test('when an address is configured for a nameserver, then it wins over DNS; otherwise A and AAAA are used', async () => {
    const asked: string[] = [];
    const resolver = async (name: string, type: string) => {
      asked.push(`${name} ${type}`);
      if (type === 'A') return ['192.0.2.53'];
      throw Object.assign(new Error('no AAAA'), { code: 'ENODATA' });
    };
    const addressOf = createAddressLookup({ nameserverAddresses: { 'NS1.example.net.': ['127.0.0.1:5300'] } }, resolver);
    expect(await addressOf('ns1.example.net')).toEqual(['127.0.0.1:5300']);
    expect(await addressOf('ns2.example.net')).toEqual(['192.0.2.53']);
    expect(asked.sort()).toEqual(['ns2.example.net A', 'ns2.example.net AAAA']);
  });
});
