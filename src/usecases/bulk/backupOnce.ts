/**
 * Backups in a bulk job follow the policy (config `backup.policy`), but one JetBackup snapshot per
 * account per job is enough: it holds all the account's zones, and a snapshot per domain would queue
 * thousands of full account backups. The first change of an account in the job takes the snapshot;
 * later changes of that account (in this process, or after a restart: found in the journal) reuse
 * it. The journal row of each change is written either way (repair/applyChange.ts).
 */
import type { BackupGuard, SnapshotOutcome } from '../../adapters/jetbackup/policy';
import type { ChangeJournal } from '../../adapters/store';
import type { BackupRef } from '../../ports';

function isBackupRef(value: unknown): value is BackupRef {
  return (
    value !== null &&
    typeof value === 'object' &&
    ((value as BackupRef).kind === 'jetbackup' || (value as BackupRef).kind === 'plesk-dns') &&
    typeof (value as BackupRef).accountId === 'string'
  );
}

export function backupOncePerAccount(guard: BackupGuard, journal: Pick<ChangeJournal, 'listChanges'>, jobId: number): BackupGuard {
  const taken = new Map<string, Promise<SnapshotOutcome>>();
  return {
    snapshotBeforeChange(user) {
      let outcome = taken.get(user);
      if (!outcome) {
        const earlier = journal.listChanges({ jobId, user, limit: 50 }).find((c) => isBackupRef(c.backup));
        outcome = earlier ? Promise.resolve({ ref: earlier.backup as BackupRef }) : guard.snapshotBeforeChange(user);
        // A refused snapshot (policy "required") is tried again for the account's next change.
        outcome.catch(() => taken.delete(user));
        taken.set(user, outcome);
      }
      return outcome;
    },
  };
}
