/**
 * The `Backup` port on JetBackup 5's root CLI (docs/reference/jetbackup-and-exim.md Part 1).
 *
 * snapshot(user): account id (§1.4) → Backup-on-Demand job configured and backing up DNS (§1.5, §1.6)
 * → createBackupOnDemand (no id comes back) → find this run's queue group (§1.9) → poll it to the end
 * and judge it by the safe status rule → find the new snapshot and its DNS item (§1.7).
 * restoreDns(ref): check the item is the account's DNS item → addQueueItems type=2 with only that
 * item, `items[]` WITHOUT `snapshot_id` → poll the group to the end by the same rule. JetBackup's restore
 * page documents `snapshot_id` as the way to restore every item of a snapshot and `items[]` as required
 * when it is not used (https://docs.jetbackup.com/v5.2/api/Restore/restore.html); sending both could
 * restore the whole account (home directory, databases, mail), so the snapshot id never goes along.
 */
import type { Step } from '../../errors';
import { systemClock, type Backup, type BackupRef, type Clock } from '../../ports';
import { JetBackupCli, type CallResult } from './cli-client';
import { CONTAINS_ALL, containsDnsZones, describeContains } from './contains';
import type { ExecFn } from './exec';
import { floorToSecond } from './jetbackup-time';
import { isJetBackupError, JetBackupError } from './jetbackup-error';
import { silentLogger, type JetBackupLogger } from './logger';
import type { BooleanStyle, QueryParams } from './query-string';
import { describeStatus, judgeQueueGroup } from './queue-status';
import {
  parseAccounts,
  parseBackupItems,
  parseBackupJob,
  parseBackups,
  parseQueueGroup,
  parseQueueGroups,
  parseSettingsSnapshots,
  type BackupRow,
  type JetBackupAccount,
  type QueueGroup,
} from './schemas';
import { pickDnsItem, pickNewSnapshot, pickQueuedBackupGroup, type RunWindow } from './selection';

export interface JetBackupBackupOptions {
  /** Path of `jetbackup5api` (config `backup.jetbackupApi`). */
  apiPath: string;
  /** Longest wait for a backup or restore to end (config `backup.timeoutSeconds`). */
  timeoutSeconds: number;
  /** Pause between polls (config `backup.pollIntervalMs`). */
  pollIntervalMs: number;
  /** Longest wait for one CLI call; default min(60 s, timeoutSeconds). */
  callTimeoutMs?: number;
  exec?: ExecFn;
  env?: NodeJS.ProcessEnv;
  booleanStyle?: BooleanStyle;
  logger?: JetBackupLogger;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /**
   * `options[merge]` of the restore. Its effect on a DNS zone is undocumented (§1.8); false asks for
   * the snapshot's zone as it was, which is what an undo needs (a merge could keep our new record
   * beside the old one).
   */
  restoreMerge?: boolean;
  /** How much earlier than our clock a JetBackup `created` may be and still count as this run. */
  clockSkewToleranceMs?: number;
}

const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const DEFAULT_CLOCK_SKEW_TOLERANCE_MS = 5_000;
/** List calls return 100 entries by default (docs "List Parameters"); newest first keeps ours in view. */
const NEWEST_FIRST = { created: -1 } as const;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Deadline {
  at: number;
  seconds: number;
}

export class JetBackupBackup implements Backup {
  private readonly cli: JetBackupCli;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger: JetBackupLogger;

  constructor(private readonly options: JetBackupBackupOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.cli = new JetBackupCli({
      apiPath: options.apiPath,
      callTimeoutMs: options.callTimeoutMs ?? Math.min(DEFAULT_CALL_TIMEOUT_MS, options.timeoutSeconds * 1000),
      exec: options.exec,
      env: options.env,
      booleanStyle: options.booleanStyle,
      logger: this.logger,
    });
  }

