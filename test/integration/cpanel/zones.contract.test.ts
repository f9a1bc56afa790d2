/**
 * Contract: the adapter's ZoneStores against the simulator, for every zone function we use, success
 * and each failure (docs/reference/cpanel-api.md §5, §6, §10).
 */
import type { MassEditParams } from '../../../src/zone/model';
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

const lockdown = (zone: string, serial: string): MassEditParams => ({
  zone,
  serial,
  remove: [],
  edit: [],
  add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
});

describe('WHM parse_dns_zone / mass_edit_dns_zone as root', () => {
  it('when example.com is read, then the §5.5 fixture comes back with its line indexes and serial', async () => {
    const zone = await h.client().zones.readZone('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(zone.records.map((r) => [r.lineIndex, r.type])).toEqual([
      [3, 'SOA'],
      [11, 'NS'],
      [12, 'NS'],
      [14, 'A'],
      [15, 'CNAME'],
      [16, 'MX'],
      [17, 'TXT'],
      [18, 'TXT'],
      [19, 'TXT'],
    ]);
    const [entry] = h.sim.log.find('parse_dns_zone');
    expect(entry).toMatchObject({ method: 'GET', authUser: 'root', params: { 'api.version': '1', zone: 'example.com' } });
  });

  it('when a record is added with the serial just read, then the new serial is a string and the record is in the file', async () => {
    const client = h.client();
    const before = await client.zones.readZone('addon.tld');
    const { newSerial } = await client.zones.massEdit(lockdown('addon.tld', before.serial));
    expect(newSerial).toBe('2026112800');
    const after = await client.zones.readZone('addon.tld');
    expect(after.serial).toBe(newSerial);
    expect(after.records.filter((r) => r.name === '_mailchannels.addon.tld.').map((r) => r.data)).toEqual([
      ['v=mc1 auth=oldhost'],
      ['v=mc1 auth=webhostingm'],
    ]);
    expect(await h.sim.zoneText('addon.tld')).toContain('"v=mc1 auth=webhostingm"');
    const [edit] = h.sim.log.find('mass_edit_dns_zone');
    expect(edit?.method).toBe('POST');
    expect(edit?.params.add).toBe('{"dname":"_mailchannels","ttl":300,"record_type":"TXT","data":["v=mc1 auth=webhostingm"]}');
  });

  it('when new_serial is sent as a JSON string, then it is still a string', async () => {
    h.sim.setNewSerialType('string');
    try {
      const client = h.client();
      const zone = await client.zones.readZone('orphan.example');
      expect((await client.zones.massEdit(lockdown('orphan.example', zone.serial))).newSerial).toMatch(/^\d{10}$/);
    } finally {
      h.sim.setNewSerialType('number');
    }
  });

  it('when several adds are sent numbered (key-N style), then cPanel receives every item in order', async () => {
    const client = h.client({ listStyle: 'numbered' });
    const zone = await client.zones.readZone('alias.tld');
    const { newSerial } = await client.zones.massEdit({
      zone: 'alias.tld',
      serial: zone.serial,
      remove: [],
      edit: [],
      add: [
        { dname: 'a', ttl: 300, record_type: 'TXT', data: ['one'] },
        { dname: 'b', ttl: 300, record_type: 'TXT', data: ['two +plus', 'three'] },
      ],
    });
    const after = await client.zones.readZone('alias.tld');
    expect(after.serial).toBe(newSerial);
    expect(after.records.filter((r) => /^[ab]\.alias\.tld\.$/.test(r.name)).map((r) => r.data)).toEqual([['one'], ['two +plus', 'three']]);
    expect(h.sim.log.find('mass_edit_dns_zone')[0]?.pairs.map(([k]) => k)).toEqual(['api.version', 'zone', 'serial', 'add', 'add-1']);
  });

  it('when another user edits the zone between our read and write, then STALE_SERIAL and their record survives', async () => {
    const client = h.client();
    const zone = await client.zones.readZone('example.com');
    h.sim.concurrentEditBeforeNextMassEdit('example.com');
    const err = await client.zones.massEdit(lockdown('example.com', zone.serial)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STALE_SERIAL', step: 'apply' });
    expect((err as Error).message).toMatch(
      /^The given serial number \(2024030101\) does not match the DNS zone’s serial number \(\d+\)\. Refresh your view/,
    );
    const reread = await client.zones.readZone('example.com');
    expect(reread.records.some((r) => r.name === 'concurrent-edit.example.com.')).toBe(true);
    expect(h.sim.log.find('mass_edit_dns_zone')).toHaveLength(1);
  });

  it('when the resulting zone is invalid, then INVALID_ZONE', async () => {
    const client = h.client();
    const zone = await client.zones.readZone('bob.example');
    h.sim.injectInvalidZoneFile('bob.example');
    await expect(client.zones.massEdit(lockdown('bob.example', zone.serial))).rejects.toMatchObject({ code: 'INVALID_ZONE' });
  });

  it('when the zone does not exist, then NOT_OWNED with the text (no XID)', async () => {
    await expect(h.client().zones.readZone('nope.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'This system does not have a domain named “nope.example”.',
    });
  });

  it('when a validation rule fails, then API_ERROR with cPanel’s exact text', async () => {
    const client = h.client();
    const zone = await client.zones.readZone('orphan.example');
    await expect(
      client.zones.massEdit({ zone: 'orphan.example', serial: zone.serial, remove: [], edit: [], add: [] }),
    ).rejects.toMatchObject({
      code: 'API_ERROR',
      message: 'You must provide at least one change to the DNS zone.',
    });
    await expect(
      client.zones.massEdit({ zone: 'orphan.example', serial: zone.serial, remove: [999], edit: [], add: [] }),
    ).rejects.toMatchObject({
      code: 'API_ERROR',
      message: 'No record exists at line 999 in the “orphan.example” DNS zone.',
    });
  });
});

