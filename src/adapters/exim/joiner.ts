/**
 * Joins each failure (`**`) and deferral (`==`) of a message to the message's arrival (`<=`), which
 * names the envelope sender and the authenticated user (docs/reference/jetbackup-and-exim.md §2.9), with bounded
 * memory: an arrival is dropped when its `Completed` line passes, and the oldest are evicted when the
 * table is full (a message queued for days must not make a 2 GB log cost 2 GB of RAM).
 *
 * Exim writes `<=` before any delivery line, but a log can start mid-message (rotation, hand-cut
 * excerpts) and some excerpts list the failure first, so a failure whose arrival has not been seen
 * waits (bounded too) for an arrival of the same id, its `Completed`, or the end.
 */
import { ArrivalTable } from './arrivalTable';
import { parseArrival } from './fields';
import { RecentArrivals } from './recentArrivals';

export interface EximFailure {
  messageId: string;
  time: Date;
  /** `failed` = `**` (permanent), `deferred` = `==` (temporary). */
  kind: 'failed' | 'deferred';
  recipient: string;
  originalRecipient: string | null;
  /** Error text after the fields: `SMTP error from remote mail server after …: <reply>`. */
  message: string;
  hostName: string | null;
  hostIp: string | null;
  router: string | null;
  transport: string | null;
  /** Envelope sender from the `<=` line; null when the arrival was not in the logs read. */
  sender: string | null;
  /** `A=` id after the authenticator's colon, else `U=`; null when unknown. */
  authUser: string | null;
  /** Log file the failure was read from. */
  file: string;
}

export interface JoinerLimits {
  /** Most open messages remembered. */
  maxOpenMessages: number;
  /** Most failures waiting for their arrival. */
  maxPendingFailures: number;
}

export const DEFAULT_JOINER_LIMITS: JoinerLimits = { maxOpenMessages: 100_000, maxPendingFailures: 10_000 };

/** Re-reads an arrival's text (after `<= `) from a file that can be read at an offset; null if not. */
export type ArrivalTextReader = (file: number, offset: number) => string | null;

/** Text kept per arrival; the identity fields come long before this. */
export const MAX_ARRIVAL_TEXT = 1024;

interface FastSlices {
  /** Node's Buffer method (lib/buffer.js), not in @types/node; no argument checks. */
  utf8Slice(start: number, end: number): string;
}

/** The chunk the scanner is reading, so an arrival in it is decoded without any I/O. */
export interface CurrentView {
  buffer: Buffer;
  /** Absolute offset (in `file`) of buffer[0]. */
  base: number;
  file: number;
}

/**
 * Arrivals looked at before the table; a message usually completes within this many arrivals. They
 * count toward `maxOpenMessages` (the table gets the rest); tiny limits use the table alone.
 */
const RECENT_ARRIVALS = 64;

/**
 * How many arrival/completion lines a failure waits for its arrival. Exim logs `<=` first; an
 * excerpt may list the failure a line or two before it (same second), never thousands of lines. The
 * bound keeps one orphan failure from slowing every later line of the file.
 */
const PENDING_WINDOW = 2000;

interface Pending {
  /** `lines` when the first failure of this message started waiting. */
  since: number;
  failures: EximFailure[];
}

export class FailureJoiner {
  private readonly table: ArrivalTable;
  private readonly recent: RecentArrivals | null;
  private readonly pending = new Map<string, Pending>();
  private pendingCount = 0;
  /** Arrival and completion lines seen while failures were waiting. */
  private lines = 0;

  constructor(
    private readonly emit: (failure: EximFailure) => void,
    private readonly readText: ArrivalTextReader = () => null,
    private readonly limits: JoinerLimits = DEFAULT_JOINER_LIMITS,
  ) {
    const ring = limits.maxOpenMessages >= RECENT_ARRIVALS * 4 ? RECENT_ARRIVALS : 0;
    this.table = new ArrivalTable(limits.maxOpenMessages - ring);
    this.recent =
      ring === 0 ? null : new RecentArrivals(ring, (ids, s, e, file, offset, text) => this.table.put(ids, s, e, file, offset, text));
  }

  get evictedArrivals(): number {
    return this.table.evicted;
  }

  /**
   * An arrival line: id at `b[idStart, idEnd)`, text after `<= ` at `b[textStart, lineEnd)`, which is
   * at `offset` in file number `file`. `keepText`: the file cannot be re-read at an offset (gzip).
   */
  arrival(
    b: Buffer,
    idStart: number,
    idEnd: number,
    textStart: number,
    lineEnd: number,
    file: number,
    offset: number,
    keepText: boolean,
  ): void {
    const textEnd = Math.min(lineEnd, textStart + MAX_ARRIVAL_TEXT);
    const text = keepText ? (b as unknown as FastSlices).utf8Slice(textStart, textEnd) : undefined;
    if (this.recent) this.recent.push(b, idStart, idEnd, file, offset, text);
    else this.table.put(b, idStart, idEnd, file, offset, text);
    if (this.pendingCount > 0) {
      const waiting = this.takePending(b.toString('latin1', idStart, idEnd));
      if (waiting) {
        const arrivalText = b.toString('utf8', textStart, textEnd);
        for (const f of waiting) this.emit(withIdentity(f, arrivalText));
      }
    }
  }

