import type { BackupRow, QueueGroup } from '../../../src/adapters/jetbackup/schemas';
import { pickDnsItem, pickNewSnapshot, pickQueuedBackupGroup } from '../../../src/adapters/jetbackup/selection';

const account = { id: 'acc1', username: 'alice' };
const window = { queuedAt: new Date('2024-05-01T10:00:00Z'), clockSkewToleranceMs: 5000 };

function group(fields: Partial<QueueGroup> & { id: string }): QueueGroup {
  return {
    type: 1,
    status: 1,
    ended: false,
    created: new Date('2024-05-01T10:00:01Z'),
    accountIds: ['acc1'],
    accountNames: ['alice'],
    logContents: '',
    raw: {},
    ...fields,
  };
}

function row(fields: Partial<BackupRow> & { snapshotId: string }): BackupRow {
  return { id: `${fields.snapshotId}-row`, accountId: 'acc1', created: new Date('2024-05-01T10:00:02Z'), contains: 511, ...fields };
}

describe('finding this run in JetBackup lists (createBackupOnDemand returns no id, §1.5, §1.9)', () => {
  it('when a group existed before we queued, then it is not ours even if it is recent', () => {
    expect(pickQueuedBackupGroup([group({ id: 'old' })], account, new Set(['old']), window)).toBeNull();
  });

  it('when a new group belongs to another account or is a restore, then it is not ours', () => {
    const other = group({ id: 'g1', accountIds: ['acc2'], accountNames: ['bob'] });
    const restore = group({ id: 'g2', type: 2 });
    expect(pickQueuedBackupGroup([other, restore], account, new Set(), window)).toBeNull();
  });

  it('when a new group names the account only by owner_name or only by id, then it is ours', () => {
    expect(pickQueuedBackupGroup([group({ id: 'g', accountIds: [] })], account, new Set(), window)?.id).toBe('g');
    expect(pickQueuedBackupGroup([group({ id: 'g', accountNames: [] })], account, new Set(), window)?.id).toBe('g');
  });

  it('when a new group was created well before we queued, then it is not ours; within the skew tolerance, it is', () => {
    expect(pickQueuedBackupGroup([group({ id: 'g', created: new Date('2024-05-01T09:59:00Z') })], account, new Set(), window)).toBeNull();
    expect(pickQueuedBackupGroup([group({ id: 'g', created: new Date('2024-05-01T09:59:57Z') })], account, new Set(), window)?.id).toBe(
      'g',
    );
  });

  it('when created is unreadable but the group is new, then it is ours', () => {
    expect(pickQueuedBackupGroup([group({ id: 'g', created: null })], account, new Set(), window)?.id).toBe('g');
  });

  it('when several new groups qualify, then the first created after our request wins', () => {
    const later = group({ id: 'later', created: new Date('2024-05-01T10:00:09Z') });
    const first = group({ id: 'first', created: new Date('2024-05-01T10:00:01Z') });
    expect(pickQueuedBackupGroup([later, first], account, new Set(), window)?.id).toBe('first');
  });

  it('when snapshots are listed, then the new one of the account after our request is picked', () => {
    const rows = [
      row({ snapshotId: 'before' }),
      row({ snapshotId: 'other', accountId: 'acc2' }),
      row({ snapshotId: 'stale', created: new Date('2024-04-30T00:00:00Z') }),
      row({ snapshotId: 'ours' }),
    ];
    expect(pickNewSnapshot(rows, 'acc1', new Set(['before']), window)?.snapshotId).toBe('ours');
    expect(pickNewSnapshot(rows.slice(0, 3), 'acc1', new Set(['before']), window)).toBeNull();
  });

  it('when items are listed, then the one with contains 32 is the DNS item, preferring exactly 32', () => {
    const combined = row({ snapshotId: 's', id: 'combined', contains: 33 });
    const exact = row({ snapshotId: 's', id: 'dns', contains: 32 });
    const config = row({ snapshotId: 's', id: 'config', contains: 1 });
    expect(pickDnsItem([config, combined, exact])?.id).toBe('dns');
    expect(pickDnsItem([config, combined])?.id).toBe('combined');
    expect(pickDnsItem([config])).toBeNull();
  });
});
