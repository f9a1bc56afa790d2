'use strict';
/**
 * Where the fake `jetbackup5api` keeps its state, and the environment it reads. Shared by the fake
 * (plain CommonJS, runs without a build) and by index.ts (typed through layout.d.ts).
 */
const crypto = require('crypto');
const path = require('path');

const ENV = {
  /** Directory of the fake's state (required). */
  STATE: 'FAKE_JETBACKUP_STATE',
  /** JSON `{ "user": ["zone1.com", …] }`: the accounts JetBackup knows and their zones. */
  ACCOUNTS: 'FAKE_JETBACKUP_ACCOUNTS',
  /** Directory of `<zone>.db` files (the cPanel simulator's zone directory). */
  ZONES_DIR: 'FAKE_JETBACKUP_ZONES_DIR',
  /** Shell command run after a DNS restore copied zone files back (e.g. a PowerDNS reload). */
  AFTER_RESTORE: 'FAKE_JETBACKUP_AFTER_RESTORE',
  /** JSON knobs; `knobs.json` in the state directory wins over it. */
  KNOBS: 'FAKE_JETBACKUP_KNOBS',
};

const FILES = {
  STATE: 'state.json',
  KNOBS: 'knobs.json',
  INVOCATIONS: 'invocations.jsonl',
  LOCK: 'state.lock',
  BACKUPS: 'backups',
};

/** The copy of a zone file inside a snapshot. */
function snapshotZonePath(stateDir, snapshotId, zone) {
  return path.join(stateDir, FILES.BACKUPS, snapshotId, 'dns', `${zone}.db`);
}

/** Stable 24-hex account `_id` for a username (JetBackup ids look like MongoDB ObjectIds). */
function accountIdFor(username) {
  return crypto.createHash('sha1').update(`fake-jetbackup-account:${username}`).digest('hex').slice(0, 24);
}

module.exports = { ENV, FILES, snapshotZonePath, accountIdFor };
