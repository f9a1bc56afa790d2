/**
 * The Plesk adapter's transports: HTTPS faults become typed errors (the simulator's fault knobs,
 * shared with the cPanel simulator), a certificate that is not the pinned one gets no API key, and
 * the local fallback over `plesk bin` (the shim forwarding to the simulator) reads and writes under
 * the same guard, comparing by content.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { ZoneRecord } from '../../../src/zone/model';
import { pleskCliPanel, pleskPanel, startTestPlesk, type StartedPlesk } from '../../support/plesk';

describe('Plesk adapter over HTTPS: faults', () => {
  let p: StartedPlesk;
  beforeAll(async () => {
    p = await startTestPlesk();
  });
  afterAll(() => p?.stop());
  afterEach(() => p.sim.faults.clear());

  test.each([
    { name: 'HTTP 502', fault: { kind: 'status' as const, status: 502 }, code: 'TRANSPORT' },
    { name: 'dropped connection', fault: { kind: 'drop' as const }, code: 'TRANSPORT' },
    { name: 'refused credentials', fault: { kind: 'auth' as const }, code: 'AUTHENTICATION' },
    { name: 'answer that never comes', fault: { kind: 'hang' as const }, code: 'TIMEOUT' },
  ])('when the server answers a read with a $name, then the read fails with $code', async ({ fault, code }) => {
    p.sim.injectFault({ ...fault, match: 'dns/get_rec' });
    const panel = pleskPanel(p.sim, undefined, { timeoutMs: 500 });
    await expect(panel.readZone('example.com')).rejects.toMatchObject({ code });
  });

  test('when the certificate is not the pinned one, then no request reaches the server', async () => {
    p.sim.log.length = 0;
    const panel = pleskPanel(p.sim, undefined, { fingerprint: `${'AB:'.repeat(31)}AB` });
    await expect(panel.listDomains()).rejects.toMatchObject({ code: 'TRANSPORT', message: expect.stringMatching(/API key was not sent/) });
    expect(p.sim.log).toEqual([]);
  });

  test('when the API key is wrong, then AUTHENTICATION', async () => {
    await expect(pleskPanel(p.sim, 'WRONGKEY-0123456789abcdef').listDomains()).rejects.toMatchObject({ code: 'AUTHENTICATION' });
  });
});

describe('Plesk adapter over plesk bin (local fallback)', () => {
  let p: StartedPlesk;
  let dir: string;
  beforeAll(async () => {
    p = await startTestPlesk({ dns: true });
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-cli-'));
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when sites are listed, then their types, subscriptions, owners and zone modes come from site --info', async () => {
    const panel = pleskCliPanel(p.sim, dir);
    const domains = await panel.listDomains();
    expect(domains.find((d) => d.domain === 'shop.example.com')).toMatchObject({
      type: 'sub',
      zone: 'example.com',
      subscription: 'example.com',
      user: 'alice',
    });
    expect(domains.find((d) => d.domain === 'addon.tld')).toMatchObject({ type: 'addon', subscription: 'example.com' });
    const [slave, offsite, main] = await panel.authority(['slave.example', 'offsite.example', 'example.com']);
    expect([slave?.local, offsite?.local, main?.local]).toEqual([false, false, true]);
  }, 60000);

  test('when a stale record is replaced through the CLI, then it is added and deleted by value; a concurrent change is refused', async () => {
    const panel = pleskCliPanel(p.sim, dir);
    const plan = async () => {
      const { model, version } = await panel.readZone('migrated.example');
      const expected = model.records.filter((r: ZoneRecord) => r.name === '_mailchannels.migrated.example.');
      return {
        zone: 'migrated.example',
        version,
        expected,
        remove: expected.map((r) => r.lineIndex),
        add: [{ dname: '_mailchannels', ttl: 86400, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
      };
    };
    const stale = await plan();
    await p.sim.editAsOtherUser('migrated.example', { add: [{ type: 'TXT', host: '_mailchannels', value: 'v=mc1 auth=third' }] });
    await expect(panel.writeChange(stale)).rejects.toMatchObject({ code: 'STALE_SERIAL' });
    const fresh = await plan();
    await expect(panel.writeChange(fresh)).resolves.toMatchObject({ consistent: true, notes: [] });
    expect(
      p.sim
        .records('migrated.example')
        .filter((r) => r.host.startsWith('_mailchannels'))
        .map((r) => r.value),
    ).toEqual(['v=mc1 auth=webhostingm']);
  }, 60000);
});
