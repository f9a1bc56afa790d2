import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { setupFakeJetBackup, type FakeJetBackup } from '../../support/fake-jetbackup';
import { run } from '../../support/fake-jetbackup/cli';

/** The fake itself (docs/reference/jetbackup-and-exim.md §1.12), mostly in-process; other tests spawn it. */
describe('fake jetbackup5api', () => {
  let zonesDir: string;
  let fake: FakeJetBackup;

  beforeEach(() => {
    zonesDir = mkdtempSync(join(tmpdir(), 'fake-jb-zones-'));
    writeFileSync(join(zonesDir, 'example.com.db'), '$TTL 300\n');
    fake = setupFakeJetBackup({ zonesDir, accounts: { alice: ['example.com'] } });
  });

  afterEach(() => {
    fake.cleanup();
    rmSync(zonesDir, { recursive: true, force: true });
  });

  const call = (fn: string, data?: string, output = 'json') => {
    const argv = data === undefined ? ['-F', fn, '-O', output] : ['-F', fn, '-D', data, '-O', output];
    return run(argv, { ...process.env, ...fake.env });
  };
  const json = (fn: string, data?: string) => JSON.parse(call(fn, data).stdout) as { success: number; message: string; data: any };

  it('when spawned as an executable, then it prints one JSON envelope and records the argv', () => {
    const stdout = execFileSync(fake.bin, ['-F', 'listAccounts', '-D', 'find[username]=alice', '-O', 'json'], {
      env: { ...process.env, ...fake.env },
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toMatchObject({
      success: 1,
      data: { accounts: [{ _id: fake.accountId('alice'), username: 'alice' }], total: 1 },
    });
    expect(fake.invocations()).toEqual([
      expect.objectContaining({
        fn: 'listAccounts',
        argv: ['-F', 'listAccounts', '-D', 'find[username]=alice', '-O', 'json'],
        params: { find: { username: 'alice' } },
      }),
    ]);
  });

  it('when -O plain is asked, then it prints the indented plain form of the vendor examples', () => {
    const out = call('getSettingsSnapshots', undefined, 'plain').stdout;
    expect(out).toMatch(/^success: 1\nmessage:\ndata:\n {2}backup: [0-9a-f]{24}\n {2}retain: 5\n/);
  });

  it('when the function is unknown or the state directory is not set, then it answers success 0 with a message', () => {
    expect(call('noSuchFunction')).toMatchObject({ exitCode: 1, stdout: expect.stringContaining('"success":0') });
    expect(JSON.parse(run(['-F', 'listAccounts', '-O', 'json'], {}).stdout)).toMatchObject({
      success: 0,
      message: 'FAKE_JETBACKUP_STATE is not set',
    });
  });

  it('when a backup is queued via addQueueItems type=1, then it is refused as the vendor documents', () => {
    expect(json('addQueueItems', 'type=1&snapshot_id=x')).toMatchObject({
      success: 0,
      message: expect.stringContaining('not compatible with the API'),
    });
  });

  it('when the Backup-on-Demand job is changed with manageSettingsSnapshots, then getSettingsSnapshots reads it back', () => {
    const jobId = json('listBackupJobs').data.jobs[0]._id as string;
    expect(json('manageSettingsSnapshots', 'backup=&retain=7')).toMatchObject({ success: 1, data: { backup: '', retain: 7 } });
    expect(json('createBackupOnDemand', `account_id=${fake.accountId('alice')}`)).toMatchObject({ success: 0 });
    json('manageSettingsSnapshots', `backup=${jobId}`);
    expect(json('getSettingsSnapshots').data).toMatchObject({ backup: jobId, retain: 7 });
  });

  it('when a group is polled, then it goes pending → processing → ended with a snapshot of one item per bit', () => {
    fake.setKnobs({ pollsUntilDone: 2, jobContains: 1 | 32 });
    json('createBackupOnDemand', `account_id=${fake.accountId('alice')}`);
    const groupId = fake.state().groups[0]!._id;
    expect(fake.state().groups[0]).toMatchObject({ status: 1, ended: null });
    expect(json('getQueueGroup', `_id=${groupId}`).data).toMatchObject({ status: 2, ended: '' });
    expect(json('getQueueGroup', `_id=${groupId}&get_log_contents=1`).data).toMatchObject({
      status: 100,
      log_contents: expect.stringContaining('Backed up DNS zone example.com'),
    });
    const backups = json('listBackupForType', `type=1&contains=511&account_id=${fake.accountId('alice')}`).data.backups;
    expect(backups).toHaveLength(1);
    const items = json('getBackupItems', `_id=${backups[0].parent_id}`).data as Array<{ backup_contains: number }>;
    expect(items.map((item) => item.backup_contains)).toEqual([1, 32]);
    expect(json('listQueueItems', `group_id=${groupId}`).data).toMatchObject({ items: [{ status: 100 }], total: 1 });
  });

  it('when a restore names snapshot_id and items[], then it is refused as ambiguous; items[] alone restores only those, snapshot_id alone all', () => {
    fake.setKnobs({ pollsUntilDone: 0, jobContains: 1 | 32 });
    json('createBackupOnDemand', `account_id=${fake.accountId('alice')}`);
    json('listQueueGroups', 'type=1');
    const snapshotId = fake.state().backups[0]!.snapshotId;
    const items = json('getBackupItems', `_id=${snapshotId}`).data as Array<{ _id: string; backup_contains: number }>;
    const dns = items.find((item) => item.backup_contains === 32)!._id;
    expect(json('addQueueItems', `type=2&snapshot_id=${snapshotId}&items[]=${dns}`)).toMatchObject({
      success: 0,
      message: expect.stringContaining('Ambiguous restore'),
    });
    expect(json('addQueueItems', `type=2&items[]=${dns}`)).toMatchObject({ success: 1 });
    expect(json('addQueueItems', `type=2&snapshot_id=${snapshotId}`)).toMatchObject({ success: 1 });
    const restores = fake.state().groups.filter((group) => group.kind === 'restore');
    expect(restores.map((group) => group.itemIds)).toEqual([[dns], items.map((item) => item._id)]);
    expect(restores.every((group) => group.snapshotId === snapshotId)).toBe(true);
  });

  it('when runBackupJobManually runs a job, then every account gets a snapshot', () => {
    fake.setKnobs({ pollsUntilDone: 1 });
    const jobId = json('listBackupJobs').data.jobs[0]._id as string;
    expect(json('runBackupJobManually', `_id=${jobId}`)).toMatchObject({ success: 1, data: { _id: jobId } });
    json('listQueueGroups', 'type=1');
    expect(fake.state().backups.map((backup) => backup.username)).toEqual(['alice']);
  });

  it('when the list is empty and the knob says array, then data is []', () => {
    fake.setKnobs({ emptyData: 'array' });
    expect(json('listQueueGroups', 'type=2').data).toEqual([]);
    fake.setKnobs({ emptyData: 'object' });
    expect(json('listQueueGroups', 'type=2').data).toEqual({ groups: [], total: 0 });
  });

  it('when an account is managed, then getAccount shows the change', () => {
    const id = fake.accountId('alice');
    json('manageAccount', `_id=${id}&max_snapshots=3`);
    expect(json('getAccount', `_id=${id}`).data).toMatchObject({ username: 'alice', max_snapshots: 3 });
  });
});
