import { promises as dnsPromises } from 'dns';
import * as dnsPacket from 'dns-packet';
import { createNodeResolver, createResolver, type ClosableResolver } from '../../../src/adapters/dns/resolver';
import { formatEndpoint } from '../../../src/adapters/dns/endpoint';
import { listenDns, type DnsListener } from '../../../src/simulator/dnsAnswerer/server';
import { makeZone, reply, serveZones, txtAnswer } from './helpers';

const zone = makeZone('example.com', '2024060101', [
  ['@', 3600, 'NS', 'ns1.example.com.'],
  ['@', 3600, 'NS', 'ns2.example.com.'],
  ['@', 3600, 'MX', '10', 'mail.example.com.'],
  ['@', 3600, 'MX', '20', 'backup.example.net.'],
  ['@', 300, 'TXT', 'v=spf1 include:relay.mailchannels.net ~all'],
  ['_mailchannels', 300, 'TXT', 'v=mc1 ', 'auth=webhostingm'],
  ['_mailchannels', 300, 'TXT', 'v=mc1 auth=other'],
  ['binary', 300, 'TXT', 'caf\xe9\xff'],
  ['www', 300, 'A', '192.0.2.10'],
  ['www', 300, 'AAAA', '2001:db8::10'],
  ['alias', 300, 'CNAME', 'www.example.com.'],
  ['_sip._tcp', 300, 'SRV', '10', '5', '5060', 'sip.example.com.'],
  ['@', 300, 'CAA', '0', 'issue', 'letsencrypt.org'],
]);

/** Node's own resolver pointed at the same server: the reference our shapes must match. */
function nodeResolverAt(server: DnsListener, timeout = 2000): dnsPromises.Resolver {
  const r = new dnsPromises.Resolver({ timeout, tries: 1 });
  r.setServers([formatEndpoint(server.address, server.port)]);
  return r;
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (err) {
    const e = err as { code?: string; syscall?: string; hostname?: string };
    return { code: e.code, syscall: e.syscall, hostname: e.hostname };
  }
}

