'use strict';
/**
 * The queue state machine (docs/reference/jetbackup-and-exim.md §1.9, §1.12): a queued group starts with status 1
 * (pending) and an empty `ended`; every getQueueGroup/listQueueGroups call is a tick; the first tick
 * makes it 2 (processing), and after `pollsUntilDone` ticks it ends with the configured final status.
 * An ended backup with status 100–102 leaves a snapshot with one item per bit of the job's `contains`
 * (the DNS item, bit 32, holding real copies of the account's zone files); a restore copies them back.
 */
const { formatTime, newId } = require('./clock');
const { neverEnds } = require('./knobs');
const { snapshotZones, restoreZones, runAfterRestore } = require('./zones');

const STATUS_PENDING = 1;
const STATUS_PROCESSING = 2;
const QUEUE_TYPE = { backup: 1, restore: 2, download: 4 };
const CONTAINS_BITS = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const ITEM_NAMES = {
  1: 'Config',
  2: 'Homedir',
  4: 'Databases',
  8: 'Emails',
  16: 'Cron Jobs',
  32: 'Domains',
  64: 'Certificates',
  128: 'Database Users',
  256: 'FTP',
};
const DNS_BIT = 32;
const DESTINATION = { _id: '6503eec8ebbf07708d06f1d2', name: 'local' };

/** Statuses after which a backup leaves a snapshot / a restore writes files. */
function producesResult(status) {
  return status >= 100 && status <= 102;
}

function logLine(group, now, text) {
  group.log.push(`[${new Date(now).toISOString()}] ${text}`);
}

function createGroup(state, now, fields) {
  const group = {
    _id: newId(state, now),
    seq: state.seq,
    created: now,
    started: null,
    ended: null,
    status: STATUS_PENDING,
    polls: 0,
    hiddenFor: 0,
    log: [],
    ...fields,
  };
  state.groups.push(group);
  logLine(group, now, `Queued ${group.kind} for ${group.accounts.join(', ') || 'no account'}`);
  return group;
}

function createSnapshot(state, ctx, now, account, contains, options = {}) {
  const snapshotId = newId(state, now);
  const snapshot = {
    snapshotId,
    rowId: newId(state, now),
    seq: state.seq,
    accountId: account.id,
    username: account.username,
    created: now,
    contains,
    safety: Boolean(options.safety),
    items: [],
  };
  const log = [];
  for (const bit of CONTAINS_BITS) {
    if ((contains & bit) === 0) continue;
    const item = { _id: newId(state, now), contains: bit };
    if (bit === DNS_BIT) {
      const result = snapshotZones(ctx, snapshotId, account.zones);
      item.zones = result.copied;
      log.push(...result.log);
    } else {
      log.push(`Backed up ${ITEM_NAMES[bit]} (simulated)`);
    }
    snapshot.items.push(item);
  }
  state.backups.push(snapshot);
  return { snapshot, log };
}

function finishBackup(state, ctx, knobs, now, group) {
  const status = Number(knobs.finalStatus);
  for (const username of group.accounts) {
    const account = ctx.accounts.find((candidate) => candidate.username === username);
    if (!account) {
      logLine(group, now, `Account ${username} disappeared; skipped`);
      continue;
    }
    if (!producesResult(status)) continue;
    const { snapshot, log } = createSnapshot(state, ctx, now, account, group.contains);
    for (const line of log) logLine(group, now, line);
    logLine(group, now, `Snapshot ${snapshot.snapshotId} created for ${username}`);
  }
  group.status = status;
  if (status === 101) logLine(group, now, 'Backup completed with warnings (simulated)');
  else if (status === 102) logLine(group, now, 'Backup partially completed (simulated)');
  else if (status === 201) logLine(group, now, 'Backup aborted (simulated)');
  else if (status !== 100) logLine(group, now, `Backup failed (simulated status ${status})`);
  else logLine(group, now, 'Backup completed');
}

