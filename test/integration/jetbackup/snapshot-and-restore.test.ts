import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { isJetBackupError } from '../../../src/adapters/jetbackup';
import { failureOf, startHarness, zoneText, type Harness } from './support';

// Each test spawns the fake a dozen times; generous room for a loaded CI machine (no timing is asserted).
jest.setTimeout(120_000);

describe('JetBackup adapter against the fake jetbackup5api: snapshot and DNS restore', () => {
  let harness: Harness;
  afterEach(() => harness.cleanup());

  it('when alice is snapshotted, then the snapshot holds her zone files byte for byte and the reference names its DNS item', async () => {
    harness = startHarness();
    const before = { com: harness.readZone('example.com'), org: harness.readZone('example.org') };

    const ref = await harness.adapter().snapshot('alice');

    const accountId = harness.fake.accountId('alice');
    expect(ref).toMatchObject({
      kind: 'jetbackup',
      user: 'alice',
      accountId,
      snapshotId: expect.any(String),
      dnsItemId: expect.any(String),
    });
    expect(new Date(ref.queuedAt).getMilliseconds()).toBe(0);
    const snapshot = harness.fake.state().backups.find((backup) => backup.snapshotId === ref.snapshotId);
    expect(snapshot?.items.find((item) => item._id === ref.dnsItemId)).toMatchObject({
      contains: 32,
      zones: ['example.com', 'example.org'],
    });
    expect(readFileSync(harness.fake.snapshotZonePath(ref.snapshotId!, 'example.com')).equals(before.com)).toBe(true);
    expect(readFileSync(harness.fake.snapshotZonePath(ref.snapshotId!, 'example.org')).equals(before.org)).toBe(true);
  });

  it('when snapshotting, then the calls follow §1.4–§1.7 with exactly the documented arguments', async () => {
    harness = startHarness();
    await harness.adapter().snapshot('alice');

    const fns = harness.fns();
    expect(fns.slice(0, 6)).toEqual([
      'listAccounts',
      'getSettingsSnapshots',
      'getBackupJob',
      'listQueueGroups',
      'listBackups',
      'createBackupOnDemand',
    ]);
    expect(fns.slice(-2)).toEqual(['listBackups', 'getBackupItems']);
    expect(fns).toContain('getQueueGroup');
    const argvOf = (fn: string) => harness.fake.invocations().find((invocation) => invocation.fn === fn)?.argv;
    const accountId = harness.fake.accountId('alice');
    expect(argvOf('listAccounts')).toEqual(['-F', 'listAccounts', '-D', 'find[username]=alice', '-O', 'json']);
    expect(argvOf('getSettingsSnapshots')).toEqual(['-F', 'getSettingsSnapshots', '-O', 'json']);
    expect(argvOf('createBackupOnDemand')).toEqual(['-F', 'createBackupOnDemand', '-D', `account_id=${accountId}`, '-O', 'json']);
    expect(argvOf('getQueueGroup')?.[3]).toMatch(/^_id=\w+&get_log_contents=1$/);
    expect(argvOf('listBackups')?.[3]).toBe(`type=1&contains=511&account_id=${accountId}&sort[created]=%2D1`);
  });

  it('when the zone is changed after the snapshot and restoreDns runs, then the files are back byte for byte and the after-restore command ran', async () => {
    harness = startHarness({
      afterRestore: 'echo "$FAKE_JETBACKUP_RESTORED_USER $FAKE_JETBACKUP_RESTORED_ZONES" >> "$FAKE_JETBACKUP_STATE/reloads.log"',
    });
    const original = harness.readZone('example.com');
    const adapter = harness.adapter();
    const ref = await adapter.snapshot('alice');
    writeFileSync(harness.zonePath('example.com'), zoneText('example.com', 'v=mc1 auth=webhostingm'));
    const bobBefore = harness.readZone('bob.test');

    await adapter.restoreDns(ref);

    expect(harness.readZone('example.com').equals(original)).toBe(true);
    expect(harness.readZone('bob.test').equals(bobBefore)).toBe(true);
    expect(readFileSync(join(harness.fake.stateDir, 'reloads.log'), 'utf8')).toBe('alice example.com example.org\n');
    const restoreCall = harness.fake.invocations().find((invocation) => invocation.fn === 'addQueueItems');
    // Only the DNS item, by its id, and never the snapshot id (which would restore every item of the account).
    expect(restoreCall?.argv[3]).toBe(`type=2&items[]=${ref.dnsItemId}&options[merge]=false`);
    expect(restoreCall?.params).toEqual({ type: '2', items: [ref.dnsItemId], options: { merge: 'false' } });
    const restoreGroup = harness.fake.state().groups.find((group) => group.kind === 'restore');
    expect(restoreGroup).toMatchObject({ snapshotId: ref.snapshotId, itemIds: [ref.dnsItemId] });
  });

  it('when a reference carries no ids (JetBackup had not listed them), then restoreDns finds the snapshot taken after queuedAt', async () => {
    harness = startHarness();
    const original = harness.readZone('example.org');
    const adapter = harness.adapter();
    const ref = await adapter.snapshot('alice');
    writeFileSync(harness.zonePath('example.org'), 'broken\n');

    await adapter.restoreDns({ kind: 'jetbackup', user: ref.user, accountId: ref.accountId, queuedAt: ref.queuedAt });

    expect(harness.readZone('example.org').equals(original)).toBe(true);
  });

  it('when two accounts are snapshotted at the same time, then each gets its own snapshot (the state is locked)', async () => {
    harness = startHarness();
    const [alice, bob] = await Promise.all([harness.adapter().snapshot('alice'), harness.adapter().snapshot('bob')]);

    expect(alice.snapshotId).not.toBe(bob.snapshotId);
    const backups = harness.fake.state().backups;
    expect(backups.find((backup) => backup.snapshotId === alice.snapshotId)?.username).toBe('alice');
    expect(backups.find((backup) => backup.snapshotId === bob.snapshotId)?.username).toBe('bob');
  });

  it("when another account's name contains the username, then only the exact account is used", async () => {
    harness = startHarness({ accounts: { alice: ['example.com'], al: ['al.test'] } });
    const ref = await harness.adapter().snapshot('al');
    expect(ref.accountId).toBe(harness.fake.accountId('al'));
  });

  it('when a second snapshot is taken, then the new one is returned, not the earlier one', async () => {
    harness = startHarness();
    const adapter = harness.adapter();
    const first = await adapter.snapshot('alice');
    const second = await adapter.snapshot('alice');
    expect(second.snapshotId).not.toBe(first.snapshotId);
  });

  it('when the queue group shows up only after a few polls, then the adapter keeps looking', async () => {
    harness = startHarness({ knobs: { groupVisibleAfterPolls: 3 } });
    await expect(harness.adapter().snapshot('alice')).resolves.toMatchObject({ dnsItemId: expect.any(String) });
  });

  it.each(['unix', 'sql'] as const)('when JetBackup prints times as %s, then this run is still recognised', async (createdFormat) => {
    harness = startHarness({ knobs: { createdFormat } });
    await expect(harness.adapter().snapshot('alice')).resolves.toMatchObject({ dnsItemId: expect.any(String) });
  });

  it('when empty data is [], the exit code is not 0 and a PHP notice precedes the JSON, then the JSON still decides', async () => {
    harness = startHarness({ knobs: { emptyData: 'array', exitCode: 3, stdoutPrefix: 'PHP Notice: something\n' } });
    const adapter = harness.adapter();
    const ref = await adapter.snapshot('alice');
    await expect(adapter.restoreDns(ref)).resolves.toBeUndefined();
  });

  it('when JetBackup accepts only 1/0, then the restore fails with its message until the boolean switch says numeric', async () => {
    harness = startHarness({ knobs: { booleans: 'numeric' } });
    const ref = await harness.adapter().snapshot('alice');

    const err = await failureOf(harness.adapter().restoreDns(ref));
    expect(isJetBackupError(err, 'api-error')).toBe(true);
    expect(err.message).toContain('Invalid boolean value "false" for options[merge]');

    await expect(harness.adapter({ booleanStyle: 'numeric' }).restoreDns(ref)).resolves.toBeUndefined();
  });

  it('when JetBackup accepts only true/false, then polling fails until the boolean switch says word', async () => {
    harness = startHarness({ knobs: { booleans: 'word' } });
    const err = await failureOf(harness.adapter().snapshot('alice'));
    expect(err.message).toContain('Invalid boolean value "1" for get_log_contents');

    const ref = await harness.adapter({ booleanStyle: 'word' }).snapshot('alice');
    await expect(harness.adapter({ booleanStyle: 'word' }).restoreDns(ref)).resolves.toBeUndefined();
  });
});
