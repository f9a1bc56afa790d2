/**
 * Where an incremental read of a log stopped, so the next look costs only the new part.
 *
 * A path is not an identity: logrotate renames the file (same inode, new name) or copies and
 * truncates it (`copytruncate`: same inode, new content), and a restore can replace it. So a cursor
 * remembers the file's device+inode, its size, and a hash of its first bytes; on the next read the
 * live file is trusted only if all agree, else the old content is looked for among the rotations.
 */
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import { z } from 'zod';
import { FixEmailAuthError } from '../../errors';
import { openByteSource } from './byteSource';

export interface LogCursor {
  /** Device and inode of the file read (strings: inode numbers can exceed 2^53). */
  dev: string;
  ino: string;
  /** File size when it was read. */
  size: number;
  /** Byte offset reached: the end of the last complete line handled. */
  offset: number;
  /** sha256 (hex) of the file's first `headLength` bytes. */
  headHash: string;
  headLength: number;
  /** Arrivals of messages not yet `Completed` (id, text after `<= `), so a later failure still finds its sender. */
  open?: Array<[string, string]>;
  updatedAt?: string;
}

/** Persistence of cursors (in-memory, JSON file, or the store helper's SQLite). */
export interface LogCursorStore {
  get(key: string): LogCursor | undefined;
  set(key: string, cursor: LogCursor): void;
}

/** How many leading bytes identify a log file: a few lines of timestamps and message ids. */
export const HEAD_BYTES = 4096;

/** Hash of the first `length` bytes of a file's (inflated) content; null when shorter than that. */
export async function hashHead(path: string, length: number): Promise<string | null> {
  const source = await openByteSource(path, 0);
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = await source.read(buf, got, length - got);
      if (n === 0) break;
      got += n;
    }
    if (got < length) return null;
    return createHash('sha256').update(buf).digest('hex');
  } finally {
    await source.close();
  }
}

export class MemoryCursorStore implements LogCursorStore {
  private readonly cursors = new Map<string, LogCursor>();

  get(key: string): LogCursor | undefined {
    const c = this.cursors.get(key);
    return c === undefined ? undefined : structuredClone(c);
  }

  set(key: string, cursor: LogCursor): void {
    this.cursors.set(key, structuredClone(cursor));
  }
}

const cursorSchema = z.object({
  dev: z.string(),
  ino: z.string(),
  size: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  headHash: z.string(),
  headLength: z.number().int().nonnegative(),
  open: z.array(z.tuple([z.string(), z.string()])).optional(),
  updatedAt: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), cursors: z.record(z.string(), z.unknown()) });

/**
 * Cursors in one JSON file (mode 0600: it holds senders' addresses), written atomically (temp file +
 * rename) so a crash never leaves half a file. A missing file is an empty store; an unreadable or
 * corrupt one is an error, because silently starting over would re-report old bounces as new.
 */
export class JsonFileCursorStore implements LogCursorStore {
  private cursors: Map<string, LogCursor> | null = null;

  constructor(readonly path: string) {}

  get(key: string): LogCursor | undefined {
    const c = this.load().get(key);
    return c === undefined ? undefined : structuredClone(c);
  }

  set(key: string, cursor: LogCursor): void {
    const cursors = this.load();
    cursors.set(key, structuredClone(cursor));
    const body = JSON.stringify({ version: 1, cursors: Object.fromEntries(cursors) });
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      writeFileSync(tmp, body, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (err) {
      throw new FixEmailAuthError('INTERNAL', `Cannot save log cursor file ${this.path}: ${(err as Error).message}`, {
        step: 'read',
        cause: err,
      });
    }
  }

  private load(): Map<string, LogCursor> {
    if (this.cursors) return this.cursors;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.cursors = new Map<string, LogCursor>());
      throw new FixEmailAuthError('BAD_INPUT', `Cannot read log cursor file ${this.path}: ${(err as Error).message}`, {
        step: 'read',
        cause: err,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new FixEmailAuthError('BAD_INPUT', `Log cursor file ${this.path} is not valid JSON; delete it to start over`, { step: 'read' });
    }
    const file = fileSchema.safeParse(parsed);
    if (!file.success)
      throw new FixEmailAuthError('BAD_INPUT', `Log cursor file ${this.path} has an unknown layout; delete it to start over`, {
        step: 'read',
      });
    const cursors = new Map<string, LogCursor>();
    for (const [key, value] of Object.entries(file.data.cursors)) {
      const c = cursorSchema.safeParse(value);
      if (!c.success)
        throw new FixEmailAuthError('BAD_INPUT', `Log cursor "${key}" in ${this.path} is malformed; delete the file to start over`, {
          step: 'read',
        });
      cursors.set(key, c.data);
    }
    return (this.cursors = cursors);
  }
}