describe('transport failures on the simulator', () => {
  it('when a read gets a 500 once, then it is retried and succeeds', async () => {
    h.sim.injectFault({ kind: 'status', status: 500, match: 'parse_dns_zone' });
    expect((await h.client().zones.readZone('example.com')).name).toBe('example.com');
    expect(h.sim.log.find('parse_dns_zone').map((e) => e.status)).toEqual([500, 200]);
  });

  it('when a read hangs once, then it times out, is retried and succeeds', async () => {
    h.sim.injectFault({ kind: 'hang', match: 'parse_dns_zone' });
    expect((await h.client({ timeoutMs: 300 }).zones.readZone('example.com')).serial).toMatch(/^\d+$/);
    expect(h.sim.log.find('parse_dns_zone')).toHaveLength(2);
  });

  it('when a read’s connection is dropped once, then it is retried and succeeds', async () => {
    h.sim.injectFault({ kind: 'drop', match: 'get_domain_info' });
    expect((await h.client().accounts.listDomains()).length).toBeGreaterThan(0);
    expect(h.sim.log.find('get_domain_info')).toHaveLength(2);
  });

  it('when a read keeps failing, then the last TRANSPORT error surfaces after the bounded attempts', async () => {
    h.sim.injectFault({ kind: 'status', status: 503, match: 'listzones', times: Infinity });
    await expect(h.client().listZones()).rejects.toMatchObject({ code: 'TRANSPORT' });
    expect(h.sim.log.find('listzones')).toHaveLength(3);
  });

  it('when mass_edit hangs, then TIMEOUT after one request: a write is never re-sent', async () => {
    const client = h.client({ timeoutMs: 300 });
    const zone = await client.zones.readZone('carol.example');
    h.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone' });
    await expect(client.zones.massEdit(lockdown('carol.example', zone.serial))).rejects.toMatchObject({ code: 'TIMEOUT', step: 'apply' });
    expect(h.sim.log.find('mass_edit_dns_zone')).toHaveLength(1);
  });

  it('when mass_edit gets a 500 or a dropped connection, then TRANSPORT after one request', async () => {
    const client = h.client();
    const zone = await client.zones.readZone('carol.example');
    for (const kind of ['status', 'drop'] as const) {
      h.sim.log.clear();
      h.sim.injectFault({ kind, match: 'mass_edit_dns_zone' });
      await expect(client.zones.massEdit(lockdown('carol.example', zone.serial))).rejects.toMatchObject({ code: 'TRANSPORT' });
      expect(h.sim.log.find('mass_edit_dns_zone')).toHaveLength(1);
    }
  });

  it('when the WHM token is wrong or revoked, then AUTHENTICATION and no retry', async () => {
    await expect(h.client({ whmToken: 'WRONGTOKEN0123456789ABCDEFGHIJKL' }).zones.readZone('example.com')).rejects.toMatchObject({
      code: 'AUTHENTICATION',
    });
    h.sim.injectFault({ kind: 'auth', match: 'listzones' });
    await expect(h.client().listZones()).rejects.toMatchObject({ code: 'AUTHENTICATION' });
    expect(h.sim.log.find('listzones')).toHaveLength(1);
  });

  it('when the simulator’s certificate is given as caFile instead of a pin, then the connection verifies', async () => {
    const { writeFileSync } = await import('fs');
    const { join } = await import('path');
    const { createCpanelClient } = await import('../../../src/adapters/cpanel/client');
    const { parseConfig } = await import('../../../src/config');
    const caFile = join(h.dir, 'sim-ca.pem');
    writeFileSync(caFile, h.sim.certPem);
    const config = parseConfig({ provider: { authId: 'x' }, cpanel: { transport: 'https', whmUrl: h.sim.whmUrl, caFile } }).cpanel;
    expect((await createCpanelClient(config, { whmToken: TOKENS.root }).zones.readZone('example.com')).name).toBe('example.com');
  });

  it('when the certificate pin is wrong, then the simulator never sees a request', async () => {
    const { createCpanelClient } = await import('../../../src/adapters/cpanel/client');
    const { parseConfig } = await import('../../../src/config');
    const wrongPin = h.sim.fingerprint256.replace(/^../, h.sim.fingerprint256.startsWith('00') ? 'FF' : '00');
    const config = parseConfig({
      provider: { authId: 'x' },
      cpanel: { transport: 'https', whmUrl: h.sim.whmUrl, fingerprint: wrongPin },
    }).cpanel;
    await expect(createCpanelClient(config, { whmToken: TOKENS.root }).zones.readZone('example.com')).rejects.toMatchObject({
      code: 'TRANSPORT',
    });
    expect(h.sim.log.all()).toHaveLength(0);
  });
});

