/**
 * Read the failures (`**`) and deferrals (`==`) of an Exim main log and its rotations, each joined to
 * its message's sender and authenticated user. Streams in large chunks; never loads a file whole.
 *
 * With a cursor store the read is incremental: only bytes after the last complete line seen before
 * are read, and a rotation in between is followed (the rest of the old file, found among the
 * rotations by its head hash, then the newer files). Without one, every file is read (rotations
 * whose modification time is more than a day before `since` are skipped: they cannot hold newer lines;
 * the day of slack covers a server whose clock zone differs from ours).
 */
import { stat } from 'fs/promises';
import { resolve } from 'path';
import { FixEmailAuthError } from '../../errors';
import { ArrivalTexts } from './arrivalTexts';
import { isGzipPath, openByteSource } from './byteSource';
import { HEAD_BYTES, LogCursor, LogCursorStore, hashHead } from './cursor';
import { DEFAULT_JOINER_LIMITS, EximFailure, FailureJoiner, JoinerLimits } from './joiner';
import { forEachLine } from './lineLoop';
import { LineScanner } from './lineScanner';
import { LogFileInfo, listRotations } from './rotation';

export interface ReadEximOptions {
  /** The main log (e.g. /var/log/exim_mainlog). A `.gz` path is read alone, without cursor. */
  log: string;
  /** Also read `<log>-YYYYMMDD[.gz]` / `<log>.N[.gz]`, oldest first. Default true. */
  includeRotated?: boolean;
  /** Keep failures logged at or after this instant. */
  since?: Date;
  /** Keep only failures whose remote host (H=) name or IP is this relay. */
  relayHost?: string;
  /** Remember where reading stopped; the next read starts there. */
  cursorStore?: LogCursorStore;
  /** Key in the store; default `exim:<absolute log path>`. */
  cursorKey?: string;
  limits?: Partial<JoinerLimits>;
  maxLineBytes?: number;
  /** Receive failures as they are found instead of in `failures` (for very large results). */
  onFailure?: (failure: EximFailure) => void;
}

export interface FileRead {
  path: string;
  /** Offset (in the inflated content) where reading started and where it stopped. */
  from: number;
  to: number;
  bytesRead: number;
}

export interface ReadEximResult {
  /** Empty when `onFailure` was given. */
  failures: EximFailure[];
  files: FileRead[];
  lines: number;
  skippedLongLines: number;
  evictedArrivals: number;
  /** Problems that did not stop the read (an unreadable rotated file, a lost rotation). */
  warnings: string[];
}

/** Most open arrivals persisted with a cursor (memory and file size stay small). */
const MAX_PERSISTED_ARRIVALS = 20_000;
const DAY_MS = 86_400_000;

interface PlannedRead {
  file: LogFileInfo;
  from: number;
  /** The live log: leave an unfinished last line for the next read. */
  live: boolean;
}

