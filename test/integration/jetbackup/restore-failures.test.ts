import { writeFileSync } from 'fs';
import { isJetBackupError } from '../../../src/adapters/jetbackup';
import type { BackupRef } from '../../../src/ports';
import { failureOf, startHarness, zoneText, type Harness } from './support';

// Each test spawns the fake a dozen times; generous room for a loaded CI machine (no timing is asserted).
jest.setTimeout(120_000);

describe('JetBackup adapter against the fake jetbackup5api: DNS restore failures', () => {
  let harness: Harness;
  let ref: BackupRef;
  const changed = zoneText('example.com', 'v=mc1 auth=webhostingm');

  async function snapshotThenChange(options: Parameters<typeof startHarness>[0] = {}) {
    harness = startHarness(options);
    ref = await harness.adapter().snapshot('alice');
    writeFileSync(harness.zonePath('example.com'), changed);
  }

  afterEach(() => harness.cleanup());

  it('when JetBackup refuses to queue the restore, then its message is the error and the zone is untouched', async () => {
    await snapshotThenChange();
    harness.fake.setKnobs({ restoreQueueError: 'Restore is disabled for this account' });

    const err = await failureOf(harness.adapter().restoreDns(ref));

    expect(isJetBackupError(err, 'api-error')).toBe(true);
    expect(err).toMatchObject({ step: 'rollback', message: "JetBackup's addQueueItems failed: Restore is disabled for this account" });
    expect(harness.readZone('example.com').toString()).toBe(changed);
  });

  it('when the restore ends with status 200, then it fails with the status and log, and the zone is untouched', async () => {
    await snapshotThenChange();
    harness.fake.setKnobs({ restoreFinalStatus: 200 });

    const err = await failureOf(harness.adapter().restoreDns(ref));

    expect(isJetBackupError(err, 'finished-not-clean')).toBe(true);
    expect(err.message).toContain("JetBackup's DNS restore for alice ended with status 200");
    expect(err.message).toContain('Restore failed (simulated status 200); nothing was changed');
    expect(harness.readZone('example.com').toString()).toBe(changed);
  });

  it('when the after-restore command fails, then the restore is not clean (status 101) and says why', async () => {
    await snapshotThenChange({ afterRestore: 'echo "pdns_control: connection refused" >&2; exit 1' });

    const err = await failureOf(harness.adapter().restoreDns(ref));

    expect(isJetBackupError(err, 'finished-not-clean')).toBe(true);
    expect(err.message).toContain('ended with status 101');
    expect(err.message).toContain('After-restore command failed (exit 1): pdns_control: connection refused');
  });

  it('when the restore never finishes, then it times out and warns that it may still run', async () => {
    await snapshotThenChange();
    harness.fake.setKnobs({ pollsUntilDone: 'never' });

    const err = await failureOf(harness.adapter({ timeoutSeconds: 4, pollIntervalMs: 1000 }).restoreDns(ref));

    expect(isJetBackupError(err, 'timeout')).toBe(true);
    expect(err.message).toMatch(
      /^JetBackup's DNS restore for alice \(queue group \w+\) did not finish within 4 s .*it may still be running/,
    );
  });

  it("when the reference's account is not the user's account, then nothing is queued", async () => {
    await snapshotThenChange();

    const err = await failureOf(harness.adapter().restoreDns({ ...ref, user: 'bob' }));

    expect(isJetBackupError(err, 'not-owned')).toBe(true);
    expect(harness.fns()).not.toContain('addQueueItems');
  });

  it('when the item of the reference is not a DNS item, then nothing is queued', async () => {
    await snapshotThenChange();
    const configItem = harness.fake
      .state()
      .backups.find((backup) => backup.snapshotId === ref.snapshotId)
      ?.items.find((item) => item.contains === 1);

    const err = await failureOf(harness.adapter().restoreDns({ ...ref, dnsItemId: configItem?._id }));

    expect(isJetBackupError(err, 'no-dns-item')).toBe(true);
    expect(harness.fns()).not.toContain('addQueueItems');
  });
});
