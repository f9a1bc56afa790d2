/**
 * SQLite persistence for the Exim log reader's cursors (where it stopped reading which file), so a
 * repeated look at a 2 GB log costs only the new part. The cursor type and the store interface are
 * the Exim adapter's (src/adapters/exim/cursor.ts); we keep each cursor whole as JSON, so fields it
 * adds later (it already carries the open arrivals) survive without a migration.
 */
import type { LogCursor, LogCursorStore } from '../exim/cursor';
import { withRelaxedDurability, type Db } from './db';
import { storeError } from './store-error';

export type { LogCursor, LogCursorStore };

export function createLogCursorStore(db: Db, now: () => Date): LogCursorStore {
  const select = db.prepare('SELECT cursor_json FROM log_cursors WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO log_cursors (key, cursor_json, saved_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET cursor_json = excluded.cursor_json, saved_at = excluded.saved_at`,
  );
  return {
    get(key) {
      const row = select.get(key) as { cursor_json: string } | undefined;
      if (!row) return undefined;
      const cursor = JSON.parse(row.cursor_json) as unknown;
      // Like the adapter's JSON file store: a damaged cursor is an error, not a silent restart that
      // would report old bounces as new.
      if (cursor === null || typeof cursor !== 'object' || typeof (cursor as LogCursor).offset !== 'number') {
        throw storeError('INTERNAL', `Log cursor "${key}" in the journal is malformed`);
      }
      return cursor as LogCursor;
    },
    set(key, cursor) {
      // No fsync per cursor: after a power cut the reader restarts from an older offset and reads a
      // little of the log again, which is all a lost cursor costs.
      withRelaxedDurability(db, () => upsert.run(key, JSON.stringify(cursor), now().toISOString()));
    },
  };
}
