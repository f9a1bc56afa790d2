import { createBackupGuard, withBackupPolicy } from '../../../src/adapters/jetbackup';
import { parseConfig } from '../../../src/config';
import { isFixEmailAuthError } from '../../../src/errors';
import { failureOf, startHarness, type Harness } from './support';

// Each test spawns the fake a dozen times; generous room for a loaded CI machine (no timing is asserted).
jest.setTimeout(120_000);

describe('backup policy with the JetBackup adapter and the fake jetbackup5api', () => {
  let harness: Harness;
  afterEach(() => harness.cleanup());

  function guardFromConfig(backup: Record<string, unknown>) {
    const config = parseConfig({
      provider: { authId: 'webhostingm' },
      backup: { jetbackupApi: harness.fake.bin, timeoutSeconds: 5, pollIntervalMs: 1000, ...backup },
    });
    return createBackupGuard(config, {
      env: { ...process.env, ...harness.fake.env },
      clock: harness.time.clock,
      sleep: harness.time.sleep,
    });
  }

  it('when the policy is required and JetBackup works, then the snapshot reference comes back', async () => {
    harness = startHarness();
    const outcome = await guardFromConfig({ policy: 'required' }).snapshotBeforeChange('alice');
    expect(outcome).toEqual({ ref: expect.objectContaining({ user: 'alice', dnsItemId: expect.any(String) }) });
  });

  it('when the policy is required and the backup fails, then BACKUP_FAILED says the change was not made', async () => {
    harness = startHarness({ knobs: { finalStatus: 200 } });
    const err = await failureOf(guardFromConfig({ policy: 'required' }).snapshotBeforeChange('alice'));
    expect(isFixEmailAuthError(err, 'BACKUP_FAILED')).toBe(true);
    expect(err.message).toMatch(/ended with status 200[\s\S]*the change was not made \(backup policy "required"\)$/);
  });

  it('when the policy is required and the backup never finishes, then the timeout says the change was not made', async () => {
    harness = startHarness({ knobs: { pollsUntilDone: 'never' } });
    const err = await failureOf(guardFromConfig({ policy: 'required' }).snapshotBeforeChange('alice'));
    expect(err).toMatchObject({ code: 'BACKUP_FAILED', reason: 'timeout' });
    expect(err.message).toMatch(/did not finish within 5 s .*; the change was not made/);
  });

  it('when the policy is best-effort and the backup never finishes, then a warning comes back instead', async () => {
    harness = startHarness({ knobs: { pollsUntilDone: 'never' } });
    const outcome = await guardFromConfig({ policy: 'best-effort' }).snapshotBeforeChange('alice');
    expect(outcome.ref).toBeNull();
    expect(outcome.warning).toMatch(/did not finish within 5 s.*going on without a JetBackup snapshot/);
  });

  it('when JetBackup is not installed, then required fails naming the path and best-effort warns', async () => {
    harness = startHarness();
    const missing = '/usr/local/nowhere/jetbackup5api';
    const err = await failureOf(guardFromConfig({ policy: 'required', jetbackupApi: missing }).snapshotBeforeChange('alice'));
    expect(err.message).toContain(`JetBackup is not installed: ${missing} does not exist`);

    const outcome = await guardFromConfig({ policy: 'best-effort', jetbackupApi: missing }).snapshotBeforeChange('alice');
    expect(outcome).toMatchObject({ ref: null, skipped: 'unavailable', warning: expect.stringContaining(missing) });
  });

  it('when the policy is off, then jetbackup5api is never run', async () => {
    harness = startHarness();
    await expect(guardFromConfig({ policy: 'off' }).snapshotBeforeChange('alice')).resolves.toEqual({ ref: null, skipped: 'off' });
    await expect(withBackupPolicy(harness.adapter(), 'off').snapshotBeforeChange('alice')).resolves.toEqual({ ref: null, skipped: 'off' });
    expect(harness.fake.invocations()).toEqual([]);
  });
});
