/**
 * Contract: accounts, domains and zone lists (docs/reference/cpanel-api.md §7): listaccts, get_domain_info,
 * listzones, DomainInfo::list_domains, has_local_authority (UAPI and WHM), export_zone_files —
 * with reseller visibility and WHM's empty-list rule (§9.11).
 */
import { startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

describe('accounts and domains', () => {
  let started: StartedSimulator;
  beforeAll(async () => {
    started = await startTestSimulator();
  });
  afterAll(() => started.stop());

  describe('listaccts', () => {
    test('when root lists accounts, then every account comes with cPanel’s field set', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'listaccts');
      expect(answer.json.metadata).toEqual({ command: 'listaccts', reason: 'OK', result: 1, version: 1 });
      const rows = answer.json.data.acct;
      expect(rows.map((r: any) => r.user)).toEqual(['alice', 'bob', 'carol', 'dave', 'resell']);
      const alice = rows[0];
      expect(alice).toMatchObject({
        user: 'alice',
        domain: 'example.com',
        owner: 'root',
        suspended: 0,
        suspendreason: 'not suspended',
        plan: 'default',
        theme: 'jupiter',
        ip: '192.0.2.10',
        ipv6: [],
        email: 'alice@example.org',
        unix_startdate: 1700000000,
        startdate: '23 Nov 14 22:13',
      });
      for (const field of [
        'suspendtime',
        'is_locked',
        'partition',
        'shell',
        'uid',
        'mailbox_format',
        'disklimit',
        'diskused',
        'maxaddons',
        'max_email_per_hour',
        'outgoing_mail_hold',
        'temporary',
        'child_nodes',
      ]) {
        expect(alice).toHaveProperty(field);
      }
      expect(rows.find((r: any) => r.user === 'dave')).toMatchObject({ suspended: 1, suspendreason: 'unpaid', suspendtime: 1700300000 });
    });

    test('when a reseller lists accounts, then only its own accounts are visible', async () => {
      const answer = await whm(started.sim, 'resell', T.resell, 'listaccts', [['want', 'user,owner']]);
      expect(answer.json.data).toEqual({
        acct: [
          { user: 'bob', owner: 'resell' },
          { user: 'resell', owner: 'resell' },
        ],
      });
    });

    test.each([
      [
        [
          ['searchtype', 'user'],
          ['search', '^ali'],
        ],
        ['alice'],
      ],
      [
        [
          ['searchtype', 'domain'],
          ['search', 'example\\.com$'],
        ],
        ['alice'],
      ],
      [
        [
          ['searchtype', 'owner'],
          ['search', 'resell'],
          ['searchmethod', 'exact'],
        ],
        ['bob', 'resell'],
      ],
      [
        [
          ['searchtype', 'package'],
          ['search', 'reseller_basic'],
        ],
        ['bob'],
      ],
      [
        [
          ['searchtype', 'domain_and_user'],
          ['search', 'carol'],
        ],
        ['carol'],
      ],
      [
        [
          ['searchtype', 'user'],
          ['search', 'ali'],
          ['searchmethod', 'exact'],
        ],
        [],
      ],
    ] as Array<[Array<[string, string]>, string[]]>)('when root searches %j, then the matching users are %j', async (params, users) => {
      const answer = await whm(started.sim, 'root', T.root, 'listaccts', [...params, ['want', 'user']]);
      expect(answer.json.metadata.result).toBe(1);
      if (users.length === 0) expect(answer.json).not.toHaveProperty('data');
      else expect(answer.json.data.acct.map((r: any) => r.user)).toEqual(users);
    });

    test('when nothing matches, then result is 1, reason OK and there is no data key', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'listaccts', [
        ['searchtype', 'user'],
        ['search', '^nobody$'],
      ]);
      expect(answer.json).toEqual({ metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 } });
    });

    test('when the search type is unknown, then the call fails with “Unknown search type.”', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'listaccts', [
        ['searchtype', 'color'],
        ['search', 'x'],
      ]);
      expect(answer.json.metadata.result).toBe(0);
      expect(answer.json.metadata.reason).toMatch(/\) Unknown search type\.$/);
    });
  });

  describe('get_domain_info', () => {
    test('when root asks, then every domain is listed with its type and parent, including the hidden addon backing sub-domain', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'get_domain_info');
      const rows = answer.json.data.domains.filter((d: any) => d.user === 'alice');
      expect(rows.map((d: any) => [d.domain, d.domain_type, d.parent_domain, d.user_owner])).toEqual([
        ['example.com', 'main', 'example.com', 'root'],
        ['addon.tld', 'addon', 'addon.example.com', 'root'],
        ['addon.example.com', 'sub', 'example.com', 'root'],
        ['alias.tld', 'parked', 'example.com', 'root'],
        ['shop.example.com', 'sub', 'example.com', 'root'],
      ]);
      expect(rows[0]).toEqual({
        domain: 'example.com',
        user: 'alice',
        user_owner: 'root',
        domain_type: 'main',
        parent_domain: 'example.com',
        docroot: '/home/alice/public_html',
        ipv4: '192.0.2.10',
        port: '80',
        ipv4_ssl: '192.0.2.10',
        port_ssl: '443',
        ipv6: null,
        ipv6_is_dedicated: 0,
        modsecurity_enabled: 1,
        php_version: 'ea-php82',
      });
    });

    test('when a reseller asks, then only its accounts’ domains come back', async () => {
      const answer = await whm(started.sim, 'resell', T.resell, 'get_domain_info');
      expect(answer.json.data.domains.map((d: any) => d.domain)).toEqual(['bob.example', 'resell.example']);
    });
  });

  describe('listzones', () => {
    test('when root lists zones, then every zone file is listed with zonefile <domain>.db', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'listzones');
      expect(answer.json.data.zone).toContainEqual({ domain: 'orphan.example', zonefile: 'orphan.example.db' });
      expect(answer.json.data.zone.map((z: any) => z.domain)).toEqual([
        'addon.tld',
        'alias.tld',
        'bob.example',
        'carol.example',
        'dave.example',
        'example.com',
        'orphan.example',
        'resell.example',
      ]);
    });

    test('when a reseller lists zones, then only its accounts’ zones come back', async () => {
      const answer = await whm(started.sim, 'resell', T.resell, 'listzones');
      expect(answer.json.data).toEqual({
        zone: [
          { domain: 'bob.example', zonefile: 'bob.example.db' },
          { domain: 'resell.example', zonefile: 'resell.example.db' },
        ],
      });
    });

    test('when there are no zones at all, then data is omitted', async () => {
      const empty = await startTestSimulator({ seed: { accounts: [], zones: [], tokens: [{ kind: 'whm', user: 'root', token: T.root }] } });
      try {
        const answer = await whm(empty.sim, 'root', T.root, 'listzones');
        expect(answer.json).toEqual({ metadata: { command: 'listzones', reason: 'OK', result: 1, version: 1 } });
      } finally {
        await empty.stop();
      }
    });
  });

  test('when a user lists its domains, then main/addon/parked/sub come back without the hidden addon sub-domain', async () => {
    const answer = await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains');
    expect(answer.json).toEqual({
      status: 1,
      errors: null,
      messages: null,
      warnings: null,
      metadata: {},
      data: { main_domain: 'example.com', addon_domains: ['addon.tld'], parked_domains: ['alias.tld'], sub_domains: ['shop.example.com'] },
    });
  });

  describe('has_local_authority', () => {
    test('when a user asks about its domains, then each row names the zone, local authority and nameservers', async () => {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/has_local_authority', [
        ['domain', 'example.com'],
        ['domain-1', 'shop.example.com'],
      ]);
      expect(answer.json.metadata).toEqual({ transformed: 1 });
      expect(answer.json.data).toEqual([
        { domain: 'example.com', zone: 'example.com', local_authority: 1, nameservers: ['ns1.example.net', 'ns2.example.net'] },
        { domain: 'shop.example.com', zone: 'example.com', local_authority: 1, nameservers: ['ns1.example.net', 'ns2.example.net'] },
      ]);
    });

    test('when a user asks about another account’s domain, then its row carries an error', async () => {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/has_local_authority', [['domain', 'bob.example']]);
      expect(answer.json.data).toEqual([
        {
          domain: 'bob.example',
          zone: null,
          local_authority: 0,
          nameservers: [],
          error: 'This system does not have a domain named “bob.example”.',
        },
      ]);
    });

    test('when root asks about a domain hosted elsewhere, then local_authority is 0 with the world’s nameservers', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'has_local_authority', [['domain', 'carol.example']]);
      expect(answer.json.data.records).toEqual([
        {
          domain: 'carol.example',
          zone: 'carol.example',
          local_authority: 0,
          nameservers: ['ns1.elsewhere.example', 'ns2.elsewhere.example'],
        },
      ]);
    });

    test('when the knob moves a zone elsewhere, then the next answer follows it', async () => {
      started.sim.setLocalAuthority('bob.example', 0, ['ns9.example.org']);
      const answer = await whm(started.sim, 'root', T.root, 'has_local_authority', [['domain', 'bob.example']]);
      expect(answer.json.data.records[0]).toMatchObject({ local_authority: 0, nameservers: ['ns9.example.org'] });
      started.sim.setLocalAuthority('bob.example', 1);
    });

    test('when no domain is given, then the argument error is returned', async () => {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/has_local_authority');
      expect(answer.json.errors).toEqual(['Provide the “domain” argument.']);
    });
  });

  describe('export_zone_files', () => {
    test('when root exports zones, then each comes back as base64 of the file’s exact bytes', async () => {
      const text = (await started.sim.zoneText('orphan.example')) as string;
      await started.sim.setZoneText('orphan.example', `${text}; caf\xe9\n`);
      const answer = await whm(started.sim, 'root', T.root, 'export_zone_files', [
        ['zone', 'orphan.example'],
        ['zone', 'example.com'],
      ]);
      expect(answer.json.data.payload.map((p: any) => p.zone)).toEqual(['orphan.example', 'example.com']);
      const bytes = Buffer.from(answer.json.data.payload[0].text_b64, 'base64');
      expect(bytes.equals(Buffer.from(`${text}; caf\xe9\n`, 'latin1'))).toBe(true);
    });

    test('when a zone does not exist, then the export fails with an XID', async () => {
      const answer = await whm(started.sim, 'root', T.root, 'export_zone_files', [['zone', 'nope.example']]);
      expect(answer.json.metadata.reason).toMatch(
        /^API failure: \(XID [a-z0-9]{6}\) This system does not have a domain named “nope\.example”\.$/,
      );
    });
  });

  test('when an account is added at run time, then its default zone is written and it is listed', async () => {
    await started.sim.addAccount({ user: 'erin', domain: 'erin.example', owner: 'resell' });
    const zones = await whm(started.sim, 'resell', T.resell, 'listzones');
    expect(zones.json.data.zone.map((z: any) => z.domain)).toContain('erin.example');
    const parsed = await whm(started.sim, 'root', T.root, 'parse_dns_zone', [['zone', 'erin.example']]);
    const spf = parsed.json.data.payload.find((i: any) => i.record_type === 'TXT');
    expect(Buffer.from(spf.data_b64[0], 'base64').toString()).toBe('v=spf1 +a +mx +ip4:192.0.2.10 ~all');
  });
});
