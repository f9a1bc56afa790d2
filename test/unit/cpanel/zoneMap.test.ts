import { assignZones, hiddenAddonSubdomains, nearestZone, type DomainRow } from '../../../src/adapters/cpanel/zoneMap';

describe('nearestZone', () => {
  const zones = new Set(['alice.example', 'deep.shop.alice.example']);

  it('when the name is itself a zone, then that zone', () => {
    expect(nearestZone('Alice.Example.', zones)).toBe('alice.example');
  });

  it('when the name is below a zone, then the closest enclosing one wins', () => {
    expect(nearestZone('shop.alice.example', zones)).toBe('alice.example');
    expect(nearestZone('x.deep.shop.alice.example', zones)).toBe('deep.shop.alice.example');
  });

  it('when no ancestor is a zone, then null', () => {
    expect(nearestZone('bob.example', zones)).toBeNull();
  });
});

describe('assignZones (rule in zoneMap.ts)', () => {
  const rows: DomainRow[] = [
    { domain: 'alice.example', user: 'alice', owner: 'root', type: 'main', docroot: '/home/alice/public_html' },
    { domain: 'shop.alice.example', user: 'alice', owner: 'root', type: 'sub', parent: 'alice.example', docroot: '/home/alice/shop' },
    { domain: 'addon.tld', user: 'alice', owner: 'root', type: 'addon', parent: 'alice.example', docroot: '/home/alice/addon.tld' },
    { domain: 'addon.alice.example', user: 'alice', owner: 'root', type: 'sub', parent: 'alice.example', docroot: '/home/alice/addon.tld' },
    { domain: 'blog.addon.tld', user: 'alice', owner: 'root', type: 'sub', parent: 'addon.tld', docroot: '/home/alice/blog' },
    { domain: 'alias.tld', user: 'alice', owner: 'root', type: 'parked', parent: 'alice.example' },
    { domain: 'remote.tld', user: 'alice', owner: 'root', type: 'addon', docroot: '/home/alice/remote' },
    { domain: 'cdn.remote.tld', user: 'alice', owner: 'root', type: 'sub', parent: 'remote.tld' },
    // a (pathological) row of bob's under alice's zone: zones are per user, so it never lands in alice's
    { domain: 'bob.example', user: 'bob', owner: 'reseller1', type: 'main' },
    { domain: 'bob.alice.example', user: 'bob', owner: 'reseller1', type: 'sub', parent: 'bob.example' },
  ];
  const serverZones = new Set(['alice.example', 'addon.tld', 'alias.tld', 'bob.example']);

  it('when WHM lists the zones, then subs walk up to the nearest zone of their own user, others keep their own', () => {
    const zoneOf = Object.fromEntries(assignZones(rows, serverZones).map((d) => [d.domain, d.zone]));
    expect(zoneOf).toEqual({
      'alice.example': 'alice.example',
      'shop.alice.example': 'alice.example',
      'addon.tld': 'addon.tld',
      'addon.alice.example': 'alice.example',
      'blog.addon.tld': 'addon.tld',
      'alias.tld': 'alias.tld',
      // no zone on this server (e.g. only on a cluster peer): itself, and its sub falls back to the parent
      'remote.tld': 'remote.tld',
      'cdn.remote.tld': 'remote.tld',
      'bob.example': 'bob.example',
      'bob.alice.example': 'bob.example',
    });
  });

  it('when acting as the user (no zone list), then main/addon/parked are the zones', () => {
    const zoneOf = Object.fromEntries(
      assignZones(
        rows.filter((r) => r.user === 'alice'),
        null,
      ).map((d) => [d.domain, d.zone]),
    );
    expect(zoneOf['shop.alice.example']).toBe('alice.example');
    expect(zoneOf['cdn.remote.tld']).toBe('remote.tld');
    expect(zoneOf['blog.addon.tld']).toBe('addon.tld');
  });

  it('when an addon has a backing sub-domain with the same docroot, then only that sub is hidden', () => {
    expect([...hiddenAddonSubdomains(rows)]).toEqual(['addon.alice.example']);
  });

  it('when an addon names its backing sub as parent_domain (userdatadomains style), then that sub is hidden even without docroots', () => {
    const rowsWithoutDocroots: DomainRow[] = [
      { domain: 'alice.example', user: 'alice', owner: 'root', type: 'main', parent: 'alice.example' },
      { domain: 'addon.tld', user: 'alice', owner: 'root', type: 'addon', parent: 'addon.alice.example' },
      { domain: 'addon.alice.example', user: 'alice', owner: 'root', type: 'sub', parent: 'alice.example' },
      { domain: 'shop.alice.example', user: 'alice', owner: 'root', type: 'sub', parent: 'alice.example' },
    ];
    expect([...hiddenAddonSubdomains(rowsWithoutDocroots)]).toEqual(['addon.alice.example']);
  });

  it('when a sub shares a docroot with an addon of ANOTHER user, then it is not hidden', () => {
    const other: DomainRow[] = [
      { domain: 'addon.tld', user: 'alice', owner: 'root', type: 'addon', docroot: '/srv/x' },
      { domain: 'x.bob.example', user: 'bob', owner: 'root', type: 'sub', docroot: '/srv/x' },
    ];
    expect(hiddenAddonSubdomains(other).size).toBe(0);
  });

  it('when rows carry suspension, then it is passed on, and absent stays absent', () => {
    const [a, b] = assignZones(
      [
        { domain: 'a.example', user: 'a', owner: 'root', type: 'main', suspended: true },
        { domain: 'b.example', user: 'b', owner: 'root', type: 'main' },
      ],
      null,
    );
    expect(a?.suspended).toBe(true);
    expect(b && 'suspended' in b).toBe(false);
  });
});
