/**
 * The propagation check against real PowerDNS (bind backend) reading cPanel zone files, the way a
 * cPanel server serves /var/named: a zone file changes, PowerDNS reloads it, the check sees it.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DnsClient } from '../../../src/adapters/dns/client';
import { formatEndpoint } from '../../../src/adapters/dns/endpoint';
import { createAddressLookup } from '../../../src/adapters/dns/nameservers';
import { checkPropagation, waitForPropagation, type PropagationInput } from '../../../src/adapters/dns/propagation';
import { createResolver, type ClosableResolver } from '../../../src/adapters/dns/resolver';
import { startPowerDns, type PowerDns } from '../../support/pdns';
import { cpanelZoneFile, powerDnsInstalled, writeZone } from './helpers';
import { describeIf } from '../../support/requires';

const ZONE = 'example.com';
const NAME = '_mailchannels.example.com';
const OLD = 'v=mc1 auth=oldhost';
const NEW = 'v=mc1 auth=webhostingm';
const NOW = new Date('2024-06-01T12:00:00Z');

const describeWithPdns = describeIf(powerDnsInstalled(), 'PowerDNS (pdns_server with the bind backend)');

describeWithPdns('checkPropagation against real PowerDNS', () => {
  let dir1: string;
  let dir2: string;
  let ns1: PowerDns;
  let ns2: PowerDns;
  let client: DnsClient;
  let resolver: ClosableResolver;

  function zoneText(serial: string, lockdown: string | null) {
    return cpanelZoneFile(ZONE, serial, lockdown === null ? [] : [`_mailchannels\t3600\tIN\tTXT\t"${lockdown}"`], 86400, 600);
  }
  /** Both nameservers by name, mapped to their loopback ports the way `dns.nameserverAddresses` does. */
  function input(rest: Partial<PropagationInput> = {}): PropagationInput {
    return {
      zone: ZONE,
      name: NAME,
      expectedTxt: [NEW],
      expectedSerial: '2024060102',
      previousTtl: 3600,
      nameservers: ['ns1.example.net', 'ns2.example.net'],
      addressOf: createAddressLookup(
        {
          nameserverAddresses: {
            'ns1.example.net': [formatEndpoint(ns1.address, ns1.port)],
            'ns2.example.net': [formatEndpoint(ns2.address, ns2.port)],
          },
        },
        resolver,
      ),
      now: NOW,
      timeoutMs: 2000,
      retries: 0,
      client,
      ...rest,
    };
  }

  beforeEach(async () => {
    dir1 = mkdtempSync(join(tmpdir(), 'prop-ns1-'));
    dir2 = mkdtempSync(join(tmpdir(), 'prop-ns2-'));
    writeZone(dir1, ZONE, zoneText('2024060101', OLD));
    writeZone(dir2, ZONE, zoneText('2024060101', OLD));
    ns1 = await startPowerDns({ zonesDir: dir1, zones: [ZONE] });
    ns2 = await startPowerDns({ zonesDir: dir2, zones: [ZONE] });
    client = new DnsClient();
    // Only consulted for names without a configured address; every name here has one.
    resolver = createResolver({ resolvers: [formatEndpoint(ns1.address, ns1.port)], timeoutMs: 2000, retries: 0 });
  });
  afterEach(async () => {
    resolver.close();
    client.close();
    await Promise.all([ns1?.stop(), ns2?.stop()]);
    rmSync(dir1, { recursive: true, force: true });
    rmSync(dir2, { recursive: true, force: true });
  });

  test('when both servers still serve the old record, then the change is pending and both are stale with the old serial', async () => {
    const report = await checkPropagation(input());
    expect(report.state).toBe('pending');
    expect(report.servers.map((s) => [s.nameserver, s.state, s.serial, s.serialRelation, s.txt])).toEqual([
      ['ns1.example.net', 'stale', '2024060101', 'older', [OLD]],
      ['ns2.example.net', 'stale', '2024060101', 'older', [OLD]],
    ]);
  });

  test('when the zone file is rewritten and reloaded on one server only, then that one is current and the check is pending', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', NEW));
    await ns1.reload(ZONE);
    const report = await checkPropagation(input());
    expect(report.state).toBe('pending');
    expect(report.servers.map((s) => [s.state, s.serial, s.txt])).toEqual([
      ['current', '2024060102', [NEW]],
      ['stale', '2024060101', [OLD]],
    ]);
  });

  test('when the file is rewritten but not reloaded, then PowerDNS still serves the old serial and the check says so', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', NEW));
    const report = await checkPropagation(input({ nameservers: ['ns1.example.net'] }));
    expect([report.state, report.servers[0]?.serial]).toEqual(['pending', '2024060101']);
  });

  test('when both servers are reloaded, then it is verified and caches expire one old TTL later', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', NEW));
    writeZone(dir2, ZONE, zoneText('2024060102', NEW));
    await Promise.all([ns1.reload(ZONE), ns2.reload(ZONE)]);
    const report = await checkPropagation(input());
    expect(report.state).toBe('verified');
    expect(report.cachesExpireAt).toBe('2024-06-01T13:00:00.000Z');
    expect(report.servers.map((s) => s.txtTtl)).toEqual([3600, 3600]);
  });

  test('when one PowerDNS is stopped, then it is unknown, not failed, and the result is unknown', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', NEW));
    await ns1.reload(ZONE);
    await ns2.stop();
    const report = await checkPropagation(input());
    expect(report.state).toBe('unknown');
    expect(report.servers[0]?.state).toBe('current');
    expect(report.servers[1]).toMatchObject({ nameserver: 'ns2.example.net', state: 'unknown', serial: null });
    expect(report.summary).toMatch(/^Not verified: ns2\.example\.net/);
  });

  test('when the record is deleted everywhere, then expecting no record verifies and PowerDNS’s NXDOMAIN is read as "none"', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', null));
    writeZone(dir2, ZONE, zoneText('2024060102', null));
    await Promise.all([ns1.reload(ZONE), ns2.reload(ZONE)]);
    const report = await checkPropagation(input({ expectedTxt: null, previousTtl: undefined }));
    expect(report.state).toBe('verified');
    expect(report.servers.map((s) => s.txt)).toEqual([[], []]);
    // No previous TTL given: the negative-caching TTL, min(SOA TTL 86400, MINIMUM 600) (RFC 2308 §5).
    expect([report.cacheTtl, report.cacheTtlSource]).toEqual([600, 'negative-caching']);
  });

  test('when the second server is reloaded while waiting, then waitForPropagation ends verified', async () => {
    writeZone(dir1, ZONE, zoneText('2024060102', NEW));
    writeZone(dir2, ZONE, zoneText('2024060102', NEW));
    await ns1.reload(ZONE);
    let reloaded = false;
    const report = await waitForPropagation(input(), {
      timeoutMs: 20_000,
      intervalMs: 10,
      onReport: (r) => {
        if (r.state === 'pending' && !reloaded) {
          reloaded = true;
          void ns2.reload(ZONE);
        }
      },
    });
    expect([reloaded, report.state]).toEqual([true, 'verified']);
  });
});
