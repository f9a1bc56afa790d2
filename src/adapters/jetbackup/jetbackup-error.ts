/**
 * Every failure of the JetBackup adapter is a BACKUP_FAILED (the `Backup` port's contract, ports.ts),
 * with a `reason` so callers and tests can tell the cases apart without parsing messages.
 */
import { FixEmailAuthError, type Step } from '../../errors';

export type JetBackupFailureReason =
  /** `jetbackup5api` is not at the configured path (JetBackup not installed). */
  | 'not-installed'
  /** The binary exists but could not be run (permissions: it must run as root, §1.3). */
  | 'not-runnable'
  /** One call did not answer within the per-call timeout. */
  | 'call-timeout'
  /** The output was not one JSON envelope. */
  | 'bad-output'
  /** The envelope said `success: 0`. */
  | 'api-error'
  | 'account-unknown'
  | 'no-on-demand-job'
  /** The Backup-on-Demand job does not back up DNS zones (bit 32), so there is nothing to restore. */
  | 'no-dns-in-job'
  /** The queued backup never showed up in JetBackup's queue. */
  | 'queue-group-not-found'
  /** Ended with a status other than 100 (the safe rule, §1.9). */
  | 'finished-not-clean'
  /** Still running when our deadline passed. */
  | 'timeout'
  | 'snapshot-not-found'
  /** The snapshot has no item with the DNS bit. */
  | 'no-dns-item'
  /** The item to restore does not belong to the account of the reference. */
  | 'not-owned';

export class JetBackupError extends FixEmailAuthError {
  readonly reason: JetBackupFailureReason;

  constructor(reason: JetBackupFailureReason, message: string, options: { step?: Step; upstream?: unknown; cause?: unknown } = {}) {
    super('BACKUP_FAILED', message, { step: options.step ?? 'backup', upstream: options.upstream, cause: options.cause });
    this.name = 'JetBackupError';
    this.reason = reason;
  }
}

export function isJetBackupError(err: unknown, reason?: JetBackupFailureReason): err is JetBackupError {
  return err instanceof JetBackupError && (reason === undefined || err.reason === reason);
}
