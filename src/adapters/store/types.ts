/**
 * Row types shared by every table of the store. Ids are SQLite integers (`INTEGER PRIMARY KEY
 * AUTOINCREMENT`): short to type in `rollback 42`, ordered by creation (so "newest first" never
 * depends on a clock that can jump), and never reused, so a change id printed in a ticket or an
 * audit row can never come to mean a different change.
 */

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

export const ACTOR_KINDS: readonly ActorKind[] = ['user', 'admin', 'cli', 'hook', 'job', 'system'];

/** ISO-8601 UTC time as produced by `Date.prototype.toISOString` (sorts as text). */
export type IsoTime = string;

/** The actor the store uses for work nobody asked for explicitly. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'fix-email-auth' };

/** An error as stored with a change or a job: the shape of `FixEmailAuthError.toJSON()`. */
export interface ErrorInfo {
  code: string;
  step: string;
  message: string;
}
