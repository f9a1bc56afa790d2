/**
 * `openStore`: the SQLite file (journal, audit log, jobs, scan results, log cursors) behind one
 * object. Use cases should depend on the narrow interfaces (`ChangeJournal`, `JobQueue`, …); the
 * `Store` satisfies all of them.
 */
import { createAuditLog, type AuditLog } from './audit';
import { createChangeJournal, type ChangeJournal } from './changes';
import { createLogCursorStore, type LogCursorStore } from './cursors';
import { openDatabase, type Db } from './db';
import { createFleetOutbox, type FleetOutbox } from './fleet';
import { createJobRecovery, type JobRecovery } from './job-recovery';
import { createJobQueue, type JobQueue } from './jobs';
import { migrate } from './migrations';
import { createMetricsQueries, type MetricsQueries } from './metricsQueries';
import { createNoticeStore, type NoticeStore } from './notices';
import { newRunnerId } from './runner';
import { createSelfHealStore, type SelfHealStore } from './selfheal';
import { createScanResults, type ScanResults } from './scans';
import { createTemplateJournal, type TemplateJournal } from './templateChanges';

export interface StoreOptions {
  /** Time source for every timestamp the store writes (tests pass a fixed clock). */
  clock?: () => Date;
  /** Identity of this process for job ownership (default `pid@host/boot/random`). */
  runnerId?: string;
}

export interface Store extends ChangeJournal, AuditLog, JobQueue, JobRecovery, ScanResults, TemplateJournal {
  /** The fleet outbox and requests (a server enrolled with a fleet controller, usecases/fleet/). */
  readonly fleet: FleetOutbox;
  readonly path: string;
  /** The id under which this process claims jobs. */
  readonly runnerId: string;
  /** The Exim reader's cursors (`LogCursorStore`). */
  readonly logCursors: LogCursorStore;
  /** The self-healing loop's counts, automatic repairs and migrations. */
  readonly selfHeal: SelfHealStore;
  /** Owners' notices, the admin digest's items, opt-outs. */
  readonly notices: NoticeStore;
  /** Aggregates for the daemon's metrics. */
  readonly metrics: MetricsQueries;
  /**
   * Run several store calls as one atomic step (e.g. `createChange` + `setItemChange`, or marking a
   * rollback applied and its original `rolled_back`). Synchronous: no awaiting inside.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * Open (creating when missing) the store at `path`, or a private in-memory one for `':memory:'`.
 * Throws UNSAFE_VALUE for a symlink, a non-file or a file of another owner or program, and INTERNAL
 * for a file written by a newer release (see migrations.ts).
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const db: Db = openDatabase(path);
  try {
    migrate(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  const clock = options.clock ?? (() => new Date());
  const runnerId = options.runnerId ?? newRunnerId();
  const audit = createAuditLog(db, clock);
  const store: Store = {
    path,
    runnerId,
    ...createChangeJournal(db, clock, audit),
    ...audit,
    ...createJobQueue(db, clock, audit, runnerId),
    ...createJobRecovery(db, clock, audit, runnerId),
    ...createScanResults(db),
    ...createTemplateJournal(db, clock, audit),
    logCursors: createLogCursorStore(db, clock),
    selfHeal: createSelfHealStore(db, clock),
    notices: createNoticeStore(db, clock),
    metrics: createMetricsQueries(db),
    fleet: createFleetOutbox(db),
    transaction: (fn) => db.transaction(fn).immediate(),
    close: () => db.close(),
  };
  return store;
}
