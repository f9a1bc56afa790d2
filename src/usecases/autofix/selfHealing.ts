/**
 * The self-healing loop, assembled: rejections from the followed mail log (the sink) → one
 * re-diagnosis per domain, rate-limited (the recheck queue) → repair by policy (heal) → the owner's
 * notice → the admin's digest. The restore and transfer hooks enter at `accountMigrated`, which marks
 * the account as recently migrated and runs the same steps for each of its domains.
 *
 * Timers and the follower itself belong to the daemon (src/daemon/selfHeal.ts); everything here is
 * driven by calls, so tests can drive it step by step.
 */
import type { NoticeKind, NoticeStore, ScanResults, SelfHealStore } from '../../adapters/store';
import type { Config } from '../../config';
import type { Accounts } from '../../ports';
import type { RepairContext, VerifyOptions } from '../repair';
import { sendDigest, type Digest } from './digest';
import { healDomain, type HealOutcome, type HealTrigger } from './heal';
import type { PageLinks } from './links';
import { tellOwner, type NoticeMailer } from './notices';
import { createRecheckQueue, type RecheckQueue } from './recheck';
import { createRejectionSink, type RejectionSink } from './sink';

/** What the loop reports to monitoring (src/adapters/metrics implements it). */
export interface SelfHealMetrics {
  rejectionsSeen(byClass: ReadonlyMap<string, number>): void;
  rejectionDelay(seconds: number): void;
  healed(outcome: HealOutcome['kind'], trigger: HealTrigger): void;
  noticed(kind: NoticeKind): void;
}

export interface SelfHealingDeps {
  config: Pick<Config, 'provider' | 'policy' | 'follow' | 'notify'>;
  context: () => RepairContext;
  store: { selfHeal: SelfHealStore; notices: NoticeStore } & Pick<ScanResults, 'upsertScanResult'>;
  accounts: Pick<Accounts, 'domainsOfUser'>;
  mailer: NoticeMailer | null;
  contactOf(user: string): Promise<string[]>;
  links: PageLinks;
  serverName: string;
  metrics?: SelfHealMetrics;
  log?: (entry: Record<string, unknown>) => void;
  verifyOptions?: VerifyOptions;
  now?: () => Date;
}

export interface SelfHealing {
  /** Hand this to the mail-log follower. */
  readonly sink: RejectionSink;
  readonly queue: RecheckQueue;
  /** Look at one domain now (also what the queue runs). */
  check(domain: string, trigger: HealTrigger): Promise<HealOutcome | null>;
  /** Queue the domains whose rejections are not diagnosed yet (after a restart, or left by the rate limit). */
  sweep(): number;
  /** After a restore or transfer: remember it (again), then check each of the account's domains. */
  accountMigrated(user: string, event: string): Promise<HealOutcome[]>;
  digest(): Promise<Digest | null>;
  /** Resolves when no check is queued or running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SWEEP_BATCH = 1000;
const NOTICE_RETENTION_MS = 180 * 86_400_000;
/** Longer than the hour an attempt blocks the next one; long enough for the admin's page. */
const ATTEMPT_RETENTION_MS = 30 * 86_400_000;

export function createSelfHealing(deps: SelfHealingDeps): SelfHealing {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => undefined);
  const { notify, policy, follow } = deps.config;

  const ownerDeps = {
    notices: deps.store.notices,
    mailer: deps.mailer,
    contactOf: (user: string) => deps.contactOf(user),
    links: deps.links,
    provider: deps.config.provider.authId,
    mailOwners: notify.owners,
    dedupeMs: notify.dedupeHours * 3_600_000,
    serverName: deps.serverName,
  };
  const healDeps = {
    context: deps.context,
    store: deps.store.selfHeal,
    policy: policy.autofix,
    migrationWindowMs: policy.migrationWindowHours * 3_600_000,
    ...(deps.verifyOptions ? { verifyOptions: deps.verifyOptions } : {}),
  };

  async function check(domain: string, trigger: HealTrigger): Promise<HealOutcome | null> {
    let outcome: HealOutcome;
    try {
      outcome = await healDomain(healDeps, domain, trigger);
    } catch (err) {
      log({ level: 'error', msg: 'self-heal check failed', domain, trigger, error: (err as Error).message });
      return null;
    }
    deps.metrics?.healed(outcome.kind, trigger);
    if (outcome.kind !== 'not-on-server' && outcome.kind !== 'unreadable') {
      const report = outcome.kind === 'repaired' ? (outcome.result.after ?? outcome.report) : outcome.report;
      deps.store.upsertScanResult({
        domain: outcome.info.domain,
        zone: outcome.info.zone,
        user: outcome.info.user,
        owner: outcome.info.owner,
        status: report.status,
        codes: report.findings.map((f) => f.code),
        report,
        scannedAt: now(),
      });
    }
    const notice = await tellOwner(ownerDeps, outcome);
    if (notice) deps.metrics?.noticed(notice.kind);
    log({ level: outcome.kind === 'repair-failed' ? 'warn' : 'info', msg: 'self-heal', domain, trigger, outcome: outcome.kind });
    return outcome;
  }

  const queue = createRecheckQueue({
    run: async (domain) => void (await check(domain, 'rejection')),
    minIntervalMs: follow.recheckSeconds * 1000,
    now: () => now().getTime(),
    onError: (domain, err) => log({ level: 'error', msg: 'self-heal check failed', domain, error: (err as Error).message }),
  });

  const sink = createRejectionSink({
    record: (batch) => deps.store.selfHeal.recordRejections(batch),
    now: () => now().getTime(),
    committed: (batch) => {
      deps.metrics?.rejectionsSeen(batch.byClass);
      for (const delay of batch.delays) deps.metrics?.rejectionDelay(delay);
      for (const domain of batch.domains) queue.add(domain);
    },
  });

  return {
    sink,
    queue,
    check,
    sweep() {
      let queued = 0;
      for (const domain of deps.store.selfHeal.pendingDomains(SWEEP_BATCH)) if (queue.add(domain)) queued++;
      return queued;
    },
    async accountMigrated(user, event) {
      deps.store.selfHeal.recordMigration(user, event);
      const outcomes: HealOutcome[] = [];
      for (const info of await deps.accounts.domainsOfUser(user)) {
        const outcome = await check(info.domain, 'migration');
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    },
    async digest() {
      const digest = await sendDigest({
        selfHeal: deps.store.selfHeal,
        notices: deps.store.notices,
        mailer: deps.mailer,
        adminTo: notify.admin ? notify.adminTo : null,
        links: deps.links,
        serverName: deps.serverName,
        now,
      });
      // What is in a digest (or dismissed) and old is no longer anyone's news; the journal keeps every change.
      const at = now().getTime();
      deps.store.notices.pruneNotices(new Date(at - NOTICE_RETENTION_MS));
      deps.store.selfHeal.pruneAutofixes(new Date(at - ATTEMPT_RETENTION_MS));
      return digest;
    },
    idle: () => queue.idle(),
    stop: () => queue.stop(),
  };
}
