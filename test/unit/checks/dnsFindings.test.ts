import { notAuthoritativeFinding, propagationFinding, zoneFileLine } from '../../../src/checks/dns';
import type { PropagationReport, ServerReport } from '../../../src/adapters/dns/propagation';
import type { LocalAuthority } from '../../../src/ports';

const remote: LocalAuthority = {
  domain: 'example.com',
  zone: 'example.com',
  local: false,
  nameservers: ['NS1.Cloudflare.com.', 'ns2.cloudflare.com'],
};
const publish = { name: '_mailchannels.example.com', ttl: 300, data: ['v=mc1 auth=webhostingm'] };

function server(nameserver: string, state: ServerReport['state'], extra: Partial<ServerReport> = {}): ServerReport {
  return {
    nameserver,
    address: '192.0.2.1',
    port: 53,
    state,
    serial: '2024060102',
    serialRelation: 'equal',
    txt: [],
    txtTtl: null,
    negativeTtl: 300,
    ...extra,
  };
}

function report(state: PropagationReport['state'], servers: ServerReport[], extra: Partial<PropagationReport> = {}): PropagationReport {
  const hosts = [...new Set(servers.map((s) => s.nameserver))];
  return {
    zone: 'example.com',
    name: '_mailchannels.example.com',
    checkedAt: '2024-06-01T12:00:00.000Z',
    expectedTxt: ['v=mc1 auth=webhostingm'],
    expectedSerial: '2024060102',
    state,
    nameservers: hosts.map((h) => ({ nameserver: h, state: servers.find((s) => s.nameserver === h)!.state })),
    servers,
    cacheTtl: 300,
    cacheTtlSource: 'previous-record',
    cachesExpireAt: state === 'verified' ? '2024-06-01T12:05:00.000Z' : null,
    summary: 'summary text',
    ...extra,
  };
}

describe('notAuthoritativeFinding', () => {
  test('when cPanel says the zone is served elsewhere, then a warning names the nameservers and carries the record to publish', () => {
    const f = notAuthoritativeFinding(remote, {
      publish: [publish],
      remove: [{ name: '_mailchannels.example.com.', ttl: 3600, data: ['v=mc1 auth=oldhost'] }],
    });
    expect(f).toMatchObject({ code: 'DNS_NOT_AUTHORITATIVE', severity: 'warning', check: 'dns' });
    expect(f?.message).toBe(
      'DNS for example.com is not served by this server (the world asks ns1.cloudflare.com and ns2.cloudflare.com), so changes made here are not seen. ' +
        'At your DNS host, publish _mailchannels.example.com. TXT "v=mc1 auth=webhostingm" and remove _mailchannels.example.com. TXT "v=mc1 auth=oldhost".',
    );
    expect(f?.records).toEqual([
      { name: '_mailchannels.example.com.', type: 'TXT', ttl: 300, data: ['v=mc1 auth=webhostingm'], value: 'v=mc1 auth=webhostingm' },
    ]);
    expect(f?.details).toMatchObject({
      zone: 'example.com',
      nameservers: ['ns1.cloudflare.com', 'ns2.cloudflare.com'],
      publish: [{ zoneFileLine: '_mailchannels.example.com.\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"' }],
    });
  });

  test('when the zone is served here, or cPanel could not tell, then there is no finding', () => {
    expect(notAuthoritativeFinding({ ...remote, local: true }, { publish: [publish] })).toBeNull();
    expect(notAuthoritativeFinding({ ...remote, local: null, error: 'lookup failed' }, { publish: [publish] })).toBeNull();
  });
});

describe('zoneFileLine', () => {
  test('when a TXT has several strings, quotes and non-ASCII bytes, then each string is quoted and escaped (RFC 1035 §5.1)', () => {
    expect(zoneFileLine({ name: 'x.example.com', ttl: 60, data: ['v=mc1 ', 'say "hi" \\ caf\xe9'] })).toBe(
      'x.example.com.\t60\tIN\tTXT\t"v=mc1 " "say \\"hi\\" \\\\ caf\\233"',
    );
  });
});

describe('propagationFinding', () => {
  test('when a server is stale, then the finding names it', () => {
    const f = propagationFinding(
      report('pending', [
        server('ns1.example.net', 'current'),
        server('ns2.example.net', 'stale'),
        server('ns2.example.net', 'stale', { address: '2001:db8::2' }),
      ]),
    );
    expect(f).toMatchObject({ code: 'DNS_PROPAGATION_PENDING', severity: 'info', check: 'dns' });
    expect(f?.message).toBe(
      'ns2.example.net still serves the old answer for _mailchannels.example.com; the change has not reached every nameserver yet.',
    );
    expect(f?.details).toMatchObject({ state: 'pending', summary: 'summary text' });
  });

  test('when a server could not be asked, then the finding says the change could not be confirmed, naming only hosts that never answered', () => {
    const f = propagationFinding(
      report('unknown', [
        server('ns1.example.net', 'current'),
        server('ns1.example.net', 'unknown', { address: '2001:db8::1' }),
        server('ns2.example.net', 'unknown', { error: 'no answer (timed out)' }),
      ]),
    );
    // ns1 answered on one address, so it counts as current (see propagation.ts); only ns2 is unknown.
    expect(f?.message).toBe('The change could not be confirmed everywhere: ns2.example.net could not be asked.');
  });

  test('when verified but caches may still hold the old answer, then an info finding gives the time; after it, none', () => {
    const verified = report('verified', [server('ns1.example.net', 'current')]);
    expect(propagationFinding(verified)?.message).toBe(
      'The change is live on every nameserver; resolvers that cached the old answer may use it until 2024-06-01T12:05:00.000Z.',
    );
    expect(propagationFinding(verified, new Date('2024-06-01T12:05:00.000Z'))).toBeNull();
  });

  test('when verified with no cache time to wait for, then there is no finding', () => {
    expect(
      propagationFinding(report('verified', [server('ns1.example.net', 'current')], { cacheTtl: null, cachesExpireAt: null })),
    ).toBeNull();
  });
});
