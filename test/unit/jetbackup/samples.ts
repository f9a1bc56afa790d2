/**
 * JetBackup 5 answers from the vendor's API pages (docs.jetbackup.com v5.3, "Example Call JETAPI"),
 * turned from their plain output into the JSON `-O json` would print. Values are the vendor's;
 * empty plain fields are shown as "" or false. Cited per sample.
 */

const system = {
  version: '5.3.3',
  version_panel: '5.3.3',
  tier: 'EDGE',
  type: 'cPanel',
  retry_ms: 0,
  disableui: '',
  dr: '',
  agreement_panel: '',
  agreement: '',
  licenseIssue: '',
};

/** v5.3-EDGE/api (envelope) and Accounts/createBackupOnDemand.html. */
export const createBackupOnDemandAnswer = {
  success: 1,
  message: 'Backup on demand added to the queue',
  data: {},
  system,
};

/** Accounts/listAccounts.html (trimmed to the fields shown first). */
export const listAccountsData = {
  accounts: [
    {
      _id: '6503d48bfc45b1addf0a9633',
      uuid: 'a0e78ee09b83e4d9b4c85a17e00b9150fe492cf7',
      username: 'user',
      created: '2023-09-15T03:50:35+00:00',
      domain: 'user.com',
      owner: 'root',
      owner_id: '6503d48bfc45b1addf0a9632',
      max_snapshots: -1,
      backup_stats: { 511: 0, 1: 0, 2: 0, 4: 0, 128: 0, 256: 0, 8: 0, 16: 0, 32: 0, 64: 0 },
    },
  ],
  total: 1,
};

/** Settings/getSettingsSnapshots.html: `backup:` empty = no job selected. */
export const settingsWithoutJob = { backup: '', retain: 1, ttl: 2, rule_size: 5, rule_inodes: 50000 };
/** Settings/manageSettingsSnapshots.html. */
export const settingsWithJob = { backup: '65091af275e69fa2b808c0e2', retain: 5, ttl: 3, rule_size: 5, rule_inodes: 50000 };

/** Queues/getQueueGroup.html (a download group, type 4). */
export const queueGroupData = {
  _id: '6508e9aed49adbd1660f06d9',
  owner: '6503eba4c6477f48c309376f',
  owner_name: 'example',
  created: '2023-09-19T00:22:06+00:00',
  started: '2023-09-19T00:22:06+00:00',
  ended: '2023-09-19T00:22:22+00:00',
  type: 4,
  items: 1,
  items_completed: 1,
  finalize: '',
  status: 100,
  can_rerun: '',
  rerun_failed: '',
  log_id: '6508e9aee2238a334103e472',
  status_time: '2023-09-19T00:22:22+00:00',
  progress: { _id: '6508e9aed49adbd1660f06db', group_id: '6508e9aed49adbd1660f06d9', total: 0, completed: 0 },
  execution_time: 16,
  actual_time: 0,
  log_file: '/usr/local/jetapps/var/log/jetbackup5/queue/4_6508e9aed49adbd1660f06d9.log',
  log_contents: '',
  data: { account: 'example', priority: 50 },
};

/** Downloads/addQueueItems.html: a just-queued group, `ended:` empty. */
export const queuedGroupData = {
  _id: '6503ebd682762fb213093772',
  owner: '6503eba4c6477f48c309376f',
  owner_name: 'example',
  created: '2023-09-15T05:29:58+00:00',
  started: '2023-09-15T05:29:58+00:00',
  ended: '',
  type: 4,
  status: 1,
};

/** Backups/listBackups.html. */
export const listBackupsData = {
  backups: [
    {
      _id: '6503f05fedc7b9f4520a967a',
      parent_id: '6503ef22edc7b9f4520a9643',
      account_id: '6503d48bfc45b1addf0a9636',
      destination: '6503eec8ebbf07708d06f1d2',
      destination_name: 's3',
      name: 'user',
      created: '2023-09-15T05:44:02+00:00',
      path: '',
      backup_type: 1,
      backup_contains: 511,
      account: 'user',
    },
  ],
  total: 1,
};

/** Backups/getBackupItems.html: the list sits directly in `data` (plain output `0:`). */
export const backupItemsData = [
  {
    _id: '6503f05fedc7b9f4520a9679',
    parent_id: '6503ef22edc7b9f4520a9643',
    account_id: '6503d48bfc45b1addf0a9636',
    destination: '6503eec8ebbf07708d06f1d2',
    destination_name: 's3',
    name: '',
    created: '2023-09-15T05:44:02+00:00',
    backup_type: 1,
    backup_contains: 256,
    account: 'user',
  },
];