describe('createResolver with configured resolvers', () => {
  let server: DnsListener;
  let ours: ClosableResolver;
  let node: dnsPromises.Resolver;
  beforeAll(async () => {
    server = await serveZones([zone]);
    ours = createResolver({ resolvers: [formatEndpoint(server.address, server.port)], timeoutMs: 2000, retries: 0 });
    node = nodeResolverAt(server);
  });
  afterAll(async () => {
    ours.close();
    await server.stop();
  });

  const sameAsNode: Array<[string, string]> = [
    ['_mailchannels.example.com', 'TXT'],
    ['example.com', 'TXT'],
    ['binary.example.com', 'TXT'],
    ['example.com', 'MX'],
    ['example.com', 'NS'],
    ['www.example.com', 'A'],
    ['www.example.com', 'AAAA'],
    ['alias.example.com', 'A'],
    ['alias.example.com', 'CNAME'],
    ['_sip._tcp.example.com', 'SRV'],
    ['example.com', 'CAA'],
    ['missing.example.com', 'TXT'],
    ['www.example.com', 'TXT'],
    ['example.org', 'TXT'],
  ];
  test.each(sameAsNode)('when %s %s is resolved, then the result or error code is the same as Node’s', async (name, type) => {
    const expected = await outcome(node.resolve(name, type as 'TXT'));
    const actual = await outcome(ours(name, type));
    const sortRows = (o: unknown) =>
      o && typeof o === 'object' && 'ok' in o && Array.isArray(o.ok) ? { ok: [...o.ok].map((x) => JSON.stringify(x)).sort() } : o;
    expect(sortRows(actual)).toEqual(sortRows(expected));
  });

  test('when a TXT record is split into strings, then each record is an array of its strings', async () => {
    const rows = (await ours('_mailchannels.example.com', 'TXT')) as string[][];
    expect(rows.map((r) => r.join('')).sort()).toEqual(['v=mc1 auth=other', 'v=mc1 auth=webhostingm']);
    expect(rows.find((r) => r.length === 2)).toEqual(['v=mc1 ', 'auth=webhostingm']);
  });

  test('when SOA is resolved, then it is Node’s object wrapped in a one-element array', async () => {
    const expected = await node.resolve('example.com', 'SOA');
    expect(await ours('example.com', 'SOA')).toEqual([expected]);
  });

  test('when the record type is unknown, then the call fails with ERR_INVALID_ARG_VALUE like Node', async () => {
    await expect(ours('example.com', 'BOGUS')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('when the name is not a valid DNS name, then the call fails with EBADNAME', async () => {
    await expect(ours(`${'x'.repeat(70)}.example.com`, 'TXT')).rejects.toMatchObject({ code: 'EBADNAME' });
  });
});

describe('createResolver failure modes', () => {
  const servers: DnsListener[] = [];
  const resolvers: ClosableResolver[] = [];
  afterEach(async () => {
    resolvers.splice(0).forEach((r) => r.close());
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });
  async function serve(handler: Parameters<typeof listenDns>[0]) {
    const s = await listenDns(handler);
    servers.push(s);
    return s;
  }
  function resolverFor(...list: DnsListener[]) {
    const r = createResolver({ resolvers: list.map((s) => formatEndpoint(s.address, s.port)), timeoutMs: 300, retries: 0 });
    resolvers.push(r);
    return r;
  }

  test('when the only resolver answers SERVFAIL, then the error code is ESERVFAIL as with Node', async () => {
    const s = await serve((msg) => reply(dnsPacket.decode(msg), { rcode: 2, aa: false }));
    const expected = await outcome(nodeResolverAt(s).resolve('x.example.com', 'TXT'));
    expect(await outcome(resolverFor(s)('x.example.com', 'TXT'))).toEqual(expected);
    expect(expected).toMatchObject({ code: 'ESERVFAIL' });
  });

  test('when the only resolver stays silent, then the error code is ETIMEOUT as with Node', async () => {
    const s = await serve(() => null);
    const expected = await outcome(nodeResolverAt(s, 300).resolve('x.example.com', 'TXT'));
    expect(await outcome(resolverFor(s)('x.example.com', 'TXT'))).toEqual(expected);
    expect(expected).toMatchObject({ code: 'ETIMEOUT' });
  });

  test('when the first resolver refuses, then the second one is asked', async () => {
    const refusing = await serve((msg) => reply(dnsPacket.decode(msg), { rcode: 5, aa: false }));
    const helpful = await serve((msg) => reply(dnsPacket.decode(msg), { answers: [txtAnswer('x.example.com', 'from the second')] }));
    expect(await resolverFor(refusing, helpful)('x.example.com', 'TXT')).toEqual([['from the second']]);
  });

  test('when a configured resolver is not an IP address, then creating the resolver fails with CONFIG_INVALID', () => {
    expect(() => createResolver({ resolvers: ['dns.example.net'], timeoutMs: 100, retries: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('createNodeResolver (the fallback when no resolver is configured)', () => {
  test('when it resolves TXT and SOA, then TXT is Node’s shape and SOA is wrapped in an array like ours', async () => {
    const server = await serveZones([zone]);
    const endpoint = formatEndpoint(server.address, server.port);
    const fallback = createNodeResolver({ timeoutMs: 2000, retries: 0 }, [endpoint]);
    const ours = createResolver({ resolvers: [endpoint], timeoutMs: 2000, retries: 0 });
    try {
      expect(await fallback('binary.example.com', 'TXT')).toEqual(await ours('binary.example.com', 'TXT'));
      expect(await fallback('example.com', 'SOA')).toEqual(await ours('example.com', 'SOA'));
      await expect(fallback('missing.example.com', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    } finally {
      fallback.close();
      ours.close();
      await server.stop();
    }
  });
});
