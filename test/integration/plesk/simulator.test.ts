/**
 * The Plesk simulator against the reference's checklist (XML API shapes, errors, the empty-filter
 * delete, batches, TXT length, zone modes, the DNS template, the CLI, REST, events), with a real
 * PowerDNS serving what it writes. One simulator per describe; tests that destroy data get their own.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseXml, childrenNamed, child, childText } from '../../../src/adapters/plesk/xml/nodes';
import { queryPowerDns } from '../../support/pdns';
import { run } from '../plugin/support/run';
import { callPlesk, PLESK_KEY, pleskShimEnv, SHIM_BIN_DIR, startTestPlesk, xmlAsAdmin, type StartedPlesk } from '../../support/plesk';

const results = (body: string, operator: string, op: string) =>
  childrenNamed(child(parseXml(body), operator), op).flatMap((e) => childrenNamed(e, 'result'));
const siteIdOf = (p: StartedPlesk, name: string) => p.sim.state.domainByName(name)?.id as number;

async function txtAt(p: StartedPlesk, name: string): Promise<string[]> {
  const answer = await queryPowerDns(p.pdns?.port as number, name, 'TXT');
  return (answer?.answers ?? []).filter((a) => a.type === 'TXT').map((a) => (a.data as Buffer[]).map((b) => b.toString()).join(''));
}

describe('Plesk simulator: XML API records', () => {
  let p: StartedPlesk;
  beforeAll(async () => {
    p = await startTestPlesk({ dns: true });
  });
  afterAll(() => p?.stop());

  test('when credentials are wrong, then the whole packet fails with <system> errcode 1001', async () => {
    const answer = await callPlesk(p.sim, '/enterprise/control/agent.php', '<packet><dns><get_rec><filter/></get_rec></dns></packet>', {
      'Content-Type': 'text/xml',
      HTTP_AUTH_LOGIN: 'admin',
      HTTP_AUTH_PASSWD: 'wrong',
    });
    const system = child(parseXml(answer.body), 'system');
    expect([childText(system, 'status'), childText(system, 'errcode')]).toEqual(['error', '1001']);
  });

  test('when a secret key is used from another address than it was made for, then it is refused', async () => {
    p.sim.addKey({ key: 'OTHERIPKEY-0123456789ab', login: 'admin', ip: '192.0.2.99', description: '' });
    const answer = await callPlesk(
      p.sim,
      '/enterprise/control/agent.php',
      '<packet><server><get><admin-domain-list/></get></server></packet>',
      { KEY: 'OTHERIPKEY-0123456789ab' },
    );
    expect(childText(child(parseXml(answer.body), 'system'), 'errcode')).toBe('1001');
  });

  test('when records are read by site, then hosts are absolute with the final dot, values unquoted, ids integers', async () => {
    const answer = await xmlAsAdmin(
      p.sim,
      `<packet><dns><get_rec><filter><site-id>${siteIdOf(p, 'example.com')}</site-id></filter></get_rec></dns></packet>`,
    );
    const lockdown = results(answer.body, 'dns', 'get_rec').find(
      (r) => childText(child(r, 'data'), 'host') === '_mailchannels.example.com.',
    );
    expect(childText(child(lockdown, 'data'), 'value')).toBe('v=mc1 auth=webhostingm');
    expect(childText(lockdown, 'id')).toMatch(/^[1-9][0-9]*$/);
  });

  test('when add_rec is given a relative host, then the record lands at host.zone and PowerDNS serves it', async () => {
    const answer = await xmlAsAdmin(
      p.sim,
      `<packet><dns><add_rec><site-id>${siteIdOf(p, 'addon.tld')}</site-id><type>TXT</type><host>_mailchannels</host><value>v=mc1 auth=webhostingm</value></add_rec></dns></packet>`,
    );
    const [result] = results(answer.body, 'dns', 'add_rec');
    expect(childText(result, 'status')).toBe('ok');
    expect(await txtAt(p, '_mailchannels.addon.tld')).toEqual(['v=mc1 auth=webhostingm']);
  });

  test('when add_rec is given an absolute name, then Plesk appends the zone again (the misplaced record)', async () => {
    await xmlAsAdmin(
      p.sim,
      `<packet><dns><add_rec><site-id>${siteIdOf(p, 'addon.tld')}</site-id><type>TXT</type><host>_mailchannels.addon.tld</host><value>v=mc1 auth=typo</value></add_rec></dns></packet>`,
    );
    expect(p.sim.records('addon.tld').map((r) => r.host)).toContain('_mailchannels.addon.tld.addon.tld.');
  });

  test('when ids, sites and values do not exist or are too long, then each operation answers its documented error and nothing changes', async () => {
    const before = p.sim.records('example.com').length;
    const answer = await xmlAsAdmin(
      p.sim,
      `<packet><dns><get_rec><filter><id>999999</id></filter></get_rec><del_rec><filter><id>999999</id></filter></del_rec>` +
        `<add_rec><site-id>999999</site-id><type>TXT</type><host>x</host><value>y</value></add_rec>` +
        `<add_rec><site-id>${siteIdOf(p, 'example.com')}</site-id><type>TXT</type><host>long</host><value>${'a'.repeat(256)}</value></add_rec></dns></packet>`,
    );
    expect(results(answer.body, 'dns', 'get_rec')).toEqual([]);
    expect(childText(results(answer.body, 'dns', 'del_rec')[0], 'errcode')).toBe('1013');
    const adds = results(answer.body, 'dns', 'add_rec');
    expect(adds.map((r) => [childText(r, 'status'), childText(r, 'errcode')])).toEqual([
      ['error', '1015'],
      ['error', expect.stringMatching(/^\d+$/)],
    ]);
    expect(p.sim.records('example.com').length).toBe(before);
  });

  test('when a batch mixes a good and a bad delete, then one result each and the good one is done (partial success)', async () => {
    const [kept] = await p.sim.editAsOtherUser('example.com', { add: [{ type: 'TXT', host: 'batch', value: 'one' }] });
    const answer = await xmlAsAdmin(
      p.sim,
      `<packet><dns><del_rec><filter><id>${kept}</id></filter></del_rec><del_rec><filter><id>999998</id></filter></del_rec></dns></packet>`,
    );
    expect(results(answer.body, 'dns', 'del_rec').map((r) => childText(r, 'status'))).toEqual(['ok', 'error']);
    expect(p.sim.records('example.com').some((r) => r.id === kept)).toBe(false);
  });

  test('when zone modes are asked, then primary, secondary and disabled come back as type and status', async () => {
    const packet = `<packet><dns><get><filter><site-id>${siteIdOf(p, 'example.com')}</site-id><site-id>${siteIdOf(p, 'slave.example')}</site-id><site-id>${siteIdOf(p, 'offsite.example')}</site-id></filter></get></dns></packet>`;
    const modes = results((await xmlAsAdmin(p.sim, packet)).body, 'dns', 'get').map((r) => [
      childText(r, 'zone-type'),
      childText(r, 'zone-status'),
    ]);
    expect(modes).toEqual([
      ['master', 'enabled'],
      ['slave', 'enabled'],
      ['master', 'disabled'],
    ]);
    expect(p.sim.servedZones()).not.toContain('slave.example');
    expect(await p.sim.zoneText('offsite.example')).toBeNull();
  });

  test("when a customer without DNS permission or another customer's site is asked, then Plesk refuses", async () => {
    const carol = await callPlesk(
      p.sim,
      '/enterprise/control/agent.php',
      `<packet><dns><get_rec><filter><site-id>${siteIdOf(p, 'offsite.example')}</site-id></filter></get_rec></dns></packet>`,
      { HTTP_AUTH_LOGIN: 'carol', HTTP_AUTH_PASSWD: 'carol-pw' },
    );
    expect(childText(results(carol.body, 'dns', 'get_rec')[0], 'status')).toBe('error');
    const bob = await callPlesk(
      p.sim,
      '/enterprise/control/agent.php',
      `<packet><dns><get_rec><filter><site-id>${siteIdOf(p, 'example.com')}</site-id></filter></get_rec></dns></packet>`,
      { HTTP_AUTH_LOGIN: 'bob', HTTP_AUTH_PASSWD: 'bob-pw' },
    );
    expect(childText(results(bob.body, 'dns', 'get_rec')[0], 'status')).toBe('error');
  });
});

describe('Plesk simulator: the DNS template and new domains', () => {
  let p: StartedPlesk;
  beforeAll(async () => {
    p = await startTestPlesk({ dns: true });
  });
  afterAll(() => p?.stop());

  test('when a stale _mailchannels record is in the server template, then every new domain gets it, with events after the change', async () => {
    await xmlAsAdmin(
      p.sim,
      '<packet><dns><add_rec><type>TXT</type><host>_mailchannels</host><value>v=mc1 auth=oldhost</value></add_rec></dns></packet>',
    );
    const template = results(
      (await xmlAsAdmin(p.sim, '<packet><dns><get_rec><filter/><template/></get_rec></dns></packet>')).body,
      'dns',
      'get_rec',
    );
    expect(template.map((r) => childText(child(r, 'data'), 'host'))).toContain('_mailchannels.<domain>.');
    p.sim.events.length = 0;
    await p.sim.addSubscription('fresh.example', 'alice', [{ name: 'fresh-sub.fresh.example', type: 'subdomain', manageDns: true }]);
    expect(
      p.sim
        .records('fresh.example')
        .filter((r) => r.host === '_mailchannels.fresh.example.')
        .map((r) => r.value),
    ).toEqual(['v=mc1 auth=oldhost']);
    expect(p.sim.events.map((e) => e.action)).toEqual(expect.arrayContaining(['domain_create', 'subdomain_create']));
    // The new zone is served at once (PowerDNS learns a new zone through bind-add-zone).
    expect(await txtAt(p, '_mailchannels.fresh.example')).toEqual(['v=mc1 auth=oldhost']);
  });
});

describe('Plesk simulator: <del_rec><filter/></del_rec>', () => {
  test('when del_rec has an empty filter, then every record of every zone on the server is deleted (the documented trap)', async () => {
    const p = await startTestPlesk({ dns: true });
    try {
      expect(await txtAt(p, '_mailchannels.example.com')).toEqual(['v=mc1 auth=webhostingm']);
      const answer = await xmlAsAdmin(p.sim, '<packet><dns><del_rec><filter/></del_rec></dns></packet>');
      expect(results(answer.body, 'dns', 'del_rec').length).toBeGreaterThan(20);
      for (const zone of ['example.com', 'migrated.example', 'bob.example', 'addon.tld']) expect(p.sim.records(zone)).toEqual([]);
      expect(p.sim.state.templateRecords().length).toBeGreaterThan(0);
      expect(await txtAt(p, '_mailchannels.example.com')).toEqual([]);
    } finally {
      await p.stop();
    }
  });
});

describe('Plesk simulator: CLI and REST', () => {
  let p: StartedPlesk;
  let dir: string;
  beforeAll(async () => {
    p = await startTestPlesk();
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-shim-'));
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const plesk = (args: string[]) => run(join(SHIM_BIN_DIR, 'plesk'), args, { env: pleskShimEnv(p.sim, dir), killAfterMs: 20000 });

  test('when dns --info runs, then one line per record: absolute name, type, value; no TTL, no ids', async () => {
    const result = await plesk(['bin', 'dns', '--info', 'migrated.example']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\n_mailchannels.migrated.example. TXT v=mc1 auth=oldhost\n');
    expect(result.stdout).toContain('\nmigrated.example. MX 10 mail.migrated.example.\n');
  });

  test('when dns --add adds a record that exists, then it exits 2 and nothing is added', async () => {
    const args = ['bin', 'dns', '--add', 'migrated.example', '-txt', 'v=mc1 auth=oldhost', '-domain', '_mailchannels'];
    const before = p.sim.records('migrated.example').length;
    expect((await plesk(args)).code).toBe(2);
    expect(p.sim.records('migrated.example').length).toBe(before);
  });

  test('when REST is called with the API key, then domains and records come back as JSON; without it, 401', async () => {
    const domains = await callPlesk(p.sim, '/api/v2/domains', '', { 'X-API-Key': PLESK_KEY }, 'GET');
    expect(JSON.parse(domains.body)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'example.com', hosting_type: 'virtual' })]),
    );
    const records = await callPlesk(p.sim, '/api/v2/dns/records?domain=migrated.example', '', { 'X-API-Key': PLESK_KEY }, 'GET');
    expect(JSON.parse(records.body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ host: '_mailchannels.migrated.example.', value: 'v=mc1 auth=oldhost', type: 'TXT' }),
      ]),
    );
    expect((await callPlesk(p.sim, '/api/v2/domains', '', {}, 'GET')).status).toBe(401);
  });
});