function finishRestore(state, ctx, knobs, now, group) {
  let status = Number(knobs.restoreFinalStatus);
  if (!producesResult(status)) {
    group.status = status;
    logLine(group, now, `Restore failed (simulated status ${status}); nothing was changed`);
    return;
  }
  const snapshot = state.backups.find((candidate) => candidate.snapshotId === group.snapshotId);
  const restoredZones = [];
  try {
    for (const itemId of group.itemIds) {
      const item = snapshot.items.find((candidate) => candidate._id === itemId);
      if (item.contains === DNS_BIT) {
        for (const line of restoreZones(ctx, snapshot.snapshotId, item.zones || [])) logLine(group, now, line);
        restoredZones.push(...(item.zones || []));
      } else {
        logLine(group, now, `Restored ${ITEM_NAMES[item.contains]} (simulated)`);
      }
    }
  } catch (err) {
    group.status = 200;
    logLine(group, now, `Restore failed: ${err.message}`);
    return;
  }
  if (restoredZones.length > 0) {
    const hook = runAfterRestore(ctx, snapshot.username, restoredZones);
    for (const line of hook.log) logLine(group, now, line);
    if (!hook.ok && status === 100) status = 101;
  }
  group.status = status;
  logLine(group, now, status === 100 ? 'Restore completed' : `Restore ended with status ${status}`);
}

function finish(state, ctx, knobs, now, group) {
  group.ended = now;
  if (group.kind === 'backup') finishBackup(state, ctx, knobs, now, group);
  else if (group.kind === 'restore') finishRestore(state, ctx, knobs, now, group);
  else {
    group.status = 100;
    logLine(group, now, 'Download prepared (simulated)');
  }
}

/** One poll: every unfinished group moves one step. */
function tick(state, ctx, knobs, now) {
  for (const group of state.groups) {
    if (group.ended !== null) continue;
    group.polls += 1;
    if (group.status === STATUS_PENDING) {
      group.status = STATUS_PROCESSING;
      group.started = now;
      logLine(group, now, 'Processing');
    }
    if (!neverEnds(knobs) && group.polls >= Number(knobs.pollsUntilDone)) finish(state, ctx, knobs, now, group);
  }
}

function groupView(group, knobs, withLog) {
  const format = knobs.createdFormat;
  const view = {
    _id: group._id,
    owner: group.ownerId,
    owner_name: group.ownerName,
    created: formatTime(group.created, format),
    started: formatTime(group.started, format),
    ended: formatTime(group.ended, format),
    type: QUEUE_TYPE[group.kind],
    items: group.kind === 'restore' ? group.itemIds.length : group.accounts.length,
    items_completed: group.ended !== null ? (group.kind === 'restore' ? group.itemIds.length : group.accounts.length) : 0,
    finalize: false,
    status: group.status,
    can_rerun: false,
    rerun_failed: false,
    log_id: group._id,
    status_time: formatTime(group.ended ?? group.started ?? group.created, format),
    execution_time: group.ended !== null && group.started !== null ? Math.round((group.ended - group.started) / 1000) : 0,
    log_file: `/usr/local/jetapps/var/log/jetbackup5/queue/${QUEUE_TYPE[group.kind]}_${group._id}.log`,
    data: { account: group.accounts[0] ?? '', priority: 50 },
  };
  if (group.safetyId) view.safety_id = group.safetyId;
  if (withLog) view.log_contents = group.log.join('\n');
  return view;
}

function accountData(snapshot) {
  return {
    _id: snapshot.accountId,
    username: snapshot.username,
    owner: 'root',
    package: 'default',
    suspended: false,
    reseller: false,
    root: false,
  };
}

function backupRowView(snapshot, knobs) {
  return {
    _id: snapshot.rowId,
    parent_id: snapshot.snapshotId,
    account_id: snapshot.accountId,
    destination: DESTINATION._id,
    destination_name: DESTINATION.name,
    name: snapshot.username,
    created: formatTime(snapshot.created, knobs.createdFormat),
    path: '',
    backup_type: 1,
    backup_contains: snapshot.contains,
    account: snapshot.username,
    account_data: accountData(snapshot),
    safety: snapshot.safety,
    size: 1024,
  };
}

function backupItemView(snapshot, item, knobs) {
  return {
    _id: item._id,
    parent_id: snapshot.snapshotId,
    account_id: snapshot.accountId,
    destination: DESTINATION._id,
    destination_name: DESTINATION.name,
    name: item.contains === DNS_BIT ? (item.zones || []).join(',') : '',
    created: formatTime(snapshot.created, knobs.createdFormat),
    path: '',
    backup_type: 1,
    backup_contains: item.contains,
    account: snapshot.username,
    account_data: accountData(snapshot),
    size: 186,
  };
}

module.exports = {
  QUEUE_TYPE,
  DNS_BIT,
  createGroup,
  createSnapshot,
  tick,
  groupView,
  backupRowView,
  backupItemView,
};
