'use strict';
/**
 * The JetBackup 5 API functions the fake answers (docs/reference/jetbackup-and-exim.md §1.12), with the shapes of
 * the v5.3 API pages. Each handler gets the parsed `-D` params and the context, and returns
 * `{ message, data }` or throws a FakeApiError (printed as `success: 0`).
 */
const { newId, formatTime } = require('./clock');
const { QUEUE_TYPE, createGroup, createSnapshot, tick, groupView, backupRowView, backupItemView } = require('./queue');

class FakeApiError extends Error {}

// ---------------------------------------------------------------------------------------------
// helpers

function required(params, name) {
  const value = params[name];
  if (value === undefined || value === '') throw new FakeApiError(`Parameter "${name}" is required`);
  return value;
}

/** Booleans: knob `booleans` says which spellings JetBackup accepts (numeric 1/0, word true/false). */
function parseBoolean(value, name, knobs) {
  if (value === undefined) return false;
  const numeric = { 1: true, 0: false };
  const word = { true: true, false: false };
  const allowNumeric = knobs.booleans !== 'word';
  const allowWord = knobs.booleans !== 'numeric';
  if (allowNumeric && value in numeric) return numeric[value];
  if (allowWord && value in word) return word[value];
  throw new FakeApiError(`Invalid boolean value "${value}" for ${name}`);
}

function emptyData(knobs) {
  return knobs.emptyData === 'array' ? [] : {};
}

/** `{ key: [...], total }`, or PHP's bare empty array when knob emptyData is "array". */
function listData(knobs, key, entries, total) {
  if (entries.length === 0 && knobs.emptyData === 'array') return [];
  return { [key]: entries, total };
}

/** List parameters of every list call (docs "List Parameters"): sort[field]=±1, skip, limit (default 100). */
function applyListParams(records, params) {
  let sorted = [...records];
  const sort = params.sort && typeof params.sort === 'object' ? params.sort : {};
  const [field, direction] = Object.entries(sort)[0] ?? ['seq', '1'];
  const sign = Number(direction) < 0 ? -1 : 1;
  const keyOf = (record) => (field === 'created' ? [record.created, record.seq] : [record[field] ?? '', record.seq]);
  sorted.sort((a, b) => {
    const [a1, a2] = keyOf(a);
    const [b1, b2] = keyOf(b);
    if (a1 !== b1) return (a1 < b1 ? -1 : 1) * sign;
    return (a2 - b2) * sign;
  });
  const skip = Number(params.skip) || 0;
  const limit = params.limit === undefined ? 100 : Number(params.limit);
  sorted = sorted.slice(skip);
  return { page: limit > 0 ? sorted.slice(0, limit) : sorted, total: records.length };
}

function accountView(ctx, state, account) {
  const extra = state.accountSettings[account.id] || {};
  return {
    _id: account.id,
    username: account.username,
    created: formatTime(Date.UTC(2023, 8, 15, 3, 50, 35), ctx.knobs.createdFormat),
    domain: account.zones[0] || '',
    owner: 'root',
    owner_id: '6503d48bfc45b1addf0a9632',
    homedir: `/home/${account.username}`,
    package: 'default',
    suspended: false,
    active: 1,
    max_snapshots: extra.max_snapshots ?? -1,
    backup_stats: { 511: 0, 1: 0, 2: 0, 4: 0, 8: 0, 16: 0, 32: 0, 64: 0, 128: 0, 256: 0 },
  };
}

function accountById(ctx, id) {
  const account = ctx.accounts.find((candidate) => candidate.id === id);
  if (!account) throw new FakeApiError(`Account "${id}" not found`);
  return account;
}

function onDemandJob(ctx, state) {
  if (!ctx.knobs.onDemandJob || !state.settings.backup) return null;
  return state.jobs.find((job) => job._id === state.settings.backup) || null;
}

function jobView(ctx, state, job) {
  const isOnDemand = job._id === state.settings.backup;
  return {
    _id: job._id,
    name: job.name,
    type: job.type,
    contains: isOnDemand ? Number(ctx.knobs.jobContains) : job.contains,
    structure: 1,
    destination: ['6503eec8ebbf07708d06f1d2'],
    disabled: false,
  };
}

