/**
 * The Plesk adapter against the Plesk simulator and a real PowerDNS: domains of every type mapped to
 * the shared model, authority by zone mode with the record to publish, zones with a version, and
 * the compare-and-set write — its happy path, the concurrent edits it must refuse, the failures it
 * must undo, and the `<del_rec>` it must never send.
 */
import { notAuthoritativeFinding } from '../../../src/checks/dns';
import { XmlDns, HttpsXmlTransport, type PanelChange, type PleskPanel } from '../../../src/adapters/plesk';
import { delRecByIds, assertNoBroadDelete } from '../../../src/adapters/plesk/xml/packets';
import type { ZoneRecord } from '../../../src/zone/model';
import { queryPowerDns } from '../../support/pdns';
import { PLESK_KEY, pleskPanel, startTestPlesk, type StartedPlesk } from '../../support/plesk';

async function txtAt(p: StartedPlesk, name: string): Promise<string[]> {
  const answer = await queryPowerDns(p.pdns?.port as number, name, 'TXT');
  return (answer?.answers ?? []).filter((a) => a.type === 'TXT').map((a) => (a.data as Buffer[]).map((b) => b.toString()).join(''));
}

/** The repair of a stale lockdown record as the planner would hand it over. */
async function replaceLockdown(panel: PleskPanel, zone: string, value: string): Promise<PanelChange> {
  const { model, version } = await panel.readZone(zone);
  const expected = model.records.filter((r: ZoneRecord) => r.name === `_mailchannels.${zone}.`);
  return {
    zone,
    version,
    expected,
    remove: expected.map((r) => r.lineIndex),
    add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: [value] }],
  };
}

const ops = (p: StartedPlesk) => p.sim.log.flatMap((e) => e.ops);

describe('Plesk adapter: domains and authority', () => {
  let p: StartedPlesk;
  beforeAll(async () => {
    p = await startTestPlesk();
  });
  afterAll(() => p?.stop());

  test('when the server is listed, then every Plesk domain type maps to the model with customer, reseller, subscription and zone', async () => {
    const domains = await pleskPanel(p.sim).listDomains();
    const by = (name: string) => domains.find((d) => d.domain === name);
    expect(by('example.com')).toMatchObject({
      type: 'main',
      user: 'alice',
      owner: 'admin',
      subscription: 'example.com',
      zone: 'example.com',
    });
    expect(by('addon.tld')).toMatchObject({ type: 'addon', user: 'alice', subscription: 'example.com', zone: 'addon.tld' });
    expect(by('shop.example.com')).toMatchObject({ type: 'sub', subscription: 'example.com', zone: 'example.com' });
    expect(by('alias.tld')).toMatchObject({ type: 'parked', subscription: 'example.com', zone: 'alias.tld' });
    expect(by('bob.example')).toMatchObject({ type: 'main', user: 'bob', owner: 'resell' });
    expect(by('slave.example')).toMatchObject({ type: 'addon', user: 'bob', owner: 'resell', subscription: 'bob.example' });
    expect(by('admin.example')).toMatchObject({ type: 'main', user: 'admin', owner: 'admin' });
    expect(domains).toHaveLength(10);
  });

  test('when zones are secondary, switched off, or an alias has none, then they are not authoritative here and the finding names the record to publish', async () => {
    const panel = pleskPanel(p.sim);
    await panel.listDomains();
    const answers = await panel.authority(['example.com', 'shop.example.com', 'slave.example', 'offsite.example', 'nodns.tld']);
    expect(answers.map((a) => [a.domain, a.local])).toEqual([
      ['example.com', true],
      ['shop.example.com', true],
      ['slave.example', false],
      ['offsite.example', false],
      ['nodns.tld', false],
    ]);
    const slave = answers[2] as (typeof answers)[number];
    expect(slave.nameservers).toEqual(['203.0.113.53']);
    const publish = { name: '_mailchannels.slave.example.', ttl: 300, data: ['v=mc1 auth=webhostingm'] };
    const found = notAuthoritativeFinding(slave, { publish: [publish] });
    expect(found?.code).toBe('DNS_NOT_AUTHORITATIVE');
    expect(found?.message).toContain('_mailchannels.slave.example. TXT "v=mc1 auth=webhostingm"');
    expect(found?.message).toContain('203.0.113.53');
  });

  test('when another user edits a zone, then its version changes', async () => {
    const panel = pleskPanel(p.sim);
    const before = await panel.readZone('example.com');
    expect(before.model.records.find((r) => r.name === '_mailchannels.example.com.')?.data).toEqual(['v=mc1 auth=webhostingm']);
    await p.sim.editAsOtherUser('example.com', { add: [{ type: 'TXT', host: 'other', value: 'someone else' }] });
    expect((await panel.readZone('example.com')).version).not.toBe(before.version);
  });
});

