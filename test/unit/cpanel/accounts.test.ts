import { UapiAccounts } from '../../../src/adapters/cpanel/uapiAccounts';
import { UapiApi } from '../../../src/adapters/cpanel/uapiApi';
import { WhmAccounts } from '../../../src/adapters/cpanel/whmAccounts';
import { WhmApi } from '../../../src/adapters/cpanel/whmApi';
import * as s from './samples';
import { noSleep, ScriptedUapi, ScriptedWhm } from './scripted';

const ok = (command: string, data?: unknown) => ({
  metadata: { command, reason: 'OK', result: 1, version: 1 },
  ...(data === undefined ? {} : { data }),
});

function rootAccounts(extra: Record<string, unknown[]> = {}) {
  const whm = new ScriptedWhm({
    get_domain_info: [s.getDomainInfoSample],
    listaccts: [s.listacctsSample],
    listzones: [ok('listzones', { zone: [{ domain: 'alice.example', zonefile: 'alice.example.db' }] })],
    ...extra,
  });
  return { whm, accounts: new WhmAccounts(new WhmApi(whm, { sleep: noSleep })) };
}

describe('WhmAccounts', () => {
  it('when listing domains, then get_domain_info rows get owner, suspension and their zone', async () => {
    const { accounts, whm } = rootAccounts();
    expect(await accounts.listDomains()).toEqual([
      { domain: 'alice.example', user: 'alice', owner: 'root', type: 'main', zone: 'alice.example', suspended: false },
      { domain: 'shop.alice.example', user: 'alice', owner: 'root', type: 'sub', zone: 'alice.example', suspended: false },
    ]);
    expect(whm.calls.find((c) => c.name === 'listaccts')?.params).toMatchObject({ want: 'user,owner,suspended' });
  });

  it('when asking for one user’s domains, then only theirs', async () => {
    const { accounts } = rootAccounts();
    expect(await accounts.domainsOfUser('bob')).toEqual([]);
    expect((await accounts.domainsOfUser('alice')).map((d) => d.domain)).toEqual(['alice.example', 'shop.alice.example']);
  });

  it('when finding a domain, then case and trailing dot do not matter, and unknown is null', async () => {
    const { accounts } = rootAccounts();
    expect((await accounts.findDomain('SHOP.alice.example.'))?.zone).toBe('alice.example');
    expect(await accounts.findDomain('nope.example')).toBeNull();
  });

  it('when listaccts has no rows (no data key), then the account list is empty', async () => {
    const { accounts } = rootAccounts({ listaccts: [s.listacctsEmpty] });
    expect(await accounts.listAccounts({ searchType: 'user', search: 'nobody', exact: true })).toEqual([]);
  });

  it('when listing accounts, then fields are typed and the query maps to listaccts parameters', async () => {
    const { accounts, whm } = rootAccounts();
    const [alice] = await accounts.listAccounts({ searchType: 'owner', search: 'root', exact: true, want: ['domain', 'suspended'] });
    expect(alice).toMatchObject({
      user: 'alice',
      domain: 'alice.example',
      owner: 'root',
      suspended: false,
      suspendReason: 'not suspended',
      plan: 'default',
    });
    expect(alice?.fields.unix_startdate).toBe(1700000000);
    expect(whm.calls[0]?.params).toEqual({ searchtype: 'owner', search: 'root', searchmethod: 'exact', want: 'user,domain,suspended' });
  });

  it('when listaccts says “Unknown search type.”, then an API_ERROR with that text', async () => {
    const { accounts } = rootAccounts({
      listaccts: [{ metadata: { command: 'listaccts', result: 0, version: 1, reason: 'Unknown search type.' } }],
    });
    await expect(accounts.listAccounts({ search: 'x' })).rejects.toMatchObject({ code: 'API_ERROR', message: 'Unknown search type.' });
  });

  it('when listing zones, then the §7.3 sample is read, and no data means no zones', async () => {
    const full = new WhmAccounts(new WhmApi(new ScriptedWhm({ listzones: [s.whmListzones] }), { sleep: noSleep }));
    expect(await full.listZones()).toEqual([{ zone: 'example.com', zonefile: 'example.com.db' }]);
    const empty = new WhmAccounts(new WhmApi(new ScriptedWhm({ listzones: [ok('listzones')] }), { sleep: noSleep }));
    expect(await empty.listZones()).toEqual([]);
  });

  it('when checking local authority, then every domain is sent as a list and data.records is read', async () => {
    const whm = new ScriptedWhm({ has_local_authority: [s.whmLocalAuthority] });
    const accounts = new WhmAccounts(new WhmApi(whm, { sleep: noSleep }));
    expect(await accounts.localAuthority(['Example.com', 'b.example'])).toEqual([
      { domain: 'example.com', zone: 'example.com', local: true, nameservers: ['ns1.example.com', 'ns2.example.com'] },
    ]);
    expect(whm.calls[0]?.params).toEqual({ domain: ['example.com', 'b.example'] });
    expect(await accounts.localAuthority([])).toEqual([]);
    expect(whm.calls).toHaveLength(1);
  });

  it('when an addon domain has a backing sub-domain, then listDomains leaves it out but findDomain finds it', async () => {
    const info = {
      metadata: { command: 'get_domain_info', reason: 'OK', result: 1, version: 1 },
      data: {
        domains: [
          {
            domain: 'alice.example',
            user: 'alice',
            user_owner: 'root',
            domain_type: 'main',
            parent_domain: 'alice.example',
            docroot: '/home/alice/public_html',
          },
          {
            domain: 'addon.tld',
            user: 'alice',
            user_owner: 'root',
            domain_type: 'addon',
            parent_domain: 'alice.example',
            docroot: '/home/alice/addon.tld',
          },
          {
            domain: 'addon.alice.example',
            user: 'alice',
            user_owner: 'root',
            domain_type: 'sub',
            parent_domain: 'alice.example',
            docroot: '/home/alice/addon.tld',
          },
        ],
      },
    };
    const zones = ok('listzones', {
      zone: [
        { domain: 'alice.example', zonefile: 'alice.example.db' },
        { domain: 'addon.tld', zonefile: 'addon.tld.db' },
      ],
    });
    const { accounts } = rootAccounts({ get_domain_info: [info], listzones: [zones] });
    expect((await accounts.listDomains()).map((d) => d.domain)).toEqual(['alice.example', 'addon.tld']);
    expect(await accounts.findDomain('addon.alice.example')).toMatchObject({ type: 'sub', zone: 'alice.example' });
  });
});

