/**
 * Backups on Plesk under backup.policy: Plesk's own DNS export taken and restored against the Plesk
 * simulator (with PowerDNS serving the result), JetBackup 5 first when it is there (the fake
 * `jetbackup5api`, the subscription as its account), and the policy when no copy can be taken.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JetBackupBackup } from '../../../src/adapters/jetbackup';
import { JetBackupForPlesk, PleskDnsExport, withPleskBackupPolicy, type PanelBackup, type PanelDomain } from '../../../src/adapters/plesk';
import { queryPowerDns } from '../../support/pdns';
import { setupFakeJetBackup } from '../../support/fake-jetbackup';
import { pleskPanel, startTestPlesk, type StartedPlesk } from '../../support/plesk';

const MIGRATED: PanelDomain = {
  domain: 'migrated.example',
  user: 'alice',
  owner: 'admin',
  type: 'main',
  zone: 'migrated.example',
  subscription: 'migrated.example',
};

async function txtAt(p: StartedPlesk, name: string): Promise<string[]> {
  const answer = await queryPowerDns(p.pdns?.port as number, name, 'TXT');
  return (answer?.answers ?? []).filter((a) => a.type === 'TXT').map((a) => (a.data as Buffer[]).map((b) => b.toString()).join(''));
}

const lockdown = (p: StartedPlesk) =>
  p.sim
    .records('migrated.example')
    .filter((r) => r.host.startsWith('_mailchannels'))
    .map((r) => r.value)
    .sort();

describe("Plesk's own DNS export", () => {
  let p: StartedPlesk;
  let dir: string;
  beforeEach(async () => {
    p = await startTestPlesk({ dns: true });
    dir = mkdtempSync(join(tmpdir(), 'fea-plesk-backup-'));
  });
  afterEach(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when the zone is exported, changed and restored, then exactly the exported records are back and PowerDNS serves them', async () => {
    const panel = pleskPanel(p.sim);
    const backup = new PleskDnsExport(panel, dir);
    const before = p.sim.records('migrated.example').map(({ type, host, value, opt }) => ({ type, host, value, opt }));
    const ref = await backup.snapshot(MIGRATED);
    expect((statSync(ref.file).mode & 0o777).toString(8)).toBe('600');
    expect(JSON.parse(readFileSync(ref.file, 'utf8')).records).toEqual(before);

    const [stale] = p.sim.records('migrated.example').filter((r) => r.host === '_mailchannels.migrated.example.');
    await p.sim.editAsOtherUser('migrated.example', {
      removeIds: [stale?.id as number],
      add: [
        { type: 'TXT', host: '_mailchannels', value: 'v=mc1 auth=webhostingm' },
        { type: 'A', host: 'new', value: '192.0.2.99' },
      ],
    });
    expect(await txtAt(p, '_mailchannels.migrated.example')).toEqual(['v=mc1 auth=webhostingm']);

    await backup.restoreDns(ref);
    expect(
      p.sim
        .records('migrated.example')
        .map(({ type, host, value, opt }) => ({ type, host, value, opt }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(before.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    expect(await txtAt(p, '_mailchannels.migrated.example')).toEqual(['v=mc1 auth=oldhost']);
  });

  test('when a restore finds the zone as exported, then nothing is written', async () => {
    const backup = new PleskDnsExport(pleskPanel(p.sim), dir);
    const ref = await backup.snapshot(MIGRATED);
    p.sim.log.length = 0;
    await backup.restoreDns(ref);
    expect(p.sim.log.flatMap((e) => e.ops).filter((op) => op === 'dns/add_rec' || op === 'dns/del_rec')).toEqual([]);
  });

  test('when JetBackup is missing or fails, then the export is taken (with a warning when JetBackup failed); when nothing works, the policy decides', async () => {
    const panel = pleskPanel(p.sim);
    const dnsExport = new PleskDnsExport(panel, dir);
    const broken: PanelBackup = { snapshot: () => Promise.reject(new Error('JetBackup queue error')), restoreDns: () => Promise.resolve() };
    expect((await withPleskBackupPolicy({ jetbackup: null, dnsExport }, 'required').snapshotBeforeChange(MIGRATED)).ref?.kind).toBe(
      'plesk-dns',
    );
    const fellBack = await withPleskBackupPolicy({ jetbackup: broken, dnsExport }, 'required').snapshotBeforeChange(MIGRATED);
    expect(fellBack.ref?.kind).toBe('plesk-dns');
    expect(fellBack.warning).toContain('JetBackup queue error');

    p.sim.injectFault({ kind: 'status', status: 500, match: 'dns/get_rec', times: 10 });
    await expect(withPleskBackupPolicy({ jetbackup: broken, dnsExport }, 'required').snapshotBeforeChange(MIGRATED)).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringContaining('the change was not made'),
    });
    const bestEffort = await withPleskBackupPolicy({ jetbackup: broken, dnsExport }, 'best-effort').snapshotBeforeChange(MIGRATED);
    expect(bestEffort).toMatchObject({ ref: null, warning: expect.stringContaining('going on without a backup') });
    expect(await withPleskBackupPolicy({ jetbackup: broken, dnsExport }, 'off').snapshotBeforeChange(MIGRATED)).toEqual({
      ref: null,
      skipped: 'off',
    });
    p.sim.faults.clear();
    expect(lockdown(p)).toEqual(['v=mc1 auth=oldhost']);
  });
});

describe('JetBackup 5 on Plesk', () => {
  test('when JetBackup is there, then it is used first, with the subscription as its account, and an undo restores its DNS item', async () => {
    const p = await startTestPlesk();
    const fake = setupFakeJetBackup({ zonesDir: p.zonesDir, accounts: { 'migrated.example': ['migrated.example'] } });
    const dir = mkdtempSync(join(tmpdir(), 'fea-plesk-jb-'));
    try {
      const jetbackup = new JetBackupForPlesk(
        new JetBackupBackup({ apiPath: fake.bin, env: { ...process.env, ...fake.env }, timeoutSeconds: 30, pollIntervalMs: 10 }),
      );
      const guard = withPleskBackupPolicy({ jetbackup, dnsExport: new PleskDnsExport(pleskPanel(p.sim), dir) }, 'required');
      const { ref, warning } = await guard.snapshotBeforeChange(MIGRATED);
      expect(warning).toBeUndefined();
      expect(ref).toMatchObject({ kind: 'jetbackup', user: 'migrated.example', accountId: fake.accountId('migrated.example') });
      await jetbackup.restoreDns(ref!);
      expect(fake.invocations().map((i) => i.fn)).toContain('addQueueItems');
    } finally {
      fake.cleanup();
      rmSync(dir, { recursive: true, force: true });
      await p.stop();
    }
  }, 60000);
});
