/**
 * The backup policy of config `backup.policy` (config.ts): what a repair does when the JetBackup
 * snapshot before a change cannot be taken. The support article asks for a JetBackup backup of the
 * DNS before any change (seed/000_…txt, "Before making changes to your DNS"); the journal row of the
 * removed records is kept in every case (docs/design.md "Writing DNS safely"), so:
 * - required:    no snapshot, no change — any failure throws BACKUP_FAILED;
 * - best-effort: a failure becomes a warning and the change goes on with the journal only;
 * - off:         JetBackup is not called.
 */
import { FixEmailAuthError } from '../../errors';
import type { Backup, BackupRef } from '../../ports';
import { isJetBackupError, JetBackupError } from './jetbackup-error';

export type BackupPolicy = 'required' | 'best-effort' | 'off';

export interface SnapshotOutcome {
  ref: BackupRef | null;
  /** Why there is no snapshot, for the user and the journal (best-effort only). */
  warning?: string;
  /** off: the policy says not to; unavailable: JetBackup is missing or not configured. */
  skipped?: 'off' | 'unavailable';
}

export interface BackupGuard {
  snapshotBeforeChange(user: string): Promise<SnapshotOutcome>;
}

function reasonText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** JetBackup cannot be used at all here (as opposed to: a backup was tried and failed). */
function isUnavailable(err: unknown): boolean {
  return isJetBackupError(err, 'not-installed') || isJetBackupError(err, 'not-runnable');
}

export function withBackupPolicy(backup: Backup | null, policy: BackupPolicy): BackupGuard {
  return {
    async snapshotBeforeChange(user: string): Promise<SnapshotOutcome> {
      if (policy === 'off') return { ref: null, skipped: 'off' };
      if (backup === null) {
        const reason = 'JetBackup is not available on this server';
        if (policy === 'required') {
          throw new FixEmailAuthError('BACKUP_FAILED', `${reason}, and the backup policy is "required"; the change was not made`, {
            step: 'backup',
          });
        }
        return { ref: null, skipped: 'unavailable', warning: `${reason}; going on without a JetBackup snapshot (policy best-effort)` };
      }
      try {
        return { ref: await backup.snapshot(user) };
      } catch (err) {
        if (policy === 'required') {
          const message = `${reasonText(err)}; the change was not made (backup policy "required")`;
          const options = { step: 'backup' as const, upstream: err instanceof FixEmailAuthError ? err.upstream : undefined, cause: err };
          throw isJetBackupError(err)
            ? new JetBackupError(err.reason, message, options)
            : new FixEmailAuthError('BACKUP_FAILED', message, options);
        }
        return {
          ref: null,
          warning: `${reasonText(err)}; going on without a JetBackup snapshot (policy best-effort)`,
          ...(isUnavailable(err) ? { skipped: 'unavailable' as const } : {}),
        };
      }
    },
  };
}
