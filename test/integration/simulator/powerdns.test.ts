/**
 * With a real PowerDNS (bind backend) serving the simulator's zone files (docs/reference/cpanel-plugins.md §9): an
 * edit through the API is what the nameserver answers right after, as cPanel's RELOADBIND makes it.
 */
import { queryPowerDns } from '../../support/pdns';
import { startSimulatorWithDns, uapi, whm, TEST_TOKENS as T, type StartedSimulatorWithDns } from '../../support/simulator';

async function txt(env: StartedSimulatorWithDns, name: string): Promise<string[]> {
  const answer = await queryPowerDns(env.pdns.port, name, 'TXT', 2000);
  return (answer?.answers ?? [])
    .filter((a: any) => a.type === 'TXT')
    .map((a: any) => (a.data as Buffer[]).map((b) => b.toString('latin1')).join(''));
}

async function serial(env: StartedSimulatorWithDns, zone: string): Promise<number | undefined> {
  const answer = await queryPowerDns(env.pdns.port, zone, 'SOA', 2000);
  const soa = answer?.answers?.find((a: any) => a.type === 'SOA') as any;
  return soa?.data?.serial;
}

describe('simulator with PowerDNS', () => {
  let env: StartedSimulatorWithDns;
  beforeAll(async () => {
    env = await startSimulatorWithDns({ clock: () => new Date('2026-11-28T12:00:00Z') });
  });
  afterAll(() => env.stop());

  test('when the simulator starts with PowerDNS, then every seed zone is served from its file', async () => {
    expect(await txt(env, '_mailchannels.addon.tld')).toEqual(['v=mc1 auth=oldhost']);
    expect(await serial(env, 'example.com')).toBe(2024030101);
    expect(await txt(env, 'default._domainkey.example.com')).toEqual([
      'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAIDAQAB;',
    ]);
  });

  test('when a lockdown record is replaced through UAPI, then PowerDNS serves the new TXT and serial right after', async () => {
    const parsed = await uapi(env.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'addon.tld']]);
    const record = parsed.json.data.find(
      (i: any) => i.type === 'record' && Buffer.from(i.dname_b64, 'base64').toString() === '_mailchannels',
    );
    const edit = JSON.stringify({
      line_index: record.line_index,
      dname: '_mailchannels',
      ttl: 300,
      record_type: 'TXT',
      data: ['v=mc1 auth=webhostingm'],
    });
    const answer = await uapi(
      env.sim,
      'alice',
      T.alice,
      'DNS/mass_edit_zone',
      [
        ['zone', 'addon.tld'],
        ['serial', '2024050100'],
        ['edit', edit],
      ],
      'POST',
    );
    expect(answer.json.data).toEqual({ new_serial: 2026112800 });

    expect(await serial(env, 'addon.tld')).toBe(2026112800);
    expect(await txt(env, '_mailchannels.addon.tld')).toEqual(['v=mc1 auth=webhostingm']);
    expect(env.sim.reloadErrors).toEqual([]);
  });

  test('when root adds a record through WHM, then PowerDNS answers for the new name', async () => {
    const add = JSON.stringify({ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] });
    const answer = await whm(env.sim, 'root', T.root, 'mass_edit_dns_zone', [
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['add', add],
    ]);
    expect(answer.json.metadata.result).toBe(1);
    expect(await txt(env, '_mailchannels.example.com')).toEqual(['v=mc1 auth=webhostingm']);
  });

  test('when a zone file is restored directly (like a backup restore), then PowerDNS serves the restored file after the reload', async () => {
    const text = (await env.sim.zoneText('orphan.example')) as string;
    await env.sim.setZoneText('orphan.example', text.replace('2024070100 ;Serial', '2024070105 ;Serial'));
    expect(await serial(env, 'orphan.example')).toBe(2024070105);
  });

  test('when an account with a new zone is added, then PowerDNS starts serving that zone', async () => {
    await env.sim.addAccount({ user: 'newbie', domain: 'newbie.example' });
    expect(await txt(env, 'newbie.example')).toEqual(['v=spf1 +a +mx +ip4:192.0.2.10 ~all']);
  });
});