const TRANSPORTS = [
  { transport: 'api' as const, read: 'dns/get_rec', add: 'dns/add_rec', del: 'dns/del_rec' },
  { transport: 'rest' as const, read: 'GET /api/v2/dns/records', add: 'POST /api/v2/dns/records', del: 'DELETE /api/v2/dns/records/' },
];

describe.each(TRANSPORTS)('Plesk adapter: the guarded write over $transport', ({ transport, read, add, del }) => {
  const panelOf = (sim: StartedPlesk['sim']) => pleskPanel(sim, undefined, { transport });
  const sent = (p: StartedPlesk, op: string) => ops(p).some((o) => o.startsWith(op));
  let p: StartedPlesk;
  beforeEach(async () => {
    p = await startTestPlesk({ dns: true });
  });
  afterEach(() => p?.stop());

  test('when a stale record is replaced, then add → del_rec by id → read back, and PowerDNS serves only the new value', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    p.sim.log.length = 0;
    const outcome = await panel.writeChange(change);
    expect(outcome.consistent).toBe(true);
    expect(ops(p).map((o) => (o.startsWith(del) ? del : o))).toEqual([read, add, del, read]);
    const deletion = p.sim.log.find((e) => e.ops.some((o) => o.startsWith(del)));
    if (transport === 'api') expect(deletion?.body).toContain(`<del_rec><filter><id>${change.remove[0]}</id></filter></del_rec>`);
    else expect(deletion?.path).toBe(`/api/v2/dns/records/${change.remove[0]}`);
    expect(await txtAt(p, '_mailchannels.migrated.example')).toEqual(['v=mc1 auth=webhostingm']);
    expect(outcome.notes.join(' ')).toMatch(/no TTL per record/);
  });

  test('when another user adds a second _mailchannels record after the plan was read, then STALE_SERIAL and nothing is written', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    await p.sim.editAsOtherUser('migrated.example', { add: [{ type: 'TXT', host: '_mailchannels', value: 'v=mc1 auth=someoneelse' }] });
    p.sim.log.length = 0;
    await expect(panel.writeChange(change)).rejects.toMatchObject({ code: 'STALE_SERIAL' });
    expect(ops(p)).toEqual([read]);
    expect(
      p.sim
        .records('migrated.example')
        .filter((r) => r.host.startsWith('_mailchannels'))
        .map((r) => r.value)
        .sort(),
    ).toEqual(['v=mc1 auth=oldhost', 'v=mc1 auth=someoneelse']);
  });

  test('when the old record is edited (deleted and re-added with a new id) right before the re-read, then STALE_SERIAL', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    p.sim.editBeforeNext('get_rec', 'migrated.example', {
      removeIds: change.remove,
      add: [{ type: 'TXT', host: '_mailchannels', value: 'v=mc1 auth=oldhost' }],
    });
    await expect(panel.writeChange(change)).rejects.toMatchObject({ code: 'STALE_SERIAL' });
    expect(sent(p, add)).toBe(false);
  });

  test('when an unrelated record elsewhere in the zone changes meanwhile, then the write still goes through', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    await p.sim.editAsOtherUser('migrated.example', { add: [{ type: 'A', host: 'blog', value: '192.0.2.77' }] });
    await expect(panel.writeChange(change)).resolves.toMatchObject({ consistent: true });
  });

  test('when the delete fails after the add, then the added record is removed again and the zone is as before', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    p.sim.failNext('del_rec', 'migrated.example', 1002, 'Internal error');
    await expect(panel.writeChange(change)).rejects.toMatchObject({ code: 'API_ERROR' });
    expect(
      p.sim
        .records('migrated.example')
        .filter((r) => r.host.startsWith('_mailchannels'))
        .map((r) => r.value),
    ).toEqual(['v=mc1 auth=oldhost']);
    expect(await txtAt(p, '_mailchannels.migrated.example')).toEqual(['v=mc1 auth=oldhost']);
  });

  test('when the add fails, then nothing is deleted', async () => {
    const panel = panelOf(p.sim);
    const change = await replaceLockdown(panel, 'migrated.example', 'v=mc1 auth=webhostingm');
    p.sim.failNext('add_rec', 'migrated.example', 1002, 'Internal error');
    await expect(panel.writeChange(change)).rejects.toMatchObject({ code: 'API_ERROR' });
    expect(sent(p, del)).toBe(false);
    expect(
      p.sim
        .records('migrated.example')
        .filter((r) => r.host.startsWith('_mailchannels'))
        .map((r) => r.value),
    ).toEqual(['v=mc1 auth=oldhost']);
  });
});

