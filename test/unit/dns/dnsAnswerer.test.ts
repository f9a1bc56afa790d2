import { execFile } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { DnsClient } from '../../../src/adapters/dns/client';
import { txtStrings } from '../../../src/adapters/dns/packet';
import type { DnsAnswer } from '../../../src/adapters/dns/types';
import { startDnsAnswerer, type DnsAnswerer } from '../../../src/simulator/dnsAnswerer';
import { hasExecutable, itIf } from '../../support/requires';

function zoneFile(zone: string, serial: string, lockdown: string | null, extra = ''): string {
  return [
    `; cPanel first:110.0.0 (update_time):1717200000 Cpanel::ZoneFile::VERSION:1.3 hostname:server.example.net latest:120.0.0`,
    `; Zone file for ${zone}`,
    `$TTL 14400`,
    `${zone}.\t86400\tIN\tSOA\tns1.example.net.\thostmaster.${zone}. (`,
    `\t\t\t\t\t\t${serial} ;Serial Number`,
    `\t\t\t\t\t\t3600 ;refresh`,
    `\t\t\t\t\t\t1800 ;retry`,
    `\t\t\t\t\t\t1209600 ;expire`,
    `\t\t\t\t\t\t86400 ) ;minimum`,
    `${zone}.\t86400\tIN\tNS\tns1.example.net.`,
    `${zone}.\t86400\tIN\tNS\tns2.example.net.`,
    `${zone}.\t14400\tIN\tA\t192.0.2.10`,
    `${zone}.\t14400\tIN\tMX\t0\t${zone}.`,
    `www\t14400\tIN\tCNAME\t${zone}.`,
    lockdown === null ? '' : `_mailchannels\t300\tIN\tTXT\t"${lockdown}"`,
    extra,
    '',
  ].join('\n');
}

const txtOf = (a: DnsAnswer) => a.answers.flatMap((r) => (r.type === 'TXT' ? [txtStrings(r).join('')] : []));

