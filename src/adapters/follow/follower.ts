/**
 * Follow Exim's main log while the daemon runs: each time the file changes (a file-system watch on
 * its folder, and a poll as a fallback), read what was appended since the saved cursor with the one
 * Exim reader (src/adapters/exim: rotation, copy-and-truncate and gzip aware, arrivals joined to
 * failures) and hand every failure to the sink.
 *
 * Exactly once: the sink keeps what a read gave it in memory and writes it in `commit()`, which runs
 * inside the same SQLite transaction that saves the cursor. A daemon stopped at any moment either
 * saved both (the next read starts after those lines) or neither (the next read reads them again,
 * and the sink never counted them). A read that fails is `discard()`ed whole.
 *
 * The first read of a log with no saved cursor starts at the follower's start time: a new install
 * reacts to what happens from now on (the admin's Rejections page covers the past).
 */
import { stat, watch as watchFolder } from 'fs/promises';
import { basename, dirname, resolve } from 'path';
import type { LogCursor, LogCursorStore } from '../exim/cursor';
import type { EximFailure } from '../exim/joiner';
import { readEximFailures, type ReadEximOptions, type ReadEximResult } from '../exim/reader';

export interface FollowSink {
  /** A failure or deferral, during a read (synchronous: gather, do not act yet). */
  failure(failure: EximFailure): void;
  /** Persist what was gathered; runs inside the transaction that saves the cursor. */
  commit(): void;
  /** The read failed: forget what was gathered (it will be read again). */
  discard(): void;
  /** After the transaction: act on what was committed (never throws into the follower). */
  committed(): void;
}

export interface FollowerOptions {
  log: string;
  /** The journal's cursor store, and its transaction. */
  cursors: LogCursorStore;
  transaction<T>(fn: () => T): T;
  sink: FollowSink;
  /** Default `follow:<absolute log path>` (the `bounces` command keeps its own `exim:` cursor). */
  cursorKey?: string;
  pollMs?: number;
  /** Watch the log's folder for changes (default true; the poll still runs). */
  watch?: boolean;
  now?: () => number;
  onError?: (err: unknown) => void;
  /** The reader (tests wrap it to stage faults). */
  readFailures?: (options: ReadEximOptions) => Promise<ReadEximResult>;
}

export interface FollowStatus {
  log: string;
  running: boolean;
  /** Bytes of the log not read yet at the last look. */
  lagBytes: number;
  /** Seconds since the follower was last caught up (0 when it is). */
  lagSeconds: number;
  lastReadAt: number | null;
  reads: number;
  bytesRead: number;
  lines: number;
  failures: number;
  /** The last problem (a missing log, a rotation whose old content was lost), if any. */
  lastError: string | null;
  warnings: string[];
}

export interface Follower {
  start(): void;
  /** One look now (tests, and the first look at start); resolves when it is done. */
  poll(): Promise<void>;
  status(): FollowStatus;
  stop(): Promise<void>;
}

const WATCH_DEBOUNCE_MS = 20;

export function createFollower(options: FollowerOptions): Follower {
  const log = resolve(options.log);
  const key = options.cursorKey ?? `follow:${log}`;
  const now = options.now ?? Date.now;
  const read = options.readFailures ?? readEximFailures;
  const pollMs = options.pollMs ?? 1000;
  const startedAt = new Date(now());
  const status: FollowStatus = {
    log,
    running: false,
    lagBytes: 0,
    lagSeconds: 0,
    lastReadAt: null,
    reads: 0,
    bytesRead: 0,
    lines: 0,
    failures: 0,
    lastError: null,
    warnings: [],
  };
  let caughtUpAt = now();
  /** (inode, size, mtime) after the last complete read: the same again means nothing to read. */
  let seen = '';
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let debounce: NodeJS.Timeout | null = null;
  const watcher = new AbortController();

  const cursorStore: LogCursorStore = {
    get: (k) => options.cursors.get(k),
    set: (k, cursor: LogCursor) =>
      options.transaction(() => {
        options.sink.commit();
        options.cursors.set(k, cursor);
      }),
  };

  async function look(): Promise<void> {
    let st;
    try {
      st = await stat(log, { bigint: true });
    } catch (err) {
      status.lastError = `Cannot read ${log}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      return;
    }
    const signature = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (signature === seen) return;
    const first = options.cursors.get(key) === undefined;
    let result: ReadEximResult;
    let failures = 0;
    try {
      result = await read({
        log,
        cursorStore,
        cursorKey: key,
        includeRotated: !first,
        ...(first ? { since: startedAt } : {}),
        onFailure: (f) => {
          failures++;
          options.sink.failure(f);
        },
      });
    } catch (err) {
      options.sink.discard();
      status.lastError = (err as Error).message;
      options.onError?.(err);
      return;
    }
    status.reads++;
    status.lastReadAt = now();
    status.lines += result.lines;
    status.failures += failures;
    status.bytesRead += result.files.reduce((sum, f) => sum + f.bytesRead, 0);
    status.lastError = null;
    if (result.warnings.length > 0) status.warnings = [...result.warnings, ...status.warnings].slice(0, 10);
    try {
      options.sink.committed();
    } catch (err) {
      options.onError?.(err);
    }
    await measureLag();
  }

  async function measureLag(): Promise<void> {
    const cursor = options.cursors.get(key);
    try {
      const st = await stat(log, { bigint: true });
      const size = Number(st.size);
      status.lagBytes = String(st.ino) === cursor?.ino ? Math.max(0, size - cursor.offset) : size;
      if (status.lagBytes === 0) {
        caughtUpAt = now();
        seen = `${st.ino}:${st.size}:${st.mtimeMs}`;
      }
    } catch {
      // The log vanished between the read and now (a rotation): the next look sorts it out.
    }
  }

  function poll(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await look();
      } while (again && status.running);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function watchLoop(): Promise<void> {
    const name = basename(log);
    try {
      for await (const event of watchFolder(dirname(log), { signal: watcher.signal, persistent: false })) {
        if (event.filename !== name && event.filename !== null) continue;
        if (debounce) continue;
        debounce = setTimeout(() => {
          debounce = null;
          void poll();
        }, WATCH_DEBOUNCE_MS);
      }
    } catch (err) {
      // Aborted at stop, or no inotify (limits, some containers): the poll alone keeps going.
      if ((err as Error).name !== 'AbortError') options.onError?.(err);
    }
  }

  return {
    start() {
      if (status.running) return;
      status.running = true;
      if (options.watch !== false) void watchLoop();
      const tick = () => {
        void poll().finally(() => {
          if (status.running) timer = setTimeout(tick, pollMs);
        });
      };
      tick();
    },
    poll,
    status() {
      return { ...status, lagSeconds: status.lagBytes === 0 ? 0 : Math.max(0, (now() - caughtUpAt) / 1000) };
    },
    async stop() {
      status.running = false;
      watcher.abort();
      if (timer) clearTimeout(timer);
      if (debounce) clearTimeout(debounce);
      await running;
    },
  };
}
