/**
 * Picking "ours" out of JetBackup's lists. `createBackupOnDemand` returns no id (§1.5), so the queue
 * group and the snapshot of this run are recognised by three tests together:
 * - it belongs to the account (queue groups: `owner`/`owner_name`/`data.account`, field unverified §1.9);
 * - it was not in the list we read just before queueing (robust against clock and format surprises);
 * - its `created` is not before the time we queued, less a small tolerance for clock skew; an
 *   unreadable `created` does not disqualify an entry that the second test already proves new.
 * Pure functions, so the rules are unit-tested without a process.
 */
import { containsDnsZones, CONTAINS } from './contains';
import type { BackupRow, QueueGroup } from './schemas';

export interface RunWindow {
  /** When we queued, floored to the second (JetBackup prints whole seconds). */
  queuedAt: Date;
  clockSkewToleranceMs: number;
}

function isRecentEnough(created: Date | null, window: RunWindow): boolean {
  return created === null || created.getTime() >= window.queuedAt.getTime() - window.clockSkewToleranceMs;
}

/** Oldest first, unknown times last: the first new entry after our request is the one it made. */
function byCreatedAscending<T extends { created: Date | null }>(a: T, b: T): number {
  if (a.created && b.created) return a.created.getTime() - b.created.getTime();
  return a.created ? -1 : b.created ? 1 : 0;
}

export function groupBelongsTo(group: QueueGroup, account: { id: string; username: string }): boolean {
  return group.accountIds.includes(account.id) || group.accountNames.includes(account.username);
}

/** Backup queue type (§1.8: 1 backup, 2 restore, 4 download, 8 reindex). */
const QUEUE_TYPE_BACKUP = 1;

export function pickQueuedBackupGroup(
  groups: readonly QueueGroup[],
  account: { id: string; username: string },
  seenBefore: ReadonlySet<string>,
  window: RunWindow,
): QueueGroup | null {
  const candidates = groups.filter(
    (group) =>
      (group.type === undefined || group.type === QUEUE_TYPE_BACKUP) &&
      !seenBefore.has(group.id) &&
      groupBelongsTo(group, account) &&
      isRecentEnough(group.created, window),
  );
  return [...candidates].sort(byCreatedAscending)[0] ?? null;
}

/**
 * The snapshot this run made: new, of the account, created after we queued. listBackups may list a
 * snapshot once per destination, so rows are grouped by their snapshot id (`parent_id`).
 */
export function pickNewSnapshot(
  rows: readonly BackupRow[],
  accountId: string,
  seenBefore: ReadonlySet<string>,
  window: RunWindow,
): BackupRow | null {
  const candidates = rows.filter(
    (row) =>
      (row.accountId === undefined || row.accountId === accountId) &&
      !seenBefore.has(row.snapshotId) &&
      isRecentEnough(row.created, window),
  );
  return [...candidates].sort(byCreatedAscending)[0] ?? null;
}

/**
 * The DNS zones item of a snapshot: the vendor says "pick the item with backup_contains: 32" (§1.7);
 * an item with exactly 32 wins over one that merely has the bit.
 */
export function pickDnsItem(items: readonly BackupRow[]): BackupRow | null {
  const exact = items.find((item) => item.contains === CONTAINS.dnsZones);
  if (exact) return exact;
  return items.find((item) => item.contains !== null && containsDnsZones(item.contains)) ?? null;
}