describe('Plesk adapter: an empty-filter <del_rec> cannot be built or sent', () => {
  let p: StartedPlesk;
  beforeAll(async () => {
    p = await startTestPlesk();
  });
  afterAll(() => p?.stop());

  test('when a delete without ids is asked for, then the type refuses it and so does the builder at run time', () => {
    // @ts-expect-error NonEmptyIds: at least one id, by type.
    expect(() => delRecByIds([])).toThrow(expect.objectContaining({ code: 'UNSAFE_VALUE' }));
    expect(() => delRecByIds([0])).toThrow(expect.objectContaining({ code: 'UNSAFE_VALUE' }));
    expect(() => delRecByIds([Number.NaN])).toThrow(expect.objectContaining({ code: 'UNSAFE_VALUE' }));
    expect(() => assertNoBroadDelete('<packet><dns><del_rec><filter><site-id>1</site-id></filter></del_rec></dns></packet>')).toThrow(
      /whole zones/,
    );
  });

  test('when a broad del_rec packet reaches the transport or the adapter is handed records without ids, then nothing is sent and every record stays', async () => {
    const transport = new HttpsXmlTransport({
      baseUrl: p.sim.url,
      apiKey: PLESK_KEY,
      tls: { fingerprint: p.sim.fingerprint256 },
      timeoutMs: 5000,
    });
    const count = p.sim.state.records.size;
    p.sim.log.length = 0;
    for (const packet of [
      '<packet><dns><del_rec><filter/></del_rec></dns></packet>',
      '<packet><dns><del_rec><filter/><template/></del_rec></dns></packet>',
      '<packet><dns><del_rec></del_rec></dns></packet>',
    ]) {
      await expect(transport.post(packet, 'test', 'apply')).rejects.toMatchObject({ code: 'UNSAFE_VALUE' });
    }
    const record = { key: 'x', id: null, type: 'TXT', host: '_mailchannels.example.com.', value: 'v', opt: '' };
    await expect(new XmlDns(transport).remove({ zone: 'example.com', siteId: 1 }, [record])).rejects.toMatchObject({
      code: 'UNSAFE_VALUE',
    });
    expect(p.sim.log).toEqual([]);
    expect(p.sim.state.records.size).toBe(count);
  });
});
