/**
 * Contract: the CLI transports (`whmapi1`, `uapi --user`, and `uapi_cpanel` through `whmapi1`)
 * against the simulator through its fake executables (test/support/bin, src/simulator/cliShims.ts).
 *
 * Value escaping: cPanel's tools decode their arguments like a form, so by default our CLI transport
 * escapes `%`, `+`, `&` and `;` (params.ts `CliEscaping`). The shims pass values through undecoded:
 * until they decode like the real tools, values holding those characters run here with
 * `cliEscaping: 'none'`, and the default path for them runs only when the shim decodes (`shimDecodes`,
 * probed below; skipped otherwise). Values without them (most calls) use the default.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { createCpanelClient, type CpanelClientOptions } from '../../../src/adapters/cpanel/client';
import { UapiApi } from '../../../src/adapters/cpanel/uapiApi';
import { UapiViaWhmTransport } from '../../../src/adapters/cpanel/uapiViaWhm';
import { WhmCliTransport } from '../../../src/adapters/cpanel/whmCli';
import { UapiZoneStore } from '../../../src/adapters/cpanel/zoneStores';
import { parseConfig } from '../../../src/config';
import { parseWhmapi1Argv } from '../../../src/simulator/cliShims';
import type { MassEditParams } from '../../../src/zone/model';
import { itIf } from '../../support/requires';
import { cliShimEnv, SHIM_BIN_DIR } from '../../support/simulator';
import { startHarness, TOKENS, type Harness } from './harness';

const shimDecodes = parseWhmapi1Argv(['f', 'v=%2B', '--output=json']).pairs[0]?.[1] === '+';

let h: Harness;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  h = await startHarness();
  env = { ...process.env, ...cliShimEnv(h.sim, h.dir, 'root', TOKENS.root) };
});
afterAll(() => h.stop());
beforeEach(() => {
  h.sim.log.clear();
  h.sim.faults.clear();
});

function cliClient(options: CpanelClientOptions & { timeoutMs?: number } = {}) {
  const { timeoutMs = 20000, ...rest } = options;
  const config = parseConfig({
    provider: { authId: 'webhostingm' },
    cpanel: {
      transport: 'cli',
      whmapi1: join(SHIM_BIN_DIR, 'whmapi1'),
      uapi: join(SHIM_BIN_DIR, 'uapi'),
      timeoutMs,
      rateLimitPerSecond: 1000,
    },
  }).cpanel;
  return createCpanelClient(config, { cliEnv: env, sleep: async () => undefined, ...rest });
}

const spfLike = (zone: string, serial: string): MassEditParams => ({
  zone,
  serial,
  remove: [],
  edit: [],
  add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm', ' +a 100% ~all'] }],
});

/** The plain lockdown record: nothing a form decoder would change, so every escaping agrees. */
const lockdown = (zone: string, serial: string): MassEditParams => ({
  zone,
  serial,
  remove: [],
  edit: [],
  add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
});