describe('UapiAccounts', () => {
  it('when listing the user’s domains, then list_domains types are kept and subs map to the parent zone', async () => {
    const uapi = new ScriptedUapi({ 'DomainInfo::list_domains': [s.listDomainsSample] });
    const accounts = new UapiAccounts(new UapiApi(uapi, { sleep: noSleep }));
    expect(await accounts.listDomains()).toEqual([
      { domain: 'alice.example', user: 'alice', owner: '', type: 'main', zone: 'alice.example' },
      { domain: 'addon.tld', user: 'alice', owner: '', type: 'addon', zone: 'addon.tld' },
      { domain: 'alias.tld', user: 'alice', owner: '', type: 'parked', zone: 'alias.tld' },
      { domain: 'shop.alice.example', user: 'alice', owner: '', type: 'sub', zone: 'alice.example' },
    ]);
  });

  it('when asking for another user’s domains, then NOT_OWNED without calling cPanel', async () => {
    const uapi = new ScriptedUapi({});
    const accounts = new UapiAccounts(new UapiApi(uapi, { sleep: noSleep }));
    await expect(accounts.domainsOfUser('bob')).rejects.toMatchObject({ code: 'NOT_OWNED' });
    expect(uapi.calls).toHaveLength(0);
  });

  it('when checking local authority, then the docs sample maps errors to local:null and a missing zone to ""', async () => {
    const uapi = new ScriptedUapi({ 'DNS::has_local_authority': [s.uapiLocalAuthorityWrapped] }, 'alice', 'wrapped');
    const accounts = new UapiAccounts(new UapiApi(uapi, { sleep: noSleep }));
    expect(await accounts.localAuthority(['example.com', 'example2.com', 'example3.com'])).toEqual([
      { domain: 'example.com', zone: 'example.com', local: true, nameservers: ['ns1.example.com', 'ns2.example.com'] },
      { domain: 'example2.com', zone: '', local: false, nameservers: [] },
      {
        domain: 'example3.com',
        zone: 'example3.com',
        local: null,
        nameservers: [],
        error: '(XID 3z756a) DNS query (example3.com/SOA) timeout!',
      },
    ]);
  });
});
