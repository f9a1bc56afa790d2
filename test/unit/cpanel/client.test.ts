import { chmodSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createCpanelClient } from '../../../src/adapters/cpanel/client';
import { parseConfig } from '../../../src/config';
import { json, startLocalHttps, type LocalHttps } from './localHttps';
import * as s from './samples';

const dir = mkdtempSync(join(tmpdir(), 'cpanel-client-'));
const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const noSleep = async () => undefined;

/** Fake whmapi1/uapi: answer a valid envelope that reports the argv it got. */
function fakeCli(name: string, wrapped: boolean): string {
  const path = join(dir, name);
  const body = wrapped
    ? `{ apiversion: 3, func: 'list_domains', module: 'DomainInfo', result: { status: 1, errors: null, messages: null, warnings: null, metadata: {}, data: { main_domain: 'main.example', sub_domains: [], addon_domains: [], parked_domains: [], argv } } }`
    : `{ metadata: { command: 'listzones', reason: 'OK', result: 1, version: 1 }, data: { zone: [{ domain: argv.join(' '), zonefile: 'x.db' }] } }`;
  writeFileSync(path, `#!${process.execPath}\nconst argv = process.argv.slice(2);\nprocess.stdout.write(JSON.stringify(${body}));\n`);
  chmodSync(path, 0o755);
  return path;
}

let server: LocalHttps;
beforeAll(async () => {
  server = await startLocalHttps((req, res) => {
    if (req.url.startsWith('/json-api/listzones')) return json(res, s.whmListzones);
    if (req.url.startsWith('/json-api/uapi_cpanel'))
      return json(res, { metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 }, data: { uapi: s.parseZoneFixture } });
    if (req.url.startsWith('/execute/DNS/parse_zone')) return json(res, s.parseZoneFixture);
    json(res, { metadata: { result: 0, reason: 'unexpected', command: 'x', version: 1 } });
  });
});
afterAll(() => server.close());

const httpsConfig = (extra: Record<string, unknown> = {}) =>
  parseConfig({
    provider: { authId: 'webhostingm' },
    cpanel: { transport: 'https', whmUrl: server.baseUrl, cpanelUrl: server.baseUrl, fingerprint: server.cert.fingerprint256, ...extra },
  }).cpanel;

describe('createCpanelClient', () => {
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('when the transport is cli (the default), then whmapi1 and uapi --user from the config are run', async () => {
    const config = parseConfig({
      provider: { authId: 'x' },
      cpanel: { whmapi1: fakeCli('whmapi1', false), uapi: fakeCli('uapi', true) },
    }).cpanel;
    expect(config.transport).toBe('cli');
    const client = createCpanelClient(config, { sleep: noSleep });
    expect(await client.listZones()).toEqual([{ zone: 'listzones --output=json', zonefile: 'x.db' }]);
    const domains = await client.userAccounts('alice').listDomains();
    expect(domains).toEqual([{ domain: 'main.example', user: 'alice', owner: '', type: 'main', zone: 'main.example' }]);
  });

  it('when the transport is https, then WHM is called with the token from tokenFile and users go through uapi_cpanel', async () => {
    const tokenFile = join(dir, 'whm-token');
    writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
    const client = createCpanelClient(httpsConfig({ tokenFile }), { sleep: noSleep });
    await client.listZones();
    expect(server.requests[0]?.headers.authorization).toBe(`whm root:${TOKEN}`);
    const zone = await client.userZones('alice').readZone('example.com');
    expect(zone.serial).toBe('2024030101');
    const params = new URLSearchParams(server.requests[1]?.url.split('?')[1]);
    expect([params.get('cpanel.user'), params.get('cpanel.module'), params.get('cpanel.function'), params.get('zone')]).toEqual([
      'alice',
      'DNS',
      'parse_zone',
      'example.com',
    ]);
  });

  it('when the token file is readable by others, then the client is not created', () => {
    const tokenFile = join(dir, 'loose-token');
    writeFileSync(tokenFile, TOKEN);
    chmodSync(tokenFile, 0o644);
    expect(() => createCpanelClient(httpsConfig({ tokenFile }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('when a user token is given, then UAPI goes straight to cpanelUrl as that user and WHM is not available', async () => {
    const client = createCpanelClient(httpsConfig(), { user: 'alice', userToken: TOKEN, sleep: noSleep });
    expect(client.whm).toBeNull();
    await client.zones.readZone('example.com');
    expect(server.requests[0]).toMatchObject({
      url: '/execute/DNS/parse_zone?zone=example.com',
      headers: expect.objectContaining({ authorization: `cpanel alice:${TOKEN}` }),
    });
    expect(() => client.userZones('bob')).toThrow(expect.objectContaining({ code: 'NOT_OWNED' }));
    await expect(client.listAccounts()).rejects.toMatchObject({ code: 'NOT_OWNED' });
  });

  it('when a user token comes without its user, then CONFIG_INVALID', () => {
    expect(() => createCpanelClient(httpsConfig(), { userToken: TOKEN })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