describe('UAPI as a cPanel user', () => {
  it('when alice reads her zone with her own token, then DNS::parse_zone answers it', async () => {
    const zone = await h.client({ user: 'alice', userToken: TOKENS.alice }).zones.readZone('example.com');
    expect(zone.name).toBe('example.com');
    expect(h.sim.log.find('DNS/parse_zone')[0]).toMatchObject({ side: 'cpanel', authUser: 'alice' });
  });

  it('when alice reads bob’s zone with her token, then NOT_OWNED with cPanel’s exact “…” text', async () => {
    await expect(h.client({ user: 'alice', userToken: TOKENS.alice }).zones.readZone('bob.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “bob.example”.',
    });
  });

  it('when alice’s zone is read and edited through uapi_cpanel, then it works and runs as alice', async () => {
    const store = h.client().userZones('alice');
    const zone = await store.readZone('example.com');
    const { newSerial } = await store.massEdit(lockdown('example.com', zone.serial));
    expect((await store.readZone('example.com')).serial).toBe(newSerial);
    const [edit] = h.sim.log.find('uapi_cpanel DNS/mass_edit_zone');
    expect(edit).toMatchObject({ method: 'POST', authUser: 'root', params: expect.objectContaining({ 'cpanel.user': 'alice' }) });
  });

  it('when uapi_cpanel runs as alice on bob’s zone, then the inner failure is seen despite metadata.result 1', async () => {
    await expect(h.client().userZones('alice').readZone('bob.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “bob.example”.',
    });
    expect(h.sim.log.find('uapi_cpanel DNS/parse_zone')[0]?.result).toBe(1);
  });

  it('when uapi_cpanel names an unknown user, or a reseller names someone else’s account, then NOT_OWNED', async () => {
    await expect(h.client().userZones('mallory').readZone('example.com')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'The user “mallory” does not exist.',
    });
    await expect(
      h.client({ whmToken: TOKENS.resell, tokenUser: 'resell' }).userZones('alice').readZone('example.com'),
    ).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not have access to an account named “alice”.',
    });
  });

  it('when bob (simplezoneedit only) adds a TXT record, then FEATURE_MISSING', async () => {
    const store = h.client({ user: 'bob', userToken: TOKENS.bob }).zones;
    const zone = await store.readZone('bob.example');
    await expect(store.massEdit(lockdown('bob.example', zone.serial))).rejects.toMatchObject({
      code: 'FEATURE_MISSING',
      message: expect.stringContaining('“TXT”'),
    });
  });

  it('when carol (no zone features) edits, then FEATURE_MISSING with the features text', async () => {
    const store = h.client().userZones('carol');
    const zone = await store.readZone('carol.example');
    await expect(store.massEdit(lockdown('carol.example', zone.serial))).rejects.toMatchObject({
      code: 'FEATURE_MISSING',
      message: expect.stringMatching(/^You do not have the features? “/),
    });
  });

  it('when alice’s edit through UAPI meets a concurrent edit, then STALE_SERIAL', async () => {
    const store = h.client({ user: 'alice', userToken: TOKENS.alice }).zones;
    const zone = await store.readZone('addon.tld');
    await h.sim.editAsOtherUser('addon.tld');
    await expect(store.massEdit(lockdown('addon.tld', zone.serial))).rejects.toMatchObject({ code: 'STALE_SERIAL' });
  });

  it('when the cPanel token is wrong, then AUTHENTICATION', async () => {
    await expect(h.client({ user: 'alice', userToken: TOKENS.bob }).zones.readZone('example.com')).rejects.toMatchObject({
      code: 'AUTHENTICATION',
    });
  });
});
