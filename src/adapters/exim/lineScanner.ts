/**
 * Turns lines of an Exim main log into joiner calls. Works on byte ranges of a shared chunk buffer:
 * for the ~all lines that are deliveries, warnings or noise it only compares a few bytes
 * (lineHead.ts); arrivals and completions touch a typed-array table; strings are made only for the
 * few failure lines.
 */
import { CurrentView, EximFailure, FailureJoiner } from './joiner';
import { parseFailure } from './fields';
import {
  KIND_ARRIVAL,
  KIND_COMPLETED,
  KIND_DEFERRED,
  KIND_FAILED,
  KIND_NONE,
  LineClock,
  LineHead,
  isMessageId,
  newLineHead,
  readLineHead,
} from './lineHead';

export interface ScanFilter {
  /** Keep failures logged at or after this instant. */
  since?: Date;
  /** Keep only failures whose remote host name or IP equals this (case-insensitive). */
  relayHost?: string;
}

export interface ScanStats {
  lines: number;
  /** Failure and deferral lines kept (after the filters). */
  failures: number;
}

/**
 * `==` lines that only say the retry time has not come (queue runs: "routing defer (-52)",
 * "defer (-54)", seen in a real Exim 4.96 log) are not delivery attempts; counting them would
 * inflate deferrals by one per queue run.
 */
const RETRY_NOT_REACHED = Buffer.from('retry time not reached', 'latin1');

/** Node's Buffer method (lib/buffer.js), not in @types/node; no argument checks. */
interface FastSlices {
  utf8Slice(start: number, end: number): string;
}

/** The file being scanned: its index (for re-reading arrivals), path, and where reading started. */
export interface ScanFile {
  index: number;
  path: string;
  /** Offset in the file (inflated content) where the source started. */
  start: number;
  /** The file cannot be re-read at an offset (gzip): keep arrival texts in memory. */
  keepArrivalText: boolean;
}

export class LineScanner {
  private readonly head: LineHead = newLineHead();
  private readonly clock = new LineClock();
  private readonly relay: string | null;
  private readonly sinceMs: number | null;
  private file: ScanFile = { index: -1, path: '', start: 0, keepArrivalText: true };
  private readonly view: CurrentView = { buffer: Buffer.alloc(0), base: 0, file: -1 };
  readonly stats: ScanStats = { lines: 0, failures: 0 };
  /** Bound `line`, for forEachLine. */
  readonly onLine: (b: Buffer, start: number, end: number, offset: number) => void;

  constructor(
    private readonly joiner: FailureJoiner,
    filter: ScanFilter = {},
  ) {
    this.relay = filter.relayHost ? filter.relayHost.toLowerCase().replace(/\.$/, '') : null;
    this.sinceMs = filter.since ? filter.since.getTime() : null;
    this.onLine = (b, start, end, offset) => this.line(b, start, end, offset);
  }

  startFile(file: ScanFile): void {
    this.file = file;
  }

  /** Process one line `b[start, end)` (no newline) found at `offset` of the current source. */
  line(b: Buffer, start: number, end: number, offset: number): void {
    this.stats.lines++;
    const head = this.head;
    const kind = readLineHead(b, start, end, head);
    if (kind === KIND_NONE) return;
    if (kind === KIND_ARRIVAL) {
      const at = this.file.start + offset + (head.restStart - start);
      this.joiner.arrival(b, head.idStart, head.idEnd, head.restStart, end, this.file.index, at, this.file.keepArrivalText);
    } else if (kind === KIND_COMPLETED) {
      this.joiner.completed(b, head.idStart, head.idEnd);
    } else if (kind === KIND_FAILED || kind === KIND_DEFERRED) {
      this.failureLine(b, start, end, offset, kind);
    }
  }

  private failureLine(b: Buffer, start: number, end: number, offset: number, kind: typeof KIND_FAILED | typeof KIND_DEFERRED): void {
    const head = this.head;
    if (!isMessageId(b, head.idStart, head.idEnd)) return;
    if (kind === KIND_DEFERRED && b.subarray(head.restStart, end).indexOf(RETRY_NOT_REACHED) >= 0) return;
    const time = this.clock.time(b, start, head);
    if (time === null) return;
    if (this.sinceMs !== null && time.getTime() < this.sinceMs) return;
    const parts = parseFailure((b as unknown as FastSlices).utf8Slice(head.restStart, end));
    if (this.relay !== null && !this.matchesRelay(parts.hostName, parts.hostIp)) return;
    const failure: EximFailure = {
      messageId: b.toString('latin1', head.idStart, head.idEnd),
      time,
      kind: kind === KIND_FAILED ? 'failed' : 'deferred',
      recipient: parts.recipient,
      originalRecipient: parts.originalRecipient,
      message: parts.message,
      hostName: parts.hostName,
      hostIp: parts.hostIp,
      router: parts.router,
      transport: parts.transport,
      sender: null,
      authUser: null,
      file: this.file.path,
    };
    this.stats.failures++;
    const view = this.view;
    view.buffer = b;
    view.base = this.file.start + offset - start;
    view.file = this.file.index;
    this.joiner.failure(failure, view, head.idStart, head.idEnd);
  }

  private matchesRelay(name: string | null, ip: string | null): boolean {
    const relay = this.relay;
    if (relay === null) return true;
    return (name !== null && name.toLowerCase().replace(/\.$/, '') === relay) || (ip !== null && ip.toLowerCase() === relay);
  }
}