// ---------------------------------------------------------------------------------------------
// functions

const handlers = {
  listAccounts({ params, ctx, state }) {
    parseBoolean(params.orphan, 'orphan', ctx.knobs);
    const wanted = params.find && typeof params.find === 'object' ? params.find.username : undefined;
    // Like a search box, `find` matches part of a name; the client must pick the exact one.
    const matching = ctx.accounts.filter((account) => wanted === undefined || account.username.includes(String(wanted)));
    const { page, total } = applyListParams(
      matching.map((account, index) => ({ ...account, seq: index, created: 0 })),
      params,
    );
    return {
      message: '',
      data: listData(
        ctx.knobs,
        'accounts',
        page.map((account) => accountView(ctx, state, account)),
        total,
      ),
    };
  },

  getAccount({ params, ctx, state }) {
    return { message: '', data: accountView(ctx, state, accountById(ctx, required(params, '_id'))) };
  },

  manageAccount({ params, ctx, state }) {
    const account = accountById(ctx, required(params, '_id'));
    if (params.max_snapshots !== undefined) {
      state.accountSettings[account.id] = { ...(state.accountSettings[account.id] || {}), max_snapshots: Number(params.max_snapshots) };
    }
    return { message: 'Account Modified Successfully', data: accountView(ctx, state, account) };
  },

  getSettingsSnapshots({ ctx, state }) {
    const job = onDemandJob(ctx, state);
    return {
      message: '',
      data: { backup: job ? job._id : '', retain: state.settings.retain, ttl: state.settings.ttl, rule_size: 5, rule_inodes: 50000 },
    };
  },

  manageSettingsSnapshots({ params, state }) {
    if (params.backup !== undefined) {
      if (params.backup !== '' && !state.jobs.some((job) => job._id === params.backup))
        throw new FakeApiError(`Backup Job "${params.backup}" not found`);
      state.settings.backup = params.backup;
    }
    if (params.retain !== undefined) {
      const retain = Number(params.retain);
      if (!(retain >= 1 && retain <= 99)) throw new FakeApiError('retain must be between 1 and 99');
      state.settings.retain = retain;
    }
    if (params.ttl !== undefined) state.settings.ttl = Number(params.ttl);
    return { message: 'Backup on Demand Settings Updated Successfully.', data: { ...state.settings, rule_size: 5, rule_inodes: 50000 } };
  },

  getBackupJob({ params, ctx, state }) {
    const id = required(params, '_id');
    const job = state.jobs.find((candidate) => candidate._id === id);
    if (!job) throw new FakeApiError(`Backup Job "${id}" not found`);
    return { message: '', data: jobView(ctx, state, job) };
  },

  listBackupJobs({ params, ctx, state }) {
    const { page, total } = applyListParams(
      state.jobs.map((job, index) => ({ ...job, seq: index, created: 0 })),
      params,
    );
    return {
      message: '',
      data: listData(
        ctx.knobs,
        'jobs',
        page.map((job) => jobView(ctx, state, job)),
        total,
      ),
    };
  },

  createBackupOnDemand({ params, ctx, state, now }) {
    const account = accountById(ctx, required(params, 'account_id'));
    const job = onDemandJob(ctx, state);
    // Real message text unknown (§1.5 "failure message text: unknown").
    if (!job) throw new FakeApiError('No Backup on Demand job is selected in the settings');
    const group = createGroup(state, now, {
      kind: 'backup',
      ownerId: account.id,
      ownerName: account.username,
      accounts: [account.username],
      contains: Number(ctx.knobs.jobContains),
      jobId: job._id,
    });
    group.hiddenFor = Number(ctx.knobs.groupVisibleAfterPolls) || 0;
    return { message: 'Backup on demand added to the queue', data: emptyData(ctx.knobs) };
  },

  runBackupJobManually({ params, ctx, state, now }) {
    const id = required(params, '_id');
    const job = state.jobs.find((candidate) => candidate._id === id);
    if (!job) throw new FakeApiError(`Backup Job "${id}" not found`);
    const group = createGroup(state, now, {
      kind: 'backup',
      ownerId: '6503d48bfc45b1addf0a9632',
      ownerName: 'root',
      accounts: ctx.accounts.map((account) => account.username),
      contains: jobView(ctx, state, job).contains,
      jobId: job._id,
    });
    group.hiddenFor = Number(ctx.knobs.groupVisibleAfterPolls) || 0;
    return {
      message: 'Backup Job added to the queue. It may still be aborted by hooks or other conditions',
      data: jobView(ctx, state, job),
    };
  },

  listQueueGroups({ params, ctx, state, now }) {
    const type = Number(required(params, 'type'));
    tick(state, ctx, ctx.knobs, now);
    const visible = state.groups.filter((group) => {
      if (QUEUE_TYPE[group.kind] !== type) return false;
      if (group.hiddenFor > 0) {
        group.hiddenFor -= 1;
        return false;
      }
      return true;
    });
    const { page, total } = applyListParams(visible, params);
    return {
      message: '',
      data: listData(
        ctx.knobs,
        'groups',
        page.map((group) => groupView(group, ctx.knobs, false)),
        total,
      ),
    };
  },

  getQueueGroup({ params, ctx, state, now }) {
    const id = required(params, '_id');
    const withLog = parseBoolean(params.get_log_contents, 'get_log_contents', ctx.knobs);
    tick(state, ctx, ctx.knobs, now);
    const group = state.groups.find((candidate) => candidate._id === id);
    if (!group) throw new FakeApiError(`Queue Group "${id}" not found`);
    return { message: '', data: groupView(group, ctx.knobs, withLog) };
  },

  listQueueItems({ params, ctx, state }) {
    const id = required(params, 'group_id');
    const group = state.groups.find((candidate) => candidate._id === id);
    if (!group) throw new FakeApiError(`Queue Group "${id}" not found`);
    const names = group.kind === 'restore' ? group.itemIds : group.accounts;
    const items = names.map((name, index) => ({
      _id: `${group._id.slice(0, 20)}${index.toString(16).padStart(4, '0')}`,
      owner: group.ownerId,
      owner_name: group.ownerName,
      created: formatTime(group.created, ctx.knobs.createdFormat),
      ended: formatTime(group.ended, ctx.knobs.createdFormat),
      type: QUEUE_TYPE[group.kind],
      group_id: group._id,
      status: group.status,
      message: group.ended === null ? 'Processing' : group.log[group.log.length - 1] || '',
    }));
    return { message: '', data: listData(ctx.knobs, 'items', items, items.length) };
  },

  listBackups(args) {
    return listBackupsOf(args, false);
  },

  listBackupForType(args) {
    return listBackupsOf(args, true);
  },

  getBackupItems({ params, ctx, state }) {
    const id = required(params, '_id');
    const snapshot = state.backups.find((candidate) => candidate.snapshotId === id);
    if (!snapshot) throw new FakeApiError(`Backup "${id}" not found`);
    const items = snapshot.items.map((item) => backupItemView(snapshot, item, ctx.knobs));
    // The vendor example puts the list directly in `data`.
    return { message: '', data: items.length === 0 ? emptyData(ctx.knobs) : items };
  },

  getBackupItem({ params, ctx, state }) {
    const id = required(params, '_id');
    for (const snapshot of state.backups) {
      const item = snapshot.items.find((candidate) => candidate._id === id);
      if (item) return { message: '', data: backupItemView(snapshot, item, ctx.knobs) };
    }
    throw new FakeApiError(`Backup Item "${id}" not found`);
  },

  addQueueItems({ params, ctx, state, now }) {
    const type = Number(required(params, 'type'));
    if (type === 1 || type === 8)
      throw new FakeApiError(`Queue type ${type} is not compatible with the API; use runBackupJobManually / reindexDestination`);
    if (type !== 2 && type !== 4) throw new FakeApiError(`Invalid queue type ${params.type}`);
    // JetBackup 5's restore page: `snapshot_id` queues EVERY item of the snapshot, `items[]` is
    // "required when not using the snapshot_id" (https://docs.jetbackup.com/v5.2/api/Restore/restore.html),
    // and its download examples queue chosen items with `items[]` alone. What the real API does with
    // both is undocumented; a whole-account restore is the risk, so the fake refuses the mixed form.
    const hasSnapshotId = params.snapshot_id !== undefined && params.snapshot_id !== '';
    const listed = params.items === undefined ? null : typeof params.items === 'object' ? Object.values(params.items) : [params.items];
    if (hasSnapshotId && listed) {
      throw new FakeApiError(
        'Ambiguous restore: snapshot_id queues every item of the backup; give items[] alone to restore only the chosen items',
      );
    }
    if (!hasSnapshotId && (!listed || listed.length === 0)) throw new FakeApiError('Either snapshot_id or items[] is required');
    const snapshot = hasSnapshotId
      ? state.backups.find((candidate) => candidate.snapshotId === params.snapshot_id)
      : state.backups.find((candidate) => candidate.items.some((item) => item._id === listed[0]));
    if (!snapshot)
      throw new FakeApiError(hasSnapshotId ? `Backup "${params.snapshot_id}" not found` : `Backup Item "${listed[0]}" not found`);
    const snapshotId = snapshot.snapshotId;
    const requested = listed ?? snapshot.items.map((item) => item._id);
    for (const itemId of requested) {
      if (!snapshot.items.some((item) => item._id === itemId))
        throw new FakeApiError(`Backup Item "${itemId}" does not belong to backup "${snapshotId}"`);
    }
    const options = params.options && typeof params.options === 'object' ? params.options : {};
    const parsedOptions = {};
    for (const name of ['terminate', 'suspend', 'merge', 'reseller'])
      parsedOptions[name] = parseBoolean(options[name], `options[${name}]`, ctx.knobs);
    if (type === 2 && ctx.knobs.restoreQueueError) throw new FakeApiError(String(ctx.knobs.restoreQueueError));
    const account = ctx.accounts.find((candidate) => candidate.id === snapshot.accountId) || {
      id: snapshot.accountId,
      username: snapshot.username,
      zones: [],
    };
    const fields = {
      kind: type === 2 ? 'restore' : 'download',
      ownerId: account.id,
      ownerName: account.username,
      accounts: [account.username],
      snapshotId,
      itemIds: requested,
      options: parsedOptions,
    };
    if (type === 2) {
      // JetBackup takes a safety backup before a restore (§1.8 `safety_id`).
      fields.safetyId = createSnapshot(state, ctx, now, account, 32, { safety: true }).snapshot.snapshotId;
    }
    const group = createGroup(state, now, fields);
    return { message: 'Items added to the queue Successfully', data: groupView(group, ctx.knobs, false) };
  },
};

function listBackupsOf({ params, ctx, state }, newestOnly) {
  const type = Number(required(params, 'type'));
  const contains = Number(required(params, 'contains'));
  if (type !== 1) return { message: '', data: listData(ctx.knobs, 'backups', [], 0) };
  const accountId = required(params, 'account_id');
  let snapshots = state.backups.filter((snapshot) => snapshot.accountId === accountId && (snapshot.contains & contains) !== 0);
  if (newestOnly) snapshots = snapshots.sort((a, b) => b.created - a.created || b.seq - a.seq).slice(0, 1);
  const { page, total } = applyListParams(snapshots, params);
  return {
    message: '',
    data: listData(
      ctx.knobs,
      'backups',
      page.map((snapshot) => backupRowView(snapshot, ctx.knobs)),
      total,
    ),
  };
}

function initialState(now) {
  const state = { seq: 0, settings: { backup: '', retain: 5, ttl: 3 }, jobs: [], accountSettings: {}, groups: [], backups: [] };
  const jobId = newId(state, now);
  state.jobs.push({ _id: jobId, name: 'Backup on Demand', type: 1, contains: 511 });
  state.settings.backup = jobId;
  return state;
}

module.exports = { handlers, FakeApiError, initialState };
