/** Types of layout.js (the fake itself is plain JavaScript so it runs without a build). */
export declare const ENV: {
  readonly STATE: 'FAKE_JETBACKUP_STATE';
  readonly ACCOUNTS: 'FAKE_JETBACKUP_ACCOUNTS';
  readonly ZONES_DIR: 'FAKE_JETBACKUP_ZONES_DIR';
  readonly AFTER_RESTORE: 'FAKE_JETBACKUP_AFTER_RESTORE';
  readonly KNOBS: 'FAKE_JETBACKUP_KNOBS';
};
export declare const FILES: {
  readonly STATE: 'state.json';
  readonly KNOBS: 'knobs.json';
  readonly INVOCATIONS: 'invocations.jsonl';
  readonly LOCK: 'state.lock';
  readonly BACKUPS: 'backups';
};
export declare function snapshotZonePath(stateDir: string, snapshotId: string, zone: string): string;
export declare function accountIdFor(username: string): string;