describe('startDnsAnswerer over a directory of cPanel zone files', () => {
  let dir: string;
  let answerer: DnsAnswerer;
  let client: DnsClient;
  const ask = (name: string, type: string, opts = {}) =>
    client.query({ address: answerer.address, port: answerer.port }, name, type, { timeoutMs: 2000, ...opts });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dns-answerer-'));
    writeFileSync(join(dir, 'example.com.db'), zoneFile('example.com', '2024060101', 'v=mc1 auth=oldhost'));
    writeFileSync(join(dir, 'other.test.db'), zoneFile('other.test', '2024010100', null));
    answerer = await startDnsAnswerer({ zonesDir: dir });
    client = new DnsClient();
  });
  afterEach(async () => {
    client.close();
    await answerer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when a record of the zone file is asked for, then it is answered authoritatively', async () => {
    const answer = await ask('_mailchannels.example.com', 'TXT');
    expect([answer.rcode, answer.flags.aa, txtOf(answer)]).toEqual(['NOERROR', true, ['v=mc1 auth=oldhost']]);
    const soa = await ask('example.com', 'SOA');
    expect(soa.answers[0]?.type === 'SOA' && soa.answers[0].data.serial).toBe('2024060101');
  });

  test('when the zone file is rewritten, then the next query sees the new serial and TXT', async () => {
    await ask('_mailchannels.example.com', 'TXT');
    writeFileSync(join(dir, 'example.com.db'), zoneFile('example.com', '2024060102', 'v=mc1 auth=webhostingm'));
    // Make sure the change is visible even on a file system with coarse timestamps.
    utimesSync(join(dir, 'example.com.db'), new Date(), new Date(Date.now() + 5000));
    expect(txtOf(await ask('_mailchannels.example.com', 'TXT'))).toEqual(['v=mc1 auth=webhostingm']);
    const soa = await ask('example.com', 'SOA');
    expect(soa.answers[0]?.type === 'SOA' && soa.answers[0].data.serial).toBe('2024060102');
  });

  test('when a zone without a lockdown record is asked, then the answer is NXDOMAIN with the negative TTL from the SOA', async () => {
    const answer = await ask('_mailchannels.other.test', 'TXT');
    expect(answer.rcode).toBe('NXDOMAIN');
    const soa = answer.authority[0];
    // RFC 2308 §3: min(SOA TTL 86400, MINIMUM 86400).
    expect(soa?.type === 'SOA' && [soa.ttl, soa.data.serial]).toEqual([86400, '2024010100']);
  });

  test('when a CNAME is asked for A, then the CNAME and its target in the zone are both answered', async () => {
    const answer = await ask('www.example.com', 'A');
    expect(answer.answers.map((r) => [r.name, r.type])).toEqual([
      ['www.example.com', 'CNAME'],
      ['example.com', 'A'],
    ]);
  });

  test('when a name outside every zone file is asked, then the answer is REFUSED', async () => {
    expect((await ask('example.org', 'TXT')).rcode).toBe('REFUSED');
  });

  test('when the zone file does not parse, then its names get SERVFAIL and other zones still work', async () => {
    writeFileSync(join(dir, 'example.com.db'), 'this is not a zone file\n');
    utimesSync(join(dir, 'example.com.db'), new Date(), new Date(Date.now() + 5000));
    expect((await ask('example.com', 'SOA')).rcode).toBe('SERVFAIL');
    expect((await ask('other.test', 'SOA')).rcode).toBe('NOERROR');
  });

  test('when a zone file is added later, then it is served without a restart', async () => {
    expect((await ask('late.test', 'SOA')).rcode).toBe('REFUSED');
    writeFileSync(join(dir, 'late.test.db'), zoneFile('late.test', '2024070100', 'v=mc1 auth=webhostingm'));
    expect((await ask('late.test', 'SOA')).rcode).toBe('NOERROR');
  });

  test('when a name has characters that are not host-name characters, then no file is looked up and it is REFUSED', async () => {
    // Without the check, the label "a/b" would make the candidate file <dir>/a/b.secret.db.
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'b.secret.db'), zoneFile('b.secret', '1', 'v=mc1'));
    expect((await ask('x.a/b.secret', 'SOA')).rcode).toBe('REFUSED');
  });

  test('when a lockdown record is split into many strings beyond 512 bytes, then UDP truncates and TCP delivers it', async () => {
    const strings = Array.from({ length: 8 }, (_, i) => `"${String.fromCharCode(97 + i).repeat(200)}"`).join(' ');
    writeFileSync(
      join(dir, 'example.com.db'),
      zoneFile('example.com', '2024060103', 'v=mc1 auth=webhostingm', `long\t300\tIN\tTXT\t${strings}`),
    );
    utimesSync(join(dir, 'example.com.db'), new Date(), new Date(Date.now() + 5000));
    const before = answerer.stats.tcp;
    const answer = await ask('long.example.com', 'TXT', { edns: false });
    expect(answer.transport).toBe('tcp');
    expect(answerer.stats.tcp - before).toBe(1);
    expect(txtOf(answer)[0]).toHaveLength(1600);
  });

  test('when only some zones are listed, then the others are REFUSED', async () => {
    const only = await startDnsAnswerer({ zonesDir: dir, zones: ['other.test'] });
    try {
      const at = { address: only.address, port: only.port };
      expect((await client.query(at, 'example.com', 'SOA')).rcode).toBe('REFUSED');
      expect((await client.query(at, 'other.test', 'SOA')).rcode).toBe('NOERROR');
    } finally {
      await only.stop();
    }
  });

  itIf(hasExecutable('dig'), 'dig (bind9-dnsutils)')(
    'when dig asks, then it reads an authoritative answer (an independent client agrees on the wire format)',
    async () => {
      const out = (
        await promisify(execFile)('dig', [
          '+norec',
          '+time=1',
          '+tries=1',
          '-p',
          String(answerer.port),
          '@127.0.0.1',
          '_mailchannels.example.com',
          'TXT',
        ])
      ).stdout;
      expect(out).toMatch(/flags: qr aa;/);
      expect(out).toMatch(/_mailchannels\.example\.com\.\s+300\s+IN\s+TXT\s+"v=mc1 auth=oldhost"/);
    },
  );
});
