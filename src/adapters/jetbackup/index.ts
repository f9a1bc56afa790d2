/** JetBackup 5 adapter: the `Backup` port, the backup policy, and their building blocks. */
import type { Config } from '../../config';
import type { Clock } from '../../ports';
import type { ExecFn } from './exec';
import { JetBackupBackup } from './jetbackup-backup';
import type { JetBackupLogger } from './logger';
import { withBackupPolicy, type BackupGuard } from './policy';

export { JetBackupBackup, type JetBackupBackupOptions } from './jetbackup-backup';
export { JetBackupCli, type JetBackupCliOptions, type CallResult } from './cli-client';
export { withBackupPolicy, type BackupGuard, type BackupPolicy, type SnapshotOutcome } from './policy';
export { JetBackupError, isJetBackupError, type JetBackupFailureReason } from './jetbackup-error';
export {
  encodeQuery,
  encodeQueryComponent,
  booleanStyleFor,
  BOOLEAN_STYLE_BY_FUNCTION,
  type BooleanStyle,
  type QueryParams,
  type QueryValue,
} from './query-string';
export { parseEnvelope, type JetBackupEnvelope } from './envelope';
export { judgeQueueGroup, describeStatus, STATUS_COMPLETED, type QueueVerdict } from './queue-status';
export { CONTAINS, CONTAINS_ALL, containsDnsZones } from './contains';
export { parseJetBackupTime } from './jetbackup-time';
export { execFileRunner, ExecFailure, type ExecFn, type ExecRequest, type ExecResult } from './exec';
export { silentLogger, type JetBackupLogger } from './logger';

export interface JetBackupDeps {
  exec?: ExecFn;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  logger?: JetBackupLogger;
}

/** The adapter from config `backup`; null when the policy is off (JetBackup is then never run). */
export function createJetBackupBackup(config: Pick<Config, 'backup'>, deps: JetBackupDeps = {}): JetBackupBackup | null {
  if (config.backup.policy === 'off') return null;
  return new JetBackupBackup({
    apiPath: config.backup.jetbackupApi,
    timeoutSeconds: config.backup.timeoutSeconds,
    pollIntervalMs: config.backup.pollIntervalMs,
    ...deps,
  });
}

/** What a repair use case needs: the policy applied to the configured adapter. */
export function createBackupGuard(config: Pick<Config, 'backup'>, deps: JetBackupDeps = {}): BackupGuard {
  return withBackupPolicy(createJetBackupBackup(config, deps), config.backup.policy);
}
