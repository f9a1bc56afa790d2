/**
 * The safe status rule (docs/reference/jetbackup-and-exim.md §1.9). JetBackup's status enum is not published and
 * third-party clients disagree about everything but 100 = completed, so we never interpret other
 * codes: a group that has not ended is running; an ended group is a success only with status 100;
 * anything else that ended is "finished, not clean" and stops the operation with JetBackup's own words.
 */
export type QueueVerdict = 'running' | 'success' | 'finished_not_clean';

export const STATUS_COMPLETED = 100;

export function judgeQueueGroup(group: { ended: boolean; status: number | null }): QueueVerdict {
  if (!group.ended) return 'running';
  if (group.status === STATUS_COMPLETED) return 'success';
  return 'finished_not_clean';
}

/**
 * Names third-party clients give some codes (jetbackup-remote: 101 warnings, 102 partial,
 * 200 failed, 201 aborted). For messages only — the verdict never depends on them.
 */
const THIRD_PARTY_STATUS_NAMES: Readonly<Record<number, string>> = {
  100: 'completed',
  101: 'completed with warnings?',
  102: 'partially completed?',
  200: 'failed?',
  201: 'aborted?',
};

export function describeStatus(status: number | null): string {
  if (status === null) return 'no status';
  const name = THIRD_PARTY_STATUS_NAMES[status];
  return name ? `status ${status} (${name})` : `status ${status}`;
}
