/**
 * What a repair needs from the outside world. Every side effect comes in through here (docs/design.md
 * "Layers"): the composition root builds it from adapters, tests from real servers or fakes.
 */
import type { BackupGuard } from '../../adapters/jetbackup/policy';
import type { PropagationInput, PropagationReport } from '../../adapters/dns/propagation';
import type { AuditLog } from '../../adapters/store/audit';
import type { ChangeJournal } from '../../adapters/store/changes';
import type { Actor } from '../../adapters/store/types';
import type { Config } from '../../config';
import type { Accounts, Backup, Clock, Resolver, ZoneStore } from '../../ports';

export type RepairStep = 'read' | 'diagnose' | 'plan' | 'backup' | 'apply' | 'verify' | 'journal' | 'rollback';
export type StepState = 'start' | 'done' | 'warn' | 'fail' | 'skip';

/** Progress of a repair, for job pages and the CLI. */
export interface StepEvent {
  step: RepairStep;
  state: StepState;
  message: string;
  at: string;
  detail?: Record<string, unknown>;
}

/** The propagation check with the server's DNS settings already bound (nameserver addresses, port…). */
export type Verifier = (input: Omit<PropagationInput, 'now'>) => Promise<PropagationReport>;

export interface RepairContext {
  config: Config;
  /** Zone reads and serial-checked writes (root, or scoped to the acting cPanel user). */
  zones: ZoneStore;
  accounts: Pick<Accounts, 'findDomain' | 'localAuthority'>;
  journal: ChangeJournal & Pick<AuditLog, 'appendAudit'> & { transaction<T>(fn: () => T): T };
  /** JetBackup snapshot under the configured policy. */
  backup: BackupGuard;
  /** The raw JetBackup adapter, for "restore the DNS item" rollbacks; null when not configured. */
  backupRestore?: Pick<Backup, 'restoreDns'> | null;
  verify: Verifier;
  clock: Clock;
  /** For SPF evaluation during diagnosis; none = SPF syntax checks only. */
  resolver?: Resolver;
  /** The server's DKIM public key of a domain, when known (`/var/cpanel/domain_keys/public/<domain>`). */
  dkimPublicKey?: (domain: string) => Promise<string | undefined>;
  /** The account's mailbox logins (UAPI Email::list_pops), read in tenant mode (`lockdown.mode`). */
  mailboxes?: (user: string) => Promise<string[]>;
}

export interface RequestBase {
  actor: Actor;
  /** When set, the request acts for this cPanel user and may only touch that account's zones. */
  asUser?: string;
  onStep?: (event: StepEvent) => void;
  jobId?: number;
  /**
   * Called once the journal row exists, before the zone is touched: a job links its item to the
   * change here, so start-up recovery finds the change of an interrupted item (job-recovery.ts).
   */
  onChangeCreated?: (changeId: number) => void;
}