  async snapshot(user: string): Promise<BackupRef> {
    const step: Step = 'backup';
    const account = await this.findAccount(user, step);
    await this.checkOnDemandJob(step);

    const groupsBefore = new Set((await this.listBackupGroups(step)).map((group) => group.id));
    const snapshotsBefore = new Set((await this.listSnapshots(account.id, step)).map((row) => row.snapshotId));

    const queuedAt = floorToSecond(this.clock.now());
    const window: RunWindow = { queuedAt, clockSkewToleranceMs: this.options.clockSkewToleranceMs ?? DEFAULT_CLOCK_SKEW_TOLERANCE_MS };
    await this.call('createBackupOnDemand', { account_id: account.id }, step);
    const deadline = this.deadlineFromNow();
    this.logger.info('JetBackup on-demand backup queued', { user, accountId: account.id, queuedAt: queuedAt.toISOString() });

    const group = await this.waitForQueuedGroup(account, groupsBefore, window, deadline, step);
    const ended = await this.waitForEnd(group.id, deadline, step, `JetBackup's backup of ${user} (queue group ${group.id})`);
    this.requireClean(ended, `JetBackup's backup of ${user}`, step);

    const snapshot = pickNewSnapshot(await this.listSnapshots(account.id, step), account.id, snapshotsBefore, window);
    if (!snapshot) {
      throw new JetBackupError(
        'snapshot-not-found',
        `JetBackup reported the backup of ${user} complete (queue group ${group.id}) but lists no new snapshot for the account`,
        { step, upstream: ended.raw },
      );
    }
    const dnsItem = await this.findDnsItem(snapshot.snapshotId, user, step);
    this.logger.info('JetBackup snapshot taken', { user, snapshotId: snapshot.snapshotId, dnsItemId: dnsItem.id });
    return {
      kind: 'jetbackup',
      accountId: account.id,
      user,
      queuedAt: queuedAt.toISOString(),
      snapshotId: snapshot.snapshotId,
      dnsItemId: dnsItem.id,
    };
  }

  async restoreDns(ref: BackupRef): Promise<void> {
    const step: Step = 'rollback';
    const account = await this.findAccount(ref.user, step);
    if (account.id !== ref.accountId) {
      throw new JetBackupError(
        'not-owned',
        `The snapshot belongs to JetBackup account ${ref.accountId}, but ${ref.user} is now account ${account.id}; not restoring`,
        { step },
      );
    }
    const { snapshotId, dnsItem } = await this.resolveDnsItem(ref, step);

    const queued = await this.call(
      'addQueueItems',
      { type: 2, items: [dnsItem.id], options: { merge: this.options.restoreMerge ?? false } },
      step,
    );
    const group = this.parse('addQueueItems', parseQueueGroup, queued.data, step);
    const deadline = this.deadlineFromNow();
    this.logger.info('JetBackup DNS restore queued', { user: ref.user, snapshotId, dnsItemId: dnsItem.id, groupId: group.id });

    const subject = `JetBackup's DNS restore for ${ref.user} (queue group ${group.id})`;
    const ended = await this.waitForEnd(
      group.id,
      deadline,
      step,
      subject,
      'it may still be running: check JetBackup ▸ Queue before trying again',
    );
    this.requireClean(ended, `JetBackup's DNS restore for ${ref.user}`, step);
    this.logger.info('JetBackup DNS restore finished', { user: ref.user, groupId: group.id });
  }

  // -------------------------------------------------------------------------------------------

  private async call(fn: string, params: QueryParams, step: Step): Promise<CallResult> {
    return this.cli.call(fn, params, step);
  }

  private parse<T>(fn: string, parser: (data: unknown) => T, data: unknown, step: Step): T {
    try {
      return parser(data);
    } catch (err) {
      throw new JetBackupError(
        'bad-output',
        `JetBackup's ${fn} answered in a shape we cannot read: ${err instanceof Error ? err.message : String(err)}`,
        {
          step,
          upstream: data,
          cause: err,
        },
      );
    }
  }

  private deadlineFromNow(): Deadline {
    return { at: this.clock.now().getTime() + this.options.timeoutSeconds * 1000, seconds: this.options.timeoutSeconds };
  }

  private async pause(deadline: Deadline): Promise<void> {
    const remaining = deadline.at - this.clock.now().getTime();
    await this.sleep(Math.max(0, Math.min(this.options.pollIntervalMs, remaining)));
  }

