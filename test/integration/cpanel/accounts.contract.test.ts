/**
 * Contract: the adapter's Accounts (WHM as root/reseller, UAPI as the user) against the simulator
 * (docs/reference/cpanel-api.md §7, §10.3).
 */
import { startHarness, TOKENS, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => {
  h.sim.log.clear();
  h.sim.faults.clear();
});

describe('Accounts as root (get_domain_info + listaccts + listzones)', () => {
  it('when every domain is listed, then types, owners, suspension and zones are right and the addon’s backing sub is left out', async () => {
    const domains = await h.client().accounts.listDomains();
    expect(domains.map((d) => [d.domain, d.user, d.owner, d.type, d.zone, d.suspended])).toEqual([
      ['example.com', 'alice', 'root', 'main', 'example.com', false],
      ['addon.tld', 'alice', 'root', 'addon', 'addon.tld', false],
      ['alias.tld', 'alice', 'root', 'parked', 'alias.tld', false],
      ['shop.example.com', 'alice', 'root', 'sub', 'example.com', false],
      ['bob.example', 'bob', 'resell', 'main', 'bob.example', false],
      ['carol.example', 'carol', 'root', 'main', 'carol.example', false],
      ['dave.example', 'dave', 'root', 'main', 'dave.example', true],
      ['resell.example', 'resell', 'resell', 'main', 'resell.example', false],
    ]);
    expect(
      h.sim.log
        .all()
        .map((e) => e.call)
        .sort(),
    ).toEqual(['get_domain_info', 'listaccts', 'listzones']);
  });

  it('when the hidden backing sub-domain is looked up, then it is found in the main domain’s zone', async () => {
    expect(await h.client().accounts.findDomain('addon.example.com')).toMatchObject({ type: 'sub', user: 'alice', zone: 'example.com' });
    expect(await h.client().accounts.findDomain('nope.example')).toBeNull();
  });

  it('when one user’s domains are asked for, then only theirs', async () => {
    expect((await h.client().accounts.domainsOfUser('alice')).map((d) => d.domain)).toEqual([
      'example.com',
      'addon.tld',
      'alias.tld',
      'shop.example.com',
    ]);
  });

  it('when a reseller lists domains, then only its accounts are visible', async () => {
    const domains = await h.client({ whmToken: TOKENS.resell, tokenUser: 'resell' }).accounts.listDomains();
    expect(new Set(domains.map((d) => d.user))).toEqual(new Set(['bob', 'resell']));
  });

  it('when accounts are listed with want and an exact search, then the typed rows match', async () => {
    const client = h.client();
    expect(await client.listAccounts({ searchType: 'user', search: 'dave', exact: true })).toMatchObject([
      { user: 'dave', domain: 'dave.example', owner: 'root', suspended: true, suspendReason: 'unpaid' },
    ]);
    expect(h.sim.log.find('listaccts')[0]?.params).toMatchObject({ searchtype: 'user', search: 'dave', searchmethod: 'exact' });
    const slim = await client.listAccounts({ want: ['domain'] });
    expect(slim[0]?.fields).toEqual({ user: 'alice', domain: 'example.com' });
  });

  it('when the search matches nothing, then an empty list (WHM omits data)', async () => {
    expect(await h.client().listAccounts({ searchType: 'user', search: 'nobody', exact: true })).toEqual([]);
  });

  it('when the search type is unknown, then API_ERROR “Unknown search type.”', async () => {
    await expect(h.client().listAccounts({ searchType: 'shoe' as 'user', search: 'x' })).rejects.toMatchObject({
      code: 'API_ERROR',
      message: 'Unknown search type.',
    });
  });

  it('when zones are listed, then every zone file including one without an account', async () => {
    const zones = await h.client().listZones();
    expect(zones).toContainEqual({ zone: 'orphan.example', zonefile: 'orphan.example.db' });
    expect(zones).toHaveLength(8);
  });

  it('when local authority is checked, then hosted-elsewhere and unknown domains are told apart', async () => {
    expect(await h.client().accounts.localAuthority(['example.com', 'carol.example', 'shop.example.com', 'nope.example'])).toEqual([
      { domain: 'example.com', zone: 'example.com', local: true, nameservers: ['ns1.example.net', 'ns2.example.net'] },
      { domain: 'carol.example', zone: 'carol.example', local: false, nameservers: ['ns1.elsewhere.example', 'ns2.elsewhere.example'] },
      { domain: 'shop.example.com', zone: 'example.com', local: true, nameservers: ['ns1.example.net', 'ns2.example.net'] },
      { domain: 'nope.example', zone: '', local: null, nameservers: [], error: 'This system does not have a domain named “nope.example”.' },
    ]);
    expect(h.sim.log.find('has_local_authority')[0]?.params.domain).toEqual([
      'example.com',
      'carol.example',
      'shop.example.com',
      'nope.example',
    ]);
  });
});

describe('Accounts as a cPanel user (DomainInfo::list_domains, DNS::has_local_authority)', () => {
  it('when alice lists her domains with her token, then list_domains without the hidden sub, sub in the parent zone', async () => {
    const accounts = h.client({ user: 'alice', userToken: TOKENS.alice }).accounts;
    expect((await accounts.listDomains()).map((d) => [d.domain, d.type, d.zone])).toEqual([
      ['example.com', 'main', 'example.com'],
      ['addon.tld', 'addon', 'addon.tld'],
      ['alias.tld', 'parked', 'alias.tld'],
      ['shop.example.com', 'sub', 'example.com'],
    ]);
    await expect(accounts.domainsOfUser('bob')).rejects.toMatchObject({ code: 'NOT_OWNED' });
  });

  it('when the same is asked through uapi_cpanel as root, then the same domains', async () => {
    const viaRoot = await h.client().userAccounts('alice').listDomains();
    expect(viaRoot.map((d) => d.domain)).toEqual(['example.com', 'addon.tld', 'alias.tld', 'shop.example.com']);
  });

  it('when alice checks local authority of her domain and bob’s, then hers is local and bob’s is an error row', async () => {
    const rows = await h.client({ user: 'alice', userToken: TOKENS.alice }).accounts.localAuthority(['example.com', 'bob.example']);
    expect(rows.map((r) => [r.domain, r.local])).toEqual([
      ['example.com', true],
      ['bob.example', null],
    ]);
  });

  it('when list_domains hits a 500 once, then it is retried', async () => {
    h.sim.injectFault({ kind: 'status', status: 500, match: 'DomainInfo/list_domains' });
    expect(await h.client({ user: 'alice', userToken: TOKENS.alice }).accounts.listDomains()).toHaveLength(4);
    expect(h.sim.log.find('DomainInfo/list_domains')).toHaveLength(2);
  });
});
