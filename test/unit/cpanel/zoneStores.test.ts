import { UapiApi } from '../../../src/adapters/cpanel/uapiApi';
import { WhmApi } from '../../../src/adapters/cpanel/whmApi';
import { massEditRequest, UapiZoneStore, WhmZoneStore } from '../../../src/adapters/cpanel/zoneStores';
import { isFixEmailAuthError } from '../../../src/errors';
import type { MassEditParams } from '../../../src/zone/model';
import * as s from './samples';
import { noSleep, ScriptedUapi, ScriptedWhm } from './scripted';

const edit: MassEditParams = {
  zone: 'Example.COM.',
  serial: '2024030101',
  remove: [17],
  edit: [{ line_index: 19, dname: '_dmarc', ttl: 14400, record_type: 'TXT', data: ['v=DMARC1; p=quarantine;'] }],
  add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
};

describe('mass_edit parameters (docs/reference/cpanel-api.md §6.1)', () => {
  it('when a plan is sent, then zone is normalised, serial kept as text and each add/edit is one JSON object', () => {
    expect(massEditRequest(edit)).toEqual({
      zone: 'example.com',
      serial: '2024030101',
      remove: [17],
      edit: ['{"line_index":19,"dname":"_dmarc","ttl":14400,"record_type":"TXT","data":["v=DMARC1; p=quarantine;"]}'],
      add: ['{"dname":"_mailchannels","ttl":300,"record_type":"TXT","data":["v=mc1 auth=webhostingm"]}'],
    });
  });
});

describe('WhmZoneStore', () => {
  it('when the zone is read, then parse_dns_zone data.payload becomes the Zone with its serial as text', async () => {
    const whm = new ScriptedWhm({
      parse_dns_zone: [
        { metadata: { command: 'parse_dns_zone', reason: 'OK', result: 1, version: 1 }, data: { payload: s.parseZoneFixture.data } },
      ],
    });
    const zone = await new WhmZoneStore(new WhmApi(whm, { sleep: noSleep })).readZone('Example.com.');
    expect(whm.calls[0]).toMatchObject({ name: 'parse_dns_zone', params: { zone: 'example.com' }, options: { step: 'read' } });
    expect(zone.name).toBe('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(zone.records.find((r) => r.lineIndex === 18)?.data).toEqual([
      'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
      'IDAQAB;',
    ]);
  });

  it('when mass_edit succeeds with a numeric new_serial, then it is returned as a string and the call was a write', async () => {
    const whm = new ScriptedWhm({ mass_edit_dns_zone: [s.whmMassEditOk] });
    const result = await new WhmZoneStore(new WhmApi(whm, { sleep: noSleep })).massEdit(edit);
    expect(result).toEqual({ newSerial: '2021031903' });
    expect(whm.calls[0]?.options).toEqual({ step: 'apply', write: true });
  });

  it('when WHM answers Stale, then STALE_SERIAL at step apply', async () => {
    const whm = new ScriptedWhm({ mass_edit_dns_zone: [s.whmStale] });
    const err = await new WhmZoneStore(new WhmApi(whm, { sleep: noSleep })).massEdit(edit).catch((e: unknown) => e);
    expect(isFixEmailAuthError(err, 'STALE_SERIAL')).toBe(true);
    expect((err as { step: string }).step).toBe('apply');
  });

  it('when the zone does not exist, then NOT_OWNED with the text without XID', async () => {
    const whm = new ScriptedWhm({ parse_dns_zone: [s.whmNoSuchDomain] });
    await expect(new WhmZoneStore(new WhmApi(whm, { sleep: noSleep })).readZone('nope.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'This system does not have a domain named “nope.example”.',
    });
  });

  it('when mass_edit succeeds without new_serial, then API_ERROR says the change probably landed', async () => {
    const whm = new ScriptedWhm({
      mass_edit_dns_zone: [{ metadata: { command: 'mass_edit_dns_zone', reason: 'OK', result: 1, version: 1 }, data: {} }],
    });
    await expect(new WhmZoneStore(new WhmApi(whm, { sleep: noSleep })).massEdit(edit)).rejects.toMatchObject({
      code: 'API_ERROR',
      message: expect.stringContaining('probably applied'),
    });
  });
});

describe('UapiZoneStore', () => {
  it('when the zone is read through the bare envelope, then the §5.5 fixture decodes', async () => {
    const uapi = new ScriptedUapi({ 'DNS::parse_zone': [s.parseZoneFixture] });
    const zone = await new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep })).readZone('example.com');
    expect(zone.serial).toBe('2024030101');
    expect(zone.records.map((r) => r.lineIndex)).toEqual([3, 11, 15, 16, 17, 18, 19]);
    expect(zone.lines.map((l) => [l.kind, l.lineIndex])).toEqual([
      ['comment', 0],
      ['control', 2],
    ]);
  });

  it('when the zone is read through the wrapped CLI envelope, then the same zone results', async () => {
    const wrapped = { apiversion: 3, func: 'parse_zone', module: 'DNS', result: s.parseZoneFixture };
    const uapi = new ScriptedUapi({ 'DNS::parse_zone': [wrapped] }, 'alice', 'wrapped');
    expect((await new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep })).readZone('example.com')).serial).toBe('2024030101');
  });

  it('when the zone is read through uapi_cpanel, then data.uapi.data is the payload', async () => {
    const body = { metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 }, data: { uapi: s.parseZoneFixture } };
    const uapi = new ScriptedUapi({ 'DNS::parse_zone': [body] }, 'alice', 'uapi_cpanel');
    expect((await new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep })).readZone('example.com')).records).toHaveLength(7);
  });

  it('when another user’s zone is asked for, then NOT_OWNED with cPanel’s exact text', async () => {
    const uapi = new ScriptedUapi({ 'DNS::parse_zone': [s.uapiNotOwned] });
    await expect(new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep })).readZone('nope.example')).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “nope.example”.',
    });
  });

  it('when mass_edit_zone succeeds, then new_serial comes back as text; Stale and InvalidZoneFile are typed', async () => {
    const uapi = new ScriptedUapi({ 'DNS::mass_edit_zone': [s.uapiMassEditOk, s.uapiStale, s.uapiInvalidZone] });
    const store = new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep }));
    await expect(store.massEdit(edit)).resolves.toEqual({ newSerial: '2021031903' });
    await expect(store.massEdit(edit)).rejects.toMatchObject({ code: 'STALE_SERIAL', message: s.staleText });
    await expect(store.massEdit(edit)).rejects.toMatchObject({ code: 'INVALID_ZONE' });
    expect(uapi.calls.every((c) => c.options.write === true)).toBe(true);
  });

  it('when the user lacks zoneedit, then FEATURE_MISSING', async () => {
    const uapi = new ScriptedUapi({
      'DNS::mass_edit_zone': [s.uapiFailure('You do not have the features “simplezoneedit”, “zoneedit”, or “changemx”.')],
    });
    await expect(new UapiZoneStore(new UapiApi(uapi, { sleep: noSleep })).massEdit(edit)).rejects.toMatchObject({
      code: 'FEATURE_MISSING',
    });
  });
});
