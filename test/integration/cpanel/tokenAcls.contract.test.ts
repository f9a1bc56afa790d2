/**
 * WHM API token ACLs as cPanel 11.120 applies them (docs/reference/cpanel-api.md §1; `Whostmgr/ACLS.pm` `_acls`,
 * `Cpanel/Security/Authn/APITokens/Object/whostmgr.pm` `filter_acls`): a root token created with an ACL
 * list keeps only those ACLs, so `all` — and with it `hasroot()` — is gone and root is scoped like a
 * reseller. The token the installer used to create (`list-accts acct-summary edit-dns create-dns`)
 * therefore hid every reseller's account from the daemon; the `all` token it creates now does not.
 */
import { startHarness, type Harness } from './harness';

const LIMITED = 'LIMITEDROOTTOKEN0123456789ABCDEF';
const ALL = 'ALLROOTTOKEN0123456789ABCDEFGHIJ';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.sim.addToken({ kind: 'whm', user: 'root', token: LIMITED, acls: ['list-accts', 'acct-summary', 'edit-dns', 'create-dns'] });
  h.sim.addToken({ kind: 'whm', user: 'root', token: ALL, acls: ['all'] });
});
afterAll(() => h.stop());

describe('a root token limited to list-accts acct-summary edit-dns create-dns (the old installer token)', () => {
  const client = () => h.client({ whmToken: LIMITED });

  test('when the daemon maps the server, then the reseller’s accounts vanish from the domain map and zone list', async () => {
    const domains = (await client().accounts.listDomains()).map((d) => d.domain);
    expect(domains).toContain('example.com');
    expect(domains).not.toContain('bob.example');
    expect(domains).not.toContain('resell.example');
    expect(await client().accounts.findDomain('bob.example')).toBeNull();
    expect((await client().listZones()).map((z) => z.zone)).not.toContain('bob.example');
  });

  test('when it lists accounts, then root still sees all of them (the list-accts exception of Whostmgr/Accounts/List.pm)', async () => {
    expect((await client().listAccounts()).map((a) => a.user)).toEqual(['alice', 'bob', 'carol', 'dave', 'resell']);
  });

  test('when it reads a reseller’s zone, then cPanel refuses it as not root’s', async () => {
    await expect(client().zones.readZone('bob.example')).rejects.toMatchObject({ code: 'NOT_OWNED' });
    expect((await client().zones.readZone('example.com')).name).toBe('example.com');
  });
});

describe.each([
  ['a root token with the all ACL (what the installer creates)', ALL],
  ['a root token without an ACL list (full access)', undefined],
])('%s', (_name, token) => {
  const client = () => h.client(token ? { whmToken: token } : {});

  test('when the daemon maps the server, then every account’s domains are there, the reseller’s included', async () => {
    const domains = (await client().accounts.listDomains()).map((d) => d.domain);
    expect(domains).toEqual(expect.arrayContaining(['example.com', 'bob.example', 'resell.example']));
    expect(await client().accounts.findDomain('bob.example')).toMatchObject({ user: 'bob', owner: 'resell', zone: 'bob.example' });
  });

  test('when it reads a reseller’s zone, then it gets it', async () => {
    expect((await client().zones.readZone('bob.example')).name).toBe('bob.example');
  });
});