describe('whmapi1', () => {
  it('when a zone is read, then parse_dns_zone runs through the tool and the zone decodes', async () => {
    const zone = await cliClient().zones.readZone('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(h.sim.log.find('parse_dns_zone')[0]).toMatchObject({ authUser: 'root', params: { zone: 'example.com' } });
  });

  it('when every domain is listed, then get_domain_info, listaccts and listzones run through the tool', async () => {
    const domains = await cliClient().accounts.listDomains();
    expect(domains.find((d) => d.domain === 'shop.example.com')?.zone).toBe('example.com');
    expect(
      h.sim.log
        .all()
        .map((e) => e.call)
        .sort(),
    ).toEqual(['get_domain_info', 'listaccts', 'listzones']);
  });

  it("when a TXT with + is sent unescaped, then cPanel's form decoder turns + into a space (why the client escapes by default)", async () => {
    const client = cliClient({ cliEscaping: 'none' });
    const zone = await client.zones.readZone('alias.tld');
    const { newSerial } = await client.zones.massEdit(spfLike('alias.tld', zone.serial));
    expect(newSerial).toBe('2026112800');
    const after = await client.zones.readZone('alias.tld');
    expect(after.records.find((r) => r.name === '_mailchannels.alias.tld.')?.data).toEqual(['v=mc1 auth=webhostingm', '  a 100% ~all']);
  });

  itIf(shimDecodes, 'a whmapi1 shim that decodes its arguments like the real tool')(
    'when form characters are escaped (the default), then the same TXT lands byte for byte',
    async () => {
      const client = cliClient();
      const zone = await client.zones.readZone('dave.example');
      await client.zones.massEdit(spfLike('dave.example', zone.serial));
      expect((await client.zones.readZone('dave.example')).records.find((r) => r.name === '_mailchannels.dave.example.')?.data).toEqual([
        'v=mc1 auth=webhostingm',
        ' +a 100% ~all',
      ]);
    },
  );

  it('when a value starts with @, then the tool gets the text itself, never the content of the file it names', async () => {
    const file = join(h.dir, 'secret.txt');
    writeFileSync(file, 'alice');
    // What the raw form would do: apitool reads the file (the shim models that).
    expect(parseWhmapi1Argv(['listaccts', `search=@${file}`, '--output=json']).pairs).toEqual([['search', 'alice']]);
    const found = await cliClient().listAccounts({ searchType: 'user', search: `@${file}` });
    expect(found).toEqual([]);
    expect(h.sim.log.find('listaccts')[0]?.params.search).toBe(`@${file}`);
    await expect(cliClient({ cliEscaping: 'none' }).listAccounts({ searchType: 'user', search: `@${file}` })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('when the zone changed since it was read, then STALE_SERIAL from the tool’s JSON', async () => {
    const client = cliClient();
    const zone = await client.zones.readZone('bob.example');
    h.sim.concurrentEditBeforeNextMassEdit('bob.example');
    await expect(client.zones.massEdit(lockdown('bob.example', zone.serial))).rejects.toMatchObject({ code: 'STALE_SERIAL' });
  });

  it('when the zone does not exist, then NOT_OWNED with the text', async () => {
    await expect(cliClient().zones.readZone('nope.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'This system does not have a domain named “nope.example”.',
    });
  });

  it('when a read hangs once, then the tool is killed at the deadline and the read retried', async () => {
    h.sim.injectFault({ kind: 'hang', match: 'parse_dns_zone' });
    expect((await cliClient({ timeoutMs: 4000 }).zones.readZone('example.com')).name).toBe('example.com');
    expect(h.sim.log.find('parse_dns_zone')).toHaveLength(2);
  });

  it('when the API answers 500 once, then the tool fails without JSON (TRANSPORT) and the read is retried', async () => {
    h.sim.injectFault({ kind: 'status', status: 500, match: 'listzones' });
    expect(await cliClient().listZones()).toHaveLength(8);
    expect(h.sim.log.find('listzones')).toHaveLength(2);
  });

  it('when mass_edit hangs, then TIMEOUT after one request: the write is not re-run', async () => {
    const client = cliClient({ timeoutMs: 4000 });
    const zone = await client.zones.readZone('carol.example');
    h.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone' });
    await expect(client.zones.massEdit(lockdown('carol.example', zone.serial))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(h.sim.log.find('mass_edit_dns_zone')).toHaveLength(1);
  });
});

describe('uapi --user', () => {
  it('when alice reads her zone, then the wrapped envelope decodes', async () => {
    expect((await cliClient().userZones('alice').readZone('example.com')).name).toBe('example.com');
    expect(h.sim.log.find('uapi_cpanel DNS/parse_zone')[0]?.params['cpanel.user']).toBe('alice');
  });

  it('when alice reads bob’s zone, then NOT_OWNED with cPanel’s exact text', async () => {
    await expect(cliClient().userZones('alice').readZone('bob.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “bob.example”.',
    });
  });

  it('when alice edits her zone (default escaping), then the change lands; bob without zoneedit gets FEATURE_MISSING', async () => {
    const client = cliClient();
    const store = client.userZones('alice');
    const zone = await store.readZone('addon.tld');
    const { newSerial } = await store.massEdit(lockdown('addon.tld', zone.serial));
    expect((await store.readZone('addon.tld')).serial).toBe(newSerial);
    const bob = client.userZones('bob');
    const bobZone = await bob.readZone('bob.example');
    await expect(bob.massEdit(lockdown('bob.example', bobZone.serial))).rejects.toMatchObject({ code: 'FEATURE_MISSING' });
  });

  it('when the user has no cpuser file, then NOT_FOUND and uapi never runs (not a transport failure)', async () => {
    const usersDir = join(h.dir, 'cpanel-users');
    mkdirSync(usersDir, { recursive: true });
    writeFileSync(join(usersDir, 'alice'), 'OWNER=root\n');
    const client = cliClient({ retry: { attempts: 1 }, cpanelUsersDir: usersDir });
    await expect(client.userZones('mallory').readZone('example.com')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('There is no cPanel account “mallory”'),
    });
    expect(h.sim.log.all()).toEqual([]);
    expect((await client.userZones('alice').readZone('example.com')).name).toBe('example.com');
  });

  it('when no cpuser directory is given and the user does not exist, then the tool prints no JSON (TRANSPORT)', async () => {
    const err = await cliClient({ retry: { attempts: 1 } })
      .userZones('mallory')
      .readZone('example.com')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TRANSPORT', upstream: { stderr: expect.stringContaining('The user “mallory” does not exist.') } });
    // The tool's error output is for the log and root, not for the message a cPanel user may see.
    expect((err as Error).message).not.toContain('mallory” does not exist');
  });

  it('when alice lists her domains, then list_domains comes through', async () => {
    expect((await cliClient().userAccounts('alice').listDomains()).map((d) => d.domain)).toEqual([
      'example.com',
      'addon.tld',
      'alias.tld',
      'shop.example.com',
    ]);
  });
});

describe('uapi_cpanel through whmapi1', () => {
  const store = (user: string) =>
    new UapiZoneStore(
      new UapiApi(new UapiViaWhmTransport(new WhmCliTransport({ binary: join(SHIM_BIN_DIR, 'whmapi1'), timeoutMs: 20000, env }), user), {
        sleep: async () => undefined,
      }),
    );

  it('when alice reads her zone, then data.uapi is unwrapped from the whmapi1 JSON', async () => {
    expect((await store('alice').readZone('example.com')).serial).toMatch(/^\d{10}$/);
  });

  it('when alice reads bob’s zone, then the inner failure wins over metadata.result 1', async () => {
    await expect(store('alice').readZone('bob.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “bob.example”.',
    });
  });

  it('when the user is unknown, then the outer failure is NOT_OWNED with the exact text', async () => {
    await expect(store('mallory').readZone('example.com')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'The user “mallory” does not exist.',
    });
  });
});
