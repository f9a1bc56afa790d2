import { JetBackupError } from '../../../src/adapters/jetbackup/jetbackup-error';
import { withBackupPolicy } from '../../../src/adapters/jetbackup/policy';
import { isFixEmailAuthError } from '../../../src/errors';
import type { Backup, BackupRef } from '../../../src/ports';

const ref: BackupRef = {
  kind: 'jetbackup',
  accountId: 'a1',
  user: 'alice',
  queuedAt: '2024-05-01T10:00:00.000Z',
  snapshotId: 's1',
  dnsItemId: 'd1',
};

function backupThat(outcome: BackupRef | Error): Backup & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async snapshot(user) {
      calls.push(user);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    async restoreDns() {},
  };
}

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('backup policy (config backup.policy)', () => {
  const failure = new JetBackupError(
    'finished-not-clean',
    "JetBackup's backup of alice ended with status 200 (failed?), not 100 (completed)",
  );
  const missing = new JetBackupError('not-installed', 'JetBackup is not installed: /usr/bin/jetbackup5api does not exist');

  it('when the snapshot works, then every policy but off returns its reference', async () => {
    await expect(withBackupPolicy(backupThat(ref), 'required').snapshotBeforeChange('alice')).resolves.toEqual({ ref });
    await expect(withBackupPolicy(backupThat(ref), 'best-effort').snapshotBeforeChange('alice')).resolves.toEqual({ ref });
  });

  it('when the policy is off, then JetBackup is not called', async () => {
    const backup = backupThat(ref);
    await expect(withBackupPolicy(backup, 'off').snapshotBeforeChange('alice')).resolves.toEqual({ ref: null, skipped: 'off' });
    expect(backup.calls).toEqual([]);
  });

  it('when required and the snapshot fails, then BACKUP_FAILED says the change was not made and keeps the reason', async () => {
    const err = await failureOf(withBackupPolicy(backupThat(failure), 'required').snapshotBeforeChange('alice'));
    expect(isFixEmailAuthError(err, 'BACKUP_FAILED')).toBe(true);
    expect(err).toMatchObject({ reason: 'finished-not-clean', step: 'backup', cause: failure });
    expect((err as Error).message).toMatch(/status 200.*the change was not made/);
  });

  it('when required and something other than JetBackup fails, then it is still BACKUP_FAILED', async () => {
    const err = await failureOf(withBackupPolicy(backupThat(new Error('boom')), 'required').snapshotBeforeChange('alice'));
    expect(isFixEmailAuthError(err, 'BACKUP_FAILED')).toBe(true);
  });

  it('when best-effort and the snapshot fails, then a warning comes back and no reference', async () => {
    const outcome = await withBackupPolicy(backupThat(failure), 'best-effort').snapshotBeforeChange('alice');
    expect(outcome.ref).toBeNull();
    expect(outcome.skipped).toBeUndefined();
    expect(outcome.warning).toMatch(/status 200.*going on without a JetBackup snapshot/);
  });

  it('when JetBackup is not installed, then required fails naming the path and best-effort warns as unavailable', async () => {
    const err = await failureOf(withBackupPolicy(backupThat(missing), 'required').snapshotBeforeChange('alice'));
    expect((err as Error).message).toContain('/usr/bin/jetbackup5api');
    const outcome = await withBackupPolicy(backupThat(missing), 'best-effort').snapshotBeforeChange('alice');
    expect(outcome).toMatchObject({ ref: null, skipped: 'unavailable', warning: expect.stringContaining('/usr/bin/jetbackup5api') });
  });

  it('when there is no adapter at all, then required fails and best-effort warns', async () => {
    await expect(withBackupPolicy(null, 'required').snapshotBeforeChange('alice')).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
    await expect(withBackupPolicy(null, 'best-effort').snapshotBeforeChange('alice')).resolves.toMatchObject({
      ref: null,
      skipped: 'unavailable',
    });
  });
});