  completed(b: Buffer, idStart: number, idEnd: number): void {
    if (!this.recent?.complete(b, idStart, idEnd)) this.table.remove(b, idStart, idEnd);
    if (this.pendingCount === 0) return;
    const waiting = this.takePending(b.toString('latin1', idStart, idEnd));
    if (waiting) for (const f of waiting) this.emit(f);
  }

  /** A failure with sender/authUser still null; its id is at `view.buffer[idStart, idEnd)`. */
  failure(f: EximFailure, view: CurrentView, idStart: number, idEnd: number): void {
    const text = this.lookupText(view, idStart, idEnd);
    if (text !== null) {
      this.emit(withIdentity(f, text));
      return;
    }
    const waiting = this.pending.get(f.messageId);
    if (waiting) waiting.failures.push(f);
    else this.pending.set(f.messageId, { since: this.lines, failures: [f] });
    this.pendingCount++;
    while (this.pendingCount > this.limits.maxPendingFailures) this.flushOldestPending();
  }

  /** End of a file: failures whose arrival never showed up are emitted without an identity. */
  finish(): void {
    for (const waiting of this.pending.values()) for (const f of waiting.failures) this.emit(f);
    this.pending.clear();
    this.pendingCount = 0;
  }

  /** Open arrivals as (id, text) pairs, newest last, at most `max` (persisted with a cursor). */
  openArrivals(max: number): Array<[string, string]> {
    this.recent?.spillAll();
    const out: Array<[string, string]> = [];
    for (const a of this.table.newest(max)) {
      const text = a.text ?? this.readText(a.file, a.offset);
      if (text !== null) out.push([a.id, text]);
    }
    return out.reverse();
  }

  restoreArrivals(entries: ReadonlyArray<readonly [string, string]>): void {
    for (const [id, text] of entries) {
      const b = Buffer.from(id, 'latin1');
      this.table.put(b, 0, b.length, -1, 0, text);
    }
  }

  /** Arrival text of the message whose id is `view.buffer[idStart, idEnd)`, or null when unknown. */
  private lookupText(view: CurrentView, idStart: number, idEnd: number): string | null {
    const recent = this.recent;
    const slot = recent ? recent.find(view.buffer, idStart, idEnd) : -1;
    if (recent && slot >= 0) return this.arrivalText(recent.text(slot), recent.file(slot), recent.offset(slot), view);
    const entry = this.table.lookup(view.buffer, idStart, idEnd);
    if (entry >= 0) return this.arrivalText(this.table.text(entry), this.table.file(entry), this.table.offset(entry), view);
    return null;
  }

  private arrivalText(kept: string | undefined, file: number, offset: number, view: CurrentView): string | null {
    if (kept !== undefined) return kept;
    if (file === view.file && offset >= view.base && offset < view.base + view.buffer.length) {
      const start = offset - view.base;
      const limit = Math.min(view.buffer.length, start + MAX_ARRIVAL_TEXT);
      let end = view.buffer.indexOf(0x0a, start);
      if (end < 0 || end > limit) end = limit;
      return view.buffer.toString('utf8', start, end);
    }
    return this.readText(file, offset);
  }

  /** Count a line while failures wait, let the ones past the window go, and take `id`'s. */
  private takePending(id: string): EximFailure[] | undefined {
    this.lines++;
    for (
      let oldest = this.pending.values().next().value;
      oldest !== undefined && this.lines - oldest.since > PENDING_WINDOW;
      oldest = this.pending.values().next().value
    ) {
      this.flushOldestPending();
    }
    const waiting = this.pending.get(id);
    if (!waiting) return undefined;
    this.pending.delete(id);
    this.pendingCount -= waiting.failures.length;
    return waiting.failures;
  }

  private flushOldestPending(): void {
    const first = this.pending.entries().next().value;
    if (first === undefined) return;
    const [id, waiting] = first;
    this.pending.delete(id);
    this.pendingCount -= waiting.failures.length;
    for (const f of waiting.failures) this.emit(f);
  }
}

/** Fill in the sender and auth user (the failure object is ours: made by the scanner for this call). */
function withIdentity(f: EximFailure, arrivalText: string): EximFailure {
  const identity = parseArrival(arrivalText.endsWith('\r') ? arrivalText.slice(0, -1) : arrivalText);
  f.sender = identity.sender;
  f.authUser = identity.authUser;
  return f;
}
