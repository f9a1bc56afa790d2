/**
 * Row types shared by every table of the store live in src/ports/journal.ts. Ids are SQLite integers
 * (`INTEGER PRIMARY KEY AUTOINCREMENT`): short to type in `rollback 42`, ordered by creation (so
 * "newest first" never depends on a clock that can jump), and never reused, so a change id printed in
 * a ticket or an audit row can never come to mean a different change.
 */
import type { Actor } from '../../ports';

export type { Actor, ActorKind, ErrorInfo, IsoTime } from '../../ports';

/** The actor the store uses for work nobody asked for explicitly. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'fix-email-auth' };
