/**
 * The change journal and the audit log as the use cases see them: row types and interfaces,
 * implemented on SQLite by src/adapters/store/. A change is the unit of undo: the exact records a
 * repair took out and put in, the plan sent, and where it stands (the states are drawn in
 * src/adapters/store/change-status.ts).
 */
import type { MassEditAdd, MassEditParams, ZoneRecord } from '../zone/model';
import type { BackupRef } from './index';

export type ChangeKind = 'repair' | 'rollback';

/** A backup taken before the change, or why there is none (policy `best-effort` or `off`). */
export type ChangeBackup = BackupRef | { skipped: true; warning: string };

export type ChangeError = ErrorInfo;

export interface Change {
  id: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  actor: Actor;
  /** The mail domain the change is for (normalized: lower case, no final dot). */
  domain: string;
  /** The zone that was edited (a sub-domain lives in its parent's zone). */
  zone: string;
  /** cPanel account that owns the zone. */
  user: string;
  kind: ChangeKind;
  /** For a rollback: the change it undoes. */
  rollbackOf?: number;
  status: ChangeStatus;
  /** SOA serial read before planning, sent with mass_edit_zone. */
  serialBefore: string;
  /** Serial cPanel returned after the edit; set from `applied` on. */
  serialAfter?: string;
  /** The exact records taken out or replaced (by `remove` or `edit`), byte for byte. */
  removed: ZoneRecord[];
  /** The records put in, and where they landed once known. */
  added: AddedRecord[];
  /** mass_edit_zone's parameters exactly as sent (or about to be sent). */
  plan: MassEditParams;
  backup?: ChangeBackup;
  /** The propagation report of the verify step. */
  verification?: unknown;
  error?: ChangeError;
  jobId?: number;
}

export interface NewChange {
  actor: Actor;
  domain: string;
  zone: string;
  user: string;
  kind?: ChangeKind;
  rollbackOf?: number;
  serialBefore: string;
  removed: readonly ZoneRecord[];
  added: readonly AddedRecord[];
  plan: MassEditParams;
  backup?: ChangeBackup;
  jobId?: number;
}

/** What a transition may record besides the new status. */
export interface ChangePatch {
  serialAfter?: string;
  /** The added records again, now with the `lineIndex` a re-read showed. */
  added?: readonly AddedRecord[];
  backup?: ChangeBackup;
  verification?: unknown;
  error?: ChangeError;
  /** Only with a transition to `planned` (cPanel answered Stale): the fresh snapshot and plan. */
  replan?: { serialBefore: string; removed: readonly ZoneRecord[]; added: readonly AddedRecord[]; plan: MassEditParams };
}

export interface TransitionOptions {
  /** Who moves the change; defaults to the change's own actor. */
  by?: Actor;
  /** Extra facts for the audit row. */
  detail?: Record<string, unknown>;
}

export interface ChangeFilter {
  /** One domain, or any of several. */
  domain?: string | readonly string[];
  zone?: string;
  user?: string;
  status?: ChangeStatus | readonly ChangeStatus[];
  kind?: ChangeKind;
  rollbackOf?: number;
  jobId?: number;
  /** Only changes with an id below this one (paging newest first). */
  before?: number;
  limit?: number;
}

export interface ChangeJournal {
  /** Record a new change in status `planned` (plus its audit row). */
  createChange(input: NewChange): Change;
  getChange(id: number): Change | undefined;
  /** Newest first. */
  listChanges(filter?: ChangeFilter): Change[];
  /** Changes left in `applying` (a crash between intent and outcome), oldest first, for start-up reconciliation. */
  findApplying(): Change[];
  /**
   * Compare-and-set: move change `id` from `from` to `to` and apply `patch`, only if its status is
   * still `from`. Returns false when it is not (another process moved it first). Throws CONFLICT for
   * a move the status graph forbids, NOT_FOUND for an unknown id, BAD_INPUT for a patch that does not
   * fit the move (e.g. `failed` without `error`, `applied` without `serialAfter`).
   */
  transition(id: number, from: ChangeStatus, to: ChangeStatus, patch?: ChangePatch, options?: TransitionOptions): boolean;
  /** Move from whatever the current status is; throws CONFLICT when the graph forbids it. Returns the updated change. */
  advance(id: number, to: ChangeStatus, patch?: ChangePatch, options?: TransitionOptions): Change;
  /**
   * Where the added records landed, learned by re-reading the zone after the edit, without a status
   * change. Only `lineIndex` may differ from the records already stored (BAD_INPUT otherwise), and
   * only once the edit reached the zone (CONFLICT before `applied`).
   */
  recordAdded(id: number, added: readonly AddedRecord[], options?: TransitionOptions): Change;
  /**
   * A propagation report that does not change the status (e.g. still pending on one nameserver, or a
   * later re-check of a verified change). Only once the edit reached the zone (CONFLICT before).
   */
  recordVerification(id: number, verification: unknown, options?: TransitionOptions): Change;
}

/**
 * Who did something. `system` is the daemon acting on its own (start-up reconciliation, resuming
 * a job after a restart), so the audit log never attributes that work to a person.
 */
export type ActorKind = 'user' | 'admin' | 'cli' | 'hook' | 'job' | 'system';

export interface Actor {
  kind: ActorKind;
  /** cPanel user, WHM user, shell user, hook name, `job:<id>` … */
  name: string;
}

/** ISO-8601 UTC time as produced by `Date.prototype.toISOString` (sorts as text). */
export type IsoTime = string;

/** An error as stored with a change or a job: the shape of `FixEmailAuthError.toJSON()`. */
export interface ErrorInfo {
  code: string;
  step: string;
  message: string;
}

export type ChangeStatus = 'planned' | 'backed_up' | 'applying' | 'applied' | 'verified' | 'failed' | 'rolled_back';

/** A record we put into the zone: what we sent, and the line it landed on once a re-read told us. */
export interface AddedRecord extends MassEditAdd {
  /** `line_index` after the edit (for an `edit`, the line it replaced), when known. */
  lineIndex?: number;
}

export interface AuditInput {
  actor: Actor;
  /** Dotted verb, e.g. `change.applied`, `job.cancelled`, `scan.started`. */
  action: string;
  domain?: string;
  zone?: string;
  changeId?: number;
  jobId?: number;
  detail?: unknown;
}

export interface AuditEntry {
  id: number;
  at: IsoTime;
  actor: Actor;
  action: string;
  domain?: string;
  zone?: string;
  changeId?: number;
  jobId?: number;
  detail: unknown;
}

export interface AuditFilter {
  domain?: string;
  zone?: string;
  changeId?: number;
  jobId?: number;
  action?: string;
  actorName?: string;
  /** Only entries with an id below this one (paging newest first). */
  before?: number;
  limit?: number;
}

export interface AuditLog {
  appendAudit(entry: AuditInput): AuditEntry;
  /** Newest first. */
  listAudit(filter?: AuditFilter): AuditEntry[];
}
