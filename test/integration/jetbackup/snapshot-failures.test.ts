import { isJetBackupError } from '../../../src/adapters/jetbackup';
import { failureOf, startHarness, type Harness } from './support';

// Each test spawns the fake a dozen times; generous room for a loaded CI machine (no timing is asserted).
jest.setTimeout(120_000);

describe('JetBackup adapter against the fake jetbackup5api: snapshot failures', () => {
  let harness: Harness;
  afterEach(() => harness.cleanup());

  it('when no Backup-on-Demand job is configured, then it fails clearly before queueing anything', async () => {
    harness = startHarness({ knobs: { onDemandJob: false } });
    const err = await failureOf(harness.adapter().snapshot('alice'));

    expect(isJetBackupError(err, 'no-on-demand-job')).toBe(true);
    expect(err).toMatchObject({ code: 'BACKUP_FAILED', step: 'backup' });
    expect(err.message).toContain('no Backup-on-Demand job configured');
    expect(harness.fns()).not.toContain('createBackupOnDemand');
  });

  it('when the Backup-on-Demand job does not contain DNS zones (bit 32), then it says so before queueing', async () => {
    harness = startHarness({ knobs: { jobContains: 511 - 32 } });
    const err = await failureOf(harness.adapter().snapshot('alice'));

    expect(isJetBackupError(err, 'no-dns-in-job')).toBe(true);
    expect(err.message).toMatch(/does not back up DNS zones: contains=479 .*without bit 32/);
    expect(harness.fns()).not.toContain('createBackupOnDemand');
  });

  it('when the job cannot be read and turns out to lack DNS, then the finished snapshot is refused for having no DNS item', async () => {
    harness = startHarness({ knobs: { jobContains: 1 + 2 + 4, failFunctions: { getBackupJob: 'Backup Job not found' } } });
    const err = await failureOf(harness.adapter().snapshot('alice'));

    expect(isJetBackupError(err, 'no-dns-item')).toBe(true);
    expect(err.message).toMatch(/has no DNS zones item \(item contains: 1, 2, 4\)/);
  });

  it.each([
    [101, 'Backup completed with warnings (simulated)'],
    [102, 'Backup partially completed (simulated)'],
    [200, 'Backup failed (simulated status 200)'],
    [201, 'Backup aborted (simulated)'],
  ])("when the backup ends with status %i, then it fails with the status and JetBackup's log", async (finalStatus, logLine) => {
    harness = startHarness({ knobs: { finalStatus } });
    const err = await failureOf(harness.adapter().snapshot('alice'));

    expect(isJetBackupError(err, 'finished-not-clean')).toBe(true);
    expect(err.message).toContain(`ended with status ${finalStatus}`);
    expect(err.message).toContain('\nlog:\n');
    expect(err.message).toContain(logLine);
    expect(err.message).toContain('log file: /usr/local/jetapps/var/log/jetbackup5/queue/1_');
    expect(err.upstream).toMatchObject({ status: finalStatus });
  });

  it('when the backup never finishes, then it times out after timeoutSeconds with a clear message', async () => {
    harness = startHarness({ knobs: { pollsUntilDone: 'never' } });
    const err = await failureOf(harness.adapter({ timeoutSeconds: 5, pollIntervalMs: 1000 }).snapshot('alice'));

    expect(isJetBackupError(err, 'timeout')).toBe(true);
    expect(err.message).toMatch(/^JetBackup's backup of alice \(queue group \w+\) did not finish within 5 s \(still status 2\)$/);
    expect(harness.time.elapsedMs()).toBeGreaterThanOrEqual(5000);
    expect(harness.fns().filter((fn) => fn === 'getQueueGroup').length).toBeGreaterThanOrEqual(5);
  });

  it('when JetBackup does not know the account, then it says so and queues nothing', async () => {
    harness = startHarness();
    const err = await failureOf(harness.adapter().snapshot('carol'));

    expect(isJetBackupError(err, 'account-unknown')).toBe(true);
    expect(err.message).toContain('JetBackup does not know the account carol');
    expect(harness.fns()).toEqual(['listAccounts']);
  });

  it('when the binary is missing, then it reports JetBackup as not installed, naming the path', async () => {
    harness = startHarness();
    const err = await failureOf(harness.adapter({ apiPath: '/nonexistent/jetbackup5api' }).snapshot('alice'));

    expect(isJetBackupError(err, 'not-installed')).toBe(true);
    expect(err.message).toBe('JetBackup is not installed: /nonexistent/jetbackup5api does not exist');
  });

  it('when createBackupOnDemand answers success 0, then its message is the error', async () => {
    harness = startHarness({ knobs: { failFunctions: { createBackupOnDemand: 'Maximum on demand backups reached' } } });
    const err = await failureOf(harness.adapter().snapshot('alice'));

    expect(isJetBackupError(err, 'api-error')).toBe(true);
    expect(err.message).toBe("JetBackup's createBackupOnDemand failed: Maximum on demand backups reached");
  });

  it('when the queued backup never shows up in the queue, then it fails naming the wait', async () => {
    harness = startHarness({ knobs: { groupVisibleAfterPolls: 1000 } });
    const err = await failureOf(harness.adapter({ timeoutSeconds: 3, pollIntervalMs: 1000 }).snapshot('alice'));

    expect(isJetBackupError(err, 'queue-group-not-found')).toBe(true);
    expect(err.message).toContain('no new backup queue group for the account appeared within 3 s');
  });

  it("when JetBackup's clock says the group was created long before we queued, then it is not taken for ours", async () => {
    harness = startHarness({ knobs: { clockOffsetSeconds: -3600 } });
    const err = await failureOf(harness.adapter({ timeoutSeconds: 2, pollIntervalMs: 1000 }).snapshot('alice'));

    expect(isJetBackupError(err, 'queue-group-not-found')).toBe(true);
  });
});
