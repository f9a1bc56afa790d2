/**
 * Contract: UAPI through WHM (docs/reference/cpanel-api.md §2.1) — `uapi_cpanel` nesting, its gotcha (result 1
 * while the inner UAPI status is 0), the user's feature list applying, reseller reach, and the
 * legacy `/json-api/cpanel` bridge.
 */
import { startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

const ADD = JSON.stringify({ dname: '_mailchannels', ttl: 14400, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] });
const asUser = (user: string, moduleFn: string, ...rest: Array<[string, string]>): Array<[string, string]> => {
  const [module, fn] = moduleFn.split('/') as [string, string];
  return [['cpanel.user', user], ['cpanel.module', module], ['cpanel.function', fn], ...rest];
};

describe('uapi_cpanel', () => {
  let started: StartedSimulator;
  beforeEach(async () => {
    started = await startTestSimulator({ clock: () => new Date('2026-11-28T12:00:00Z') });
  });
  afterEach(() => started.stop());

  test('when root runs parse_zone as alice, then the UAPI result sits unchanged under data.uapi', async () => {
    const direct = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']]);
    const nested = await whm(started.sim, 'root', T.root, 'uapi_cpanel', asUser('alice', 'DNS/parse_zone', ['zone', 'example.com']));
    expect(nested.json).toEqual({ metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 }, data: { uapi: direct.json } });
  });

  test('when the inner UAPI call fails, then metadata.result is still 1 and data.uapi carries status 0 (the gotcha)', async () => {
    const answer = await whm(
      started.sim,
      'root',
      T.root,
      'uapi_cpanel',
      asUser('alice', 'DNS/mass_edit_zone', ['zone', 'example.com'], ['serial', '1999010100'], ['add', ADD]),
    );
    expect(answer.json.metadata).toEqual({ command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 });
    expect(answer.json.data.uapi).toMatchObject({ status: 0, data: { type: 'Stale', detail: null } });
    expect(answer.json.data.uapi.errors[0]).toMatch(/^The given serial number \(1999010100\)/);
  });

  test('when the user lacks zoneedit, then the call through WHM is refused by the user’s feature list', async () => {
    const answer = await whm(
      started.sim,
      'root',
      T.root,
      'uapi_cpanel',
      asUser('carol', 'DNS/mass_edit_zone', ['zone', 'carol.example'], ['serial', '2024060100'], ['add', ADD]),
    );
    expect(answer.json.metadata.result).toBe(1);
    expect(answer.json.data.uapi.errors).toEqual(['You do not have the features “simplezoneedit”, “zoneedit”, or “changemx”.']);
  });

  test('when root edits through uapi_cpanel, then the write lands and list params reach the inner call', async () => {
    const answer = await whm(
      started.sim,
      'root',
      T.root,
      'uapi_cpanel',
      asUser('alice', 'DNS/mass_edit_zone', ['zone', 'example.com'], ['serial', '2024030101'], ['add', ADD], ['remove-1', '17']),
      'POST',
    );
    expect(answer.json.data.uapi).toMatchObject({ status: 1, data: { new_serial: 2026112800 } });
    const text = (await started.sim.zoneText('example.com')) as string;
    expect(text).not.toContain('v=spf1');
    expect(text).toContain('"v=mc1 auth=webhostingm"');
  });

  test('when the user does not exist, then the WHM envelope itself fails', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'uapi_cpanel', asUser('nobody', 'DNS/parse_zone', ['zone', 'example.com']));
    expect(answer.json.metadata.result).toBe(0);
    expect(answer.json.metadata.reason).toMatch(/^API failure: \(XID [a-z0-9]{6}\) The user “nobody” does not exist\.$/);
    expect(answer.json).not.toHaveProperty('data');
  });

  test('when a reseller reaches for an account it does not own, then the WHM envelope fails; its own account works', async () => {
    const foreign = await whm(started.sim, 'resell', T.resell, 'uapi_cpanel', asUser('alice', 'DNS/parse_zone', ['zone', 'example.com']));
    expect(foreign.json.metadata.result).toBe(0);
    const own = await whm(started.sim, 'resell', T.resell, 'uapi_cpanel', asUser('bob', 'DNS/parse_zone', ['zone', 'bob.example']));
    expect(own.json.metadata.result).toBe(1);
    expect(own.json.data.uapi.status).toBe(1);
  });

  test('when cpanel.function is missing, then the argument error is reported by WHM', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'uapi_cpanel', [
      ['cpanel.user', 'alice'],
      ['cpanel.module', 'DNS'],
    ]);
    expect(answer.json.metadata.reason).toMatch(/\) Provide the “cpanel\.function” argument\.$/);
  });

  test('when the legacy /json-api/cpanel bridge is used with API 3, then the wrapped UAPI form comes back', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'cpanel', [
      ['cpanel_jsonapi_user', 'alice'],
      ['cpanel_jsonapi_apiversion', '3'],
      ['cpanel_jsonapi_module', 'DomainInfo'],
      ['cpanel_jsonapi_func', 'list_domains'],
    ]);
    expect(answer.json).toEqual({
      apiversion: 3,
      func: 'list_domains',
      module: 'DomainInfo',
      result: {
        data: {
          main_domain: 'example.com',
          addon_domains: ['addon.tld'],
          parked_domains: ['alias.tld'],
          sub_domains: ['shop.example.com'],
        },
        errors: null,
        messages: null,
        metadata: {},
        status: 1,
        warnings: null,
      },
    });
  });
});
