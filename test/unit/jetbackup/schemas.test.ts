import {
  isEndedValue,
  parseAccounts,
  parseBackupItems,
  parseBackupJob,
  parseBackups,
  parseQueueGroup,
  parseQueueGroups,
  parseSettingsSnapshots,
} from '../../../src/adapters/jetbackup/schemas';
import {
  backupItemsData,
  listAccountsData,
  listBackupsData,
  queueGroupData,
  queuedGroupData,
  settingsWithJob,
  settingsWithoutJob,
} from './samples';

describe('JetBackup data parsers (docs/reference/jetbackup-and-exim.md §1.4–§1.9)', () => {
  describe('listAccounts', () => {
    it("when the vendor's sample is read, then the account id and username come out", () => {
      expect(parseAccounts(listAccountsData)).toEqual([{ id: '6503d48bfc45b1addf0a9633', username: 'user' }]);
    });

    it('when no account matched and data is [] or {}, then the list is empty', () => {
      expect(parseAccounts([])).toEqual([]);
      expect(parseAccounts({})).toEqual([]);
    });

    it('when PHP printed the list as an object with numeric keys, then it is still a list', () => {
      expect(parseAccounts({ accounts: { 0: { _id: 7, username: 'a' }, 1: { _id: 'x', username: 'b' } }, total: 2 })).toEqual([
        { id: '7', username: 'a' },
        { id: 'x', username: 'b' },
      ]);
    });

    it('when an account has no _id, then parsing fails rather than guessing', () => {
      expect(() => parseAccounts({ accounts: [{ username: 'a' }] })).toThrow();
    });
  });

  describe('getSettingsSnapshots', () => {
    it("when the vendor's sample has an empty backup, then no job is configured", () => {
      expect(parseSettingsSnapshots(settingsWithoutJob).jobId).toBeNull();
    });

    it('when a job id is set, then it is returned with retain and ttl', () => {
      expect(parseSettingsSnapshots(settingsWithJob)).toEqual({ jobId: '65091af275e69fa2b808c0e2', retain: 5, ttl: 3 });
    });

    it('when the job is an object, null, or data is [], then it is read defensively', () => {
      expect(parseSettingsSnapshots({ backup: { _id: 'j1', name: 'x' } }).jobId).toBe('j1');
      expect(parseSettingsSnapshots({ backup: null }).jobId).toBeNull();
      expect(parseSettingsSnapshots([]).jobId).toBeNull();
    });
  });

  describe('getBackupJob', () => {
    it('when contains is a digit string, then it is a number; when absent, null', () => {
      expect(parseBackupJob({ _id: 'j', name: 'On demand', contains: '479' })).toEqual({ id: 'j', name: 'On demand', contains: 479 });
      expect(parseBackupJob({}).contains).toBeNull();
    });
  });

  describe('queue groups', () => {
    it("when the vendor's getQueueGroup sample is read, then it is ended with status 100 and names its account", () => {
      const group = parseQueueGroup(queueGroupData);
      expect(group).toMatchObject({
        id: '6508e9aed49adbd1660f06d9',
        type: 4,
        status: 100,
        ended: true,
        accountIds: ['6503eba4c6477f48c309376f'],
        accountNames: ['example', 'example'],
        logFile: '/usr/local/jetapps/var/log/jetbackup5/queue/4_6508e9aed49adbd1660f06d9.log',
      });
      expect(group.created?.toISOString()).toBe('2023-09-19T00:22:06.000Z');
    });

    it('when a group was just queued (ended empty), then it has not ended', () => {
      expect(parseQueueGroup(queuedGroupData)).toMatchObject({ ended: false, status: 1 });
    });

    it('when status is a string or missing, then it is a number or null', () => {
      expect(parseQueueGroup({ _id: 'g', status: '102', ended: 1695083000 }).status).toBe(102);
      expect(parseQueueGroup({ _id: 'g' }).status).toBeNull();
    });

    it('when log contents come as lines, then they are joined', () => {
      expect(parseQueueGroup({ _id: 'g', log_contents: ['a', 'b'] }).logContents).toBe('a\nb');
    });

    it('when listQueueGroups has no groups and data is [], then the list is empty', () => {
      expect(parseQueueGroups([])).toEqual([]);
      expect(parseQueueGroups({ groups: [queueGroupData], total: 1 })).toHaveLength(1);
    });

    it('when ended holds "", null, 0, "0" or a zero date, then it has not ended; a time or a number > 0 has', () => {
      for (const value of ['', null, undefined, 0, '0', false, '0000-00-00 00:00:00']) expect(isEndedValue(value)).toBe(false);
      for (const value of ['2023-09-19T00:22:22+00:00', 1695083000, true]) expect(isEndedValue(value)).toBe(true);
    });
  });

  describe('backups and items', () => {
    it("when the vendor's listBackups sample is read, then the snapshot id is parent_id", () => {
      expect(parseBackups(listBackupsData)).toEqual([
        {
          id: '6503f05fedc7b9f4520a967a',
          snapshotId: '6503ef22edc7b9f4520a9643',
          accountId: '6503d48bfc45b1addf0a9636',
          created: new Date('2023-09-15T05:44:02Z'),
          contains: 511,
        },
      ]);
    });

    it('when a row has no parent_id, then its own _id is the snapshot id', () => {
      expect(parseBackups({ backups: [{ _id: 'only', created: '' }] })[0]).toMatchObject({
        snapshotId: 'only',
        created: null,
        contains: null,
      });
    });

    it("when the vendor's getBackupItems sample (a bare list) is read, then each item keeps its contains", () => {
      expect(parseBackupItems(backupItemsData)).toEqual([
        expect.objectContaining({ id: '6503f05fedc7b9f4520a9679', snapshotId: '6503ef22edc7b9f4520a9643', contains: 256 }),
      ]);
    });

    it('when items come as {"0":…}, under data.backups, under data.items, or as {}, then all are read', () => {
      const item = { _id: 'i', parent_id: 'p', backup_contains: 32 };
      expect(parseBackupItems({ 0: item })).toHaveLength(1);
      expect(parseBackupItems({ backups: [item] })).toHaveLength(1);
      expect(parseBackupItems({ items: { 0: item } })).toHaveLength(1);
      expect(parseBackupItems({})).toEqual([]);
    });
  });
});
