/**
 * Where the Exim log reader stopped, so a repeated look at a 2 GB log reads only what was appended.
 *
 * `LogCursor` and `LogCursorStore` are declared here structurally the same as the Exim adapter's
 * (`src/adapters/exim/`), which did not exist when this was written; TypeScript matches them by
 * shape, so this store can be passed wherever theirs is expected.
 */
import { withRelaxedDurability, type Db } from './db';

export interface LogCursor {
  /** `stat.dev` and `stat.ino`: the file's identity, to notice a rotation. */
  dev: number;
  ino: number;
  /** File size when the cursor was taken (a smaller size now means truncation). */
  size: number;
  /** Byte offset just after the last complete line read. */
  offset: number;
  /** Hash of the file's first bytes: a rotated file reusing the inode still differs here. */
  headHash: string;
  updatedAt: string;
}

export interface LogCursorStore {
  get(key: string): LogCursor | undefined;
  set(key: string, cursor: LogCursor): void;
}

interface CursorRow {
  dev: string;
  ino: string;
  size: number;
  offset: number;
  head_hash: string;
  updated_at: string;
}

/** dev and ino go through text: device and inode numbers can exceed 2^53, and Number(String(n)) === n for any number. */
export function createLogCursorStore(db: Db): LogCursorStore {
  const select = db.prepare('SELECT dev, ino, size, offset, head_hash, updated_at FROM log_cursors WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO log_cursors (key, dev, ino, size, offset, head_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, size = excluded.size, offset = excluded.offset,
       head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
  );
  return {
    get(key) {
      const row = select.get(key) as CursorRow | undefined;
      if (!row) return undefined;
      return { dev: Number(row.dev), ino: Number(row.ino), size: row.size, offset: row.offset, headHash: row.head_hash, updatedAt: row.updated_at };
    },
    set(key, cursor) {
      // A cursor is a cache (losing it means reading the log again), so no fsync per write.
      withRelaxedDurability(db, () => upsert.run(key, String(cursor.dev), String(cursor.ino), cursor.size, cursor.offset, cursor.headHash, cursor.updatedAt));
    },
  };
}