async function statMain(path: string) {
  try {
    const st = await stat(path, { bigint: true });
    if (!st.isFile()) throw new FixEmailAuthError('BAD_INPUT', `Mail log ${path} is not a regular file`, { step: 'read' });
    return st;
  } catch (err) {
    if (err instanceof FixEmailAuthError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new FixEmailAuthError(
      'BAD_INPUT',
      `Cannot read mail log ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      { step: 'read', cause: err },
    );
  }
}

async function headMatches(path: string, cursor: LogCursor): Promise<boolean> {
  try {
    return (await hashHead(path, cursor.headLength)) === cursor.headHash;
  } catch {
    return false;
  }
}

/** Which files to read, from where, given the cursor (if any). */
async function plan(
  opts: ReadEximOptions,
  main: LogFileInfo,
  mainSt: { dev: bigint; ino: bigint; size: bigint },
  cursor: LogCursor | undefined,
  warnings: string[],
): Promise<PlannedRead[]> {
  const incremental = cursor !== undefined;
  // Listing the folder costs a readdir and a stat per file: a follower looking every second at an
  // unrotated log must not pay it, so it is done only when the rotations are needed.
  const listed = () => (opts.includeRotated === false || main.gz ? Promise.resolve([]) : listRotations(main.path));
  if (!incremental) {
    const rotations = await listed();
    const cutoff = opts.since ? opts.since.getTime() - DAY_MS : -Infinity;
    return [
      ...rotations.filter((r) => r.mtimeMs >= cutoff).map((file) => ({ file, from: 0, live: false })),
      { file: main, from: 0, live: opts.cursorStore !== undefined },
    ];
  }
  const sameFile =
    String(mainSt.dev) === cursor.dev &&
    String(mainSt.ino) === cursor.ino &&
    Number(mainSt.size) >= cursor.offset &&
    (await headMatches(main.path, cursor));
  if (sameFile) return [{ file: main, from: cursor.offset, live: true }];
  const rotations = await listed();
  // Rotated, copied-and-truncated or replaced since the last read: finish the old content first.
  for (let i = rotations.length - 1; i >= 0; i--) {
    const r = rotations[i];
    if (r && (await headMatches(r.path, cursor))) {
      return [
        { file: r, from: cursor.offset, live: false },
        ...rotations.slice(i + 1).map((file) => ({ file, from: 0, live: false })),
        { file: main, from: 0, live: true },
      ];
    }
  }
  if (cursor.offset > 0)
    warnings.push(
      `${main.path} was rotated or truncated and its previous content was not found among the rotations; reading it from the start`,
    );
  return [{ file: main, from: 0, live: true }];
}

export async function readEximFailures(opts: ReadEximOptions): Promise<ReadEximResult> {
  const mainPath = resolve(opts.log);
  const mainSt = await statMain(mainPath);
  const main: LogFileInfo = { path: mainPath, gz: isGzipPath(mainPath), mtimeMs: Number(mainSt.mtimeMs) };
  const store = main.gz ? undefined : opts.cursorStore;
  const key = opts.cursorKey ?? `exim:${mainPath}`;
  const cursor = store?.get(key);
  const warnings: string[] = [];

  const failures: EximFailure[] = [];
  const emit = opts.onFailure ?? ((f: EximFailure) => void failures.push(f));
  const texts = new ArrivalTexts();
  const joiner = new FailureJoiner(emit, texts.read, { ...DEFAULT_JOINER_LIMITS, ...opts.limits });
  if (cursor?.open) joiner.restoreArrivals(cursor.open);
  const scanner = new LineScanner(joiner, { since: opts.since, relayHost: opts.relayHost });

  const files: FileRead[] = [];
  let skippedLongLines = 0;
  let mainConsumed = 0;
  try {
    for (const step of await plan(opts, main, mainSt, cursor, warnings)) {
      const path = step.file.path;
      let source;
      try {
        source = await openByteSource(path, step.from);
      } catch (err) {
        if (path === mainPath) throw err;
        warnings.push(`skipped ${path}: ${(err as Error).message}`);
        continue;
      }
      scanner.startFile({ index: texts.add(path, !step.file.gz), path, start: step.from, keepArrivalText: step.file.gz });
      try {
        const r = await forEachLine(source, scanner.onLine, { processTrailingPartial: !step.live, maxLineBytes: opts.maxLineBytes });
        files.push({ path, from: step.from, to: step.from + r.consumed, bytesRead: r.bytesRead });
        skippedLongLines += r.skippedLongLines;
        if (path === mainPath) mainConsumed = step.from + r.consumed;
      } catch (err) {
        if (path === mainPath) throw err;
        warnings.push(`stopped reading ${path}: ${(err as Error).message}`);
      } finally {
        await source.close();
      }
      // An arrival is never logged in a later file than its message's failures.
      joiner.finish();
    }
    if (store) await saveCursor(store, key, mainPath, mainSt, mainConsumed, joiner);
  } finally {
    texts.close();
  }

  return { failures, files, lines: scanner.stats.lines, skippedLongLines, evictedArrivals: joiner.evictedArrivals, warnings };
}

async function saveCursor(
  store: LogCursorStore,
  key: string,
  mainPath: string,
  mainSt: { dev: bigint; ino: bigint },
  consumed: number,
  joiner: FailureJoiner,
): Promise<void> {
  const after = await statMain(mainPath);
  const headLength = Math.min(HEAD_BYTES, consumed);
  store.set(key, {
    dev: String(mainSt.dev),
    ino: String(mainSt.ino),
    size: Math.max(Number(after.size), consumed),
    offset: consumed,
    headHash: (await hashHead(mainPath, headLength)) ?? '',
    headLength,
    open: joiner.openArrivals(MAX_PERSISTED_ARRIVALS),
    updatedAt: new Date().toISOString(),
  });
}
