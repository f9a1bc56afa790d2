/**
 * Opening the SQLite connection with the settings the journal's promises depend on.
 *
 * Durability: the connection runs with `synchronous=FULL`. In WAL mode that costs one fsync of the
 * WAL per commit, and it is what makes the intent row ("applying", written before `mass_edit_zone`)
 * survive a power cut: with NORMAL the last commits may roll back after a power loss, and we would
 * have edited a zone with no journal row holding the records we removed. SQLite refuses to change the
 * level inside a transaction, so instead of raising it for the intent write we keep FULL as the
 * default and lower it only for data that is a cache we can rebuild (scan results, log cursors), via
 * `withRelaxedDurability`. Losing the last of those on a power cut means re-scanning, nothing more.
 */
import Database from 'better-sqlite3';
import { prepareDatabaseFile } from './file-safety';

export type Db = Database.Database;

/** How long a writer waits for another process's write lock before SQLITE_BUSY (ms). */
export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string): Db {
  const inMemory = path === ':memory:';
  if (!inMemory) prepareDatabaseFile(path);
  const db = new Database(path, { fileMustExist: !inMemory });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite could not switch ${path} to WAL (got ${String(mode)})`);
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Run `fn` with `synchronous=NORMAL` (still crash-safe for the application, not for a power cut).
 * Inside an enclosing transaction the level cannot change, so it runs at the caller's level.
 */
export function withRelaxedDurability<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
