/**
 * The seed: validation, cPanel's file layout for generated zones (docs/reference/cpanel-api.md §5.4–5.5), and the
 * demo seed carrying every kind of problem (docs/design.md findings vocabulary).
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { txtValue } from '../../../src/zone/model';
import { DEMO_AUTH_ID, DEMO_TOKENS, demoSeed } from '../../../src/simulator/demoSeed';
import { parseSeed, parseZoneSpec } from '../../../src/simulator/seed';
import { zoneText } from '../../../src/simulator/zoneLayout';
import { startTestSimulator, uapi, whm, testSeed } from '../../support/simulator';

describe('seed', () => {
  test('when the test seed is loaded, then it validates and fills the defaults', () => {
    const seed = testSeed();
    expect(seed.server.hostname).toBe('host.example.net');
    expect(seed.accounts.find((a) => a.user === 'carol')).toMatchObject({
      owner: 'root',
      plan: 'default',
      suspended: false,
      features: ['emailauth'],
    });
  });

  test.each([
    [{ accounts: [{ user: 'Alice', domain: 'a.example' }] }, 'accounts.0.user'],
    [{ accounts: [{ user: 'a', domain: 'a.example', owner: 'ghost' }] }, 'owner ghost is neither root nor a reseller'],
    [
      {
        accounts: [
          { user: 'a', domain: 'x.example' },
          { user: 'b', domain: 'x.example' },
        ],
      },
      'domain x.example belongs to two accounts',
    ],
    [{ zones: [{ name: 'z.example', text: 'x', records: [] }] }, 'give at most one of text, lines and records'],
    [{ tokens: [{ kind: 'cpanel', user: 'ghost', token: 't' }] }, 'no account ghost'],
    [{ zones: [{ name: 'z.example', records: [{ name: 'x', type: 'txt', data: ['a'] }] }] }, 'upper-case record type'],
  ])('when a seed is wrong (%j), then parsing names the problem', (input, problem) => {
    expect(() => parseSeed(input)).toThrow(problem);
  });

  test('when a zone is generated from a record list, then it has cPanel’s layout: the fixture’s header, SOA block and NS block line for line', () => {
    const seed = testSeed();
    const generated = zoneText(
      parseZoneSpec({
        name: 'example.com',
        serial: '2024030101',
        records: [
          { name: '@', type: 'A', data: ['192.0.2.10'] },
          { name: 'www', type: 'CNAME', data: ['example.com.'] },
          { name: '@', type: 'MX', data: ['0', 'example.com.'] },
          { name: '@', type: 'TXT', data: ['v=spf1 +a +mx +ip4:192.0.2.10 ~all'] },
          { name: 'default._domainkey', type: 'TXT', data: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'IDAQAB;'] },
          { name: '_dmarc', type: 'TXT', data: ['v=DMARC1; p=none;'] },
        ],
      }),
      { ...seed.server, nameservers: ['ns1.example.net', 'ns2.example.net'] },
      '192.0.2.10',
    );
    const fixture = seed.zones.find((z) => z.name === 'example.com')?.lines as string[];
    expect(generated).toBe(`${fixture.join('\n')}\n`);
  });

  test('when an account has no zone in the seed, then cPanel’s default zone is written for each of its zone names', async () => {
    const started = await startTestSimulator();
    try {
      const text = (await started.sim.zoneText('bob.example')) as string;
      const zone = parseZoneFile(text, 'bob.example');
      expect(zone.records.map((r) => `${r.dname} ${r.type}`)).toEqual([
        'bob.example. SOA',
        'bob.example. NS',
        'bob.example. NS',
        'bob.example. A',
        'www CNAME',
        'mail CNAME',
        'bob.example. MX',
        'bob.example. TXT',
      ]);
      expect(await started.sim.zoneText('alias.tld')).not.toBeNull();
      expect(await started.sim.zoneText('shop.example.com')).toBeNull();
    } finally {
      await started.stop();
    }
  });

  describe('demo seed', () => {
    const seed = parseSeed(demoSeed());
    const zone = (name: string) => {
      const spec = seed.zones.find((z) => z.name === name);
      if (!spec) throw new Error(`no zone ${name}`);
      return parseZoneFile(zoneText(spec, seed.server, seed.server.ip), name);
    };
    const txtAt = (zoneName: string, owner: string) =>
      zone(zoneName)
        .records.filter((r) => r.type === 'TXT' && r.name === owner)
        .map(txtValue);

    test.each([
      ['a correct record', 'good.example', '_mailchannels.good.example.', [`v=mc1 auth=${DEMO_AUTH_ID}`]],
      ['a stale record after migration', 'migrated.example', '_mailchannels.migrated.example.', ['v=mc1 auth=oldhost']],
      ['a stale sub-domain record in the parent zone', 'migrated.example', '_mailchannels.shop.migrated.example.', ['v=mc1 auth=oldhost']],
      ['a block-all record', 'blockall.example', '_mailchannels.blockall.example.', ['v=mc1']],
      ['a cfid record', 'cfid.example', '_mailchannels.cfid.example.', ['v=mc1 cfid=oldsite.workers.dev']],
      ['two records', 'tworecords.example', '_mailchannels.tworecords.example.', ['v=mc1 auth=oldhost', `v=mc1 auth=${DEMO_AUTH_ID}`]],
      ['no record', 'nolockdown.example', '_mailchannels.nolockdown.example.', []],
      ['a misplaced record', 'typo.example', '_mailchannels.typo.example.typo.example.', [`v=mc1 auth=${DEMO_AUTH_ID}`]],
      ['a hostile value', 'xss.example', '_mailchannels.xss.example.', ['<script>alert(1)</script>']],
    ])('when the demo is seeded, then it carries %s', (_label, zoneName, owner, values) => {
      expect(txtAt(zoneName, owner)).toEqual(values);
    });

    test('when the demo is seeded, then SPF lacks the MailChannels include except on the correct domains', () => {
      const spf = (name: string) => txtAt(name, `${name}.`).find((v) => v.startsWith('v=spf1'));
      expect(spf('nolockdown.example')).not.toContain('include:relay.mailchannels.net');
      expect(spf('good.example')).toContain('include:relay.mailchannels.net');
    });

    test('when the demo is seeded, then DKIM is split into character-strings of at most 255 bytes', () => {
      const dkim = zone('good.example').records.find((r) => r.name === 'default._domainkey.good.example.');
      expect(dkim?.data.length).toBe(2);
      for (const part of dkim?.data ?? []) expect(part.length).toBeLessThanOrEqual(255);
    });

    test('when the demo runs, then the hosted-elsewhere domain has no local authority and the reseller sees only its accounts', async () => {
      const started = await startTestSimulator({ seed: demoSeed() });
      try {
        const authority = await whm(started.sim, 'root', DEMO_TOKENS.root, 'has_local_authority', [['domain', 'elsewhere.example']]);
        expect(authority.json.data.records[0]).toMatchObject({
          local_authority: 0,
          nameservers: ['ns1.otherdns.example', 'ns2.otherdns.example'],
        });
        const accounts = await whm(started.sim, 'resell', DEMO_TOKENS.reseller, 'listaccts', [['want', 'user']]);
        expect(accounts.json.data.acct.map((a: { user: string }) => a.user).sort()).toEqual(['bob', 'resell']);
        const own = await uapi(started.sim, 'alice', DEMO_TOKENS.user('alice'), 'DomainInfo/list_domains');
        expect(own.json.data.sub_domains).toEqual(['shop.migrated.example']);
      } finally {
        await started.stop();
      }
    });
  });
});