  private async findAccount(user: string, step: Step): Promise<JetBackupAccount> {
    const answer = await this.call('listAccounts', { find: { username: user } }, step);
    // `find` may match more than the exact name (semantics unverified); only an exact match counts.
    const account = this.parse('listAccounts', parseAccounts, answer.data, step).find((candidate) => candidate.username === user);
    if (!account) {
      throw new JetBackupError('account-unknown', `JetBackup does not know the account ${user} (listAccounts found no such username)`, {
        step,
        upstream: answer.data,
      });
    }
    return account;
  }

  /** §1.5: without a Backup-on-Demand job the call cannot work; and a job without bit 32 is useless here. */
  private async checkOnDemandJob(step: Step): Promise<void> {
    const settings = this.parse(
      'getSettingsSnapshots',
      parseSettingsSnapshots,
      (await this.call('getSettingsSnapshots', {}, step)).data,
      step,
    );
    if (!settings.jobId) {
      throw new JetBackupError(
        'no-on-demand-job',
        'JetBackup has no Backup-on-Demand job configured, so it cannot take a snapshot. Select one in JetBackup ▸ Settings ▸ Backup on Demand (or run: jetbackup5api -F manageSettingsSnapshots -D "backup=<JOB_ID>")',
        { step },
      );
    }
    let job;
    try {
      job = this.parse('getBackupJob', parseBackupJob, (await this.call('getBackupJob', { _id: settings.jobId }, step)).data, step);
    } catch (err) {
      // An answer we cannot use is not fatal: the snapshot's items are checked for the DNS bit
      // afterwards anyway. A CLI that cannot run at all is.
      if (!isJetBackupError(err, 'api-error') && !isJetBackupError(err, 'bad-output')) throw err;
      this.logger.warn('Could not read the Backup-on-Demand job; its DNS content will be checked on the snapshot', {
        jobId: settings.jobId,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    if (job.contains !== null && !containsDnsZones(job.contains)) {
      throw new JetBackupError(
        'no-dns-in-job',
        `JetBackup's Backup-on-Demand job ${job.name ? `"${job.name}" ` : ''}(${settings.jobId}) does not back up DNS zones: contains=${job.contains} (${describeContains(job.contains)}), without bit 32. Add "DNS Zones"/"Domains" to the job`,
        { step, upstream: job },
      );
    }
  }

  private async listBackupGroups(step: Step): Promise<QueueGroup[]> {
    const answer = await this.call('listQueueGroups', { type: 1, sort: NEWEST_FIRST }, step);
    return this.parse('listQueueGroups', parseQueueGroups, answer.data, step);
  }

  private async listSnapshots(accountId: string, step: Step): Promise<BackupRow[]> {
    const answer = await this.call('listBackups', { type: 1, contains: CONTAINS_ALL, account_id: accountId, sort: NEWEST_FIRST }, step);
    return this.parse('listBackups', parseBackups, answer.data, step);
  }

  private async waitForQueuedGroup(
    account: JetBackupAccount,
    seenBefore: ReadonlySet<string>,
    window: RunWindow,
    deadline: Deadline,
    step: Step,
  ): Promise<QueueGroup> {
    for (;;) {
      const group = pickQueuedBackupGroup(await this.listBackupGroups(step), account, seenBefore, window);
      if (group) return group;
      if (this.clock.now().getTime() >= deadline.at) {
        throw new JetBackupError(
          'queue-group-not-found',
          `JetBackup accepted the on-demand backup of ${account.username}, but no new backup queue group for the account appeared within ${deadline.seconds} s`,
          { step },
        );
      }
      await this.pause(deadline);
    }
  }

  /** Poll getQueueGroup until `ended` (§1.9), at most until the deadline. */
  private async waitForEnd(groupId: string, deadline: Deadline, step: Step, subject: string, afterTimeout?: string): Promise<QueueGroup> {
    for (;;) {
      const answer = await this.call('getQueueGroup', { _id: groupId, get_log_contents: true }, step);
      const group = this.parse('getQueueGroup', parseQueueGroup, answer.data, step);
      if (judgeQueueGroup(group) !== 'running') return group;
      if (this.clock.now().getTime() >= deadline.at) {
        throw new JetBackupError(
          'timeout',
          `${subject} did not finish within ${deadline.seconds} s (still ${describeStatus(group.status)})${afterTimeout ? `; ${afterTimeout}` : ''}`,
          { step, upstream: group.raw },
        );
      }
      await this.pause(deadline);
    }
  }

  private requireClean(group: QueueGroup, subject: string, step: Step): void {
    if (judgeQueueGroup(group) === 'success') return;
    const details = [
      group.message ? `message: ${group.message}` : '',
      group.logContents ? `log:\n${group.logContents.trim()}` : '',
      group.logFile ? `log file: ${group.logFile}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    throw new JetBackupError(
      'finished-not-clean',
      `${subject} ended with ${describeStatus(group.status)}, not 100 (completed)${details ? `\n${details}` : ''}`,
      {
        step,
        upstream: group.raw,
      },
    );
  }

  private async findDnsItem(snapshotId: string, user: string, step: Step): Promise<BackupRow> {
    const items = this.parse('getBackupItems', parseBackupItems, (await this.call('getBackupItems', { _id: snapshotId }, step)).data, step);
    const dnsItem = pickDnsItem(items);
    if (!dnsItem) {
      const contents = items.map((item) => item.contains ?? '?').join(', ');
      throw new JetBackupError(
        'no-dns-item',
        `JetBackup's snapshot ${snapshotId} of ${user} has no DNS zones item (item contains: ${contents || 'none'}); the Backup-on-Demand job must include DNS zones (bit 32)`,
        { step, upstream: items },
      );
    }
    return dnsItem;
  }

  /**
   * The ids of the reference, checked against JetBackup: the item must be a DNS item of the
   * reference's account. A reference without ids (JetBackup had not listed them) is resolved from
   * the first snapshot of the account created after `queuedAt`.
   */
  private async resolveDnsItem(ref: BackupRef, step: Step): Promise<{ snapshotId: string; dnsItem: BackupRow }> {
    let snapshotId = ref.snapshotId;
    if (!snapshotId) {
      const queuedAt = new Date(ref.queuedAt);
      const window: RunWindow = { queuedAt, clockSkewToleranceMs: this.options.clockSkewToleranceMs ?? DEFAULT_CLOCK_SKEW_TOLERANCE_MS };
      const snapshot = Number.isNaN(queuedAt.getTime())
        ? null
        : pickNewSnapshot(await this.listSnapshots(ref.accountId, step), ref.accountId, new Set(), window);
      if (!snapshot) {
        throw new JetBackupError('snapshot-not-found', `JetBackup lists no snapshot of ${ref.user} taken at or after ${ref.queuedAt}`, {
          step,
        });
      }
      snapshotId = snapshot.snapshotId;
    }
    const items = this.parse('getBackupItems', parseBackupItems, (await this.call('getBackupItems', { _id: snapshotId }, step)).data, step);
    const dnsItem = ref.dnsItemId ? items.find((item) => item.id === ref.dnsItemId) : pickDnsItem(items);
    if (!dnsItem || dnsItem.contains === null || !containsDnsZones(dnsItem.contains)) {
      throw new JetBackupError(
        'no-dns-item',
        `JetBackup's snapshot ${snapshotId} of ${ref.user} has no DNS zones item${ref.dnsItemId ? ` with id ${ref.dnsItemId}` : ''}`,
        {
          step,
          upstream: items,
        },
      );
    }
    if (dnsItem.accountId !== undefined && dnsItem.accountId !== ref.accountId) {
      throw new JetBackupError(
        'not-owned',
        `JetBackup item ${dnsItem.id} belongs to account ${dnsItem.accountId}, not to ${ref.user} (${ref.accountId}); not restoring`,
        {
          step,
          upstream: dnsItem,
        },
      );
    }
    return { snapshotId, dnsItem };
  }
}
