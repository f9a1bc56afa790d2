/**
 * Follow one message through Exim's main log, from a position taken before it was submitted:
 * find its arrival (`<=` with our unique Message-ID in `id=`, or our marker in the subject `T=`),
 * then its fate: `=>` delivered, `**` bounced, `==` deferred (Exim keeps retrying, so we keep
 * waiting), until the deadline. The log is read incrementally (only bytes appended since the last
 * look); a file that shrank or was replaced (rotation) is read again from its start.
 */
import { open, stat } from 'fs/promises';
import { arrivalMarks, parseDelivery, parseFailure, parseMessageLine } from './logLine';

export interface LogMark {
  path: string;
  offset: number;
  /** Inode at mark time; a different one later means the log was rotated. */
  ino: number | null;
}

export interface MessageMatch {
  /** Message-ID header value without angle brackets (Exim logs it as `id=<value>`). */
  messageId: string;
  /** A unique string inside the subject (used when the log selector has no `id=`). */
  subjectMarker: string;
}

export type DeliveryState = 'delivered' | 'bounced' | 'deferred' | 'queued' | 'unseen';

export interface FollowResult {
  /** delivered/bounced are final; deferred/queued/unseen mean the deadline passed first. */
  state: DeliveryState;
  timedOut: boolean;
  eximId: string | null;
  recipient: string | null;
  /** The remote server's reply: `C=` of a delivery, the error text of a failure or deferral. */
  reply: string | null;
  /** Remote host name and IP of the last attempt (`H=`). */
  host: string | null;
  hostIp: string | null;
  /** Every log line of the message we saw (at most 50). */
  lines: string[];
}

export interface FollowOptions {
  timeoutMs: number;
  /** Pause between looks at the log (default 200 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

const MAX_LINES = 50;
/** A "line" longer than this without a newline is garbage; drop it rather than grow without bound. */
const MAX_PARTIAL = 64 * 1024;
const CHUNK = 256 * 1024;

export async function markLog(path: string): Promise<LogMark> {
  try {
    const s = await stat(path);
    return { path, offset: s.size, ino: s.ino };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, offset: 0, ino: null };
    throw err;
  }
}

/** Reads what was appended to a file since the last call, as complete lines. */
class LogTail {
  private offset: number;
  private ino: number | null;
  private partial = '';

  constructor(private readonly mark: LogMark) {
    this.offset = mark.offset;
    this.ino = mark.ino;
  }

  async newLines(): Promise<string[]> {
    let handle;
    try {
      handle = await open(this.mark.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const s = await handle.stat();
      if ((this.ino !== null && s.ino !== this.ino) || s.size < this.offset) {
        this.offset = 0;
        this.partial = '';
      }
      this.ino = s.ino;
      const lines: string[] = [];
      const buffer = Buffer.alloc(CHUNK);
      while (this.offset < s.size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, s.size - this.offset), this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = this.partial + buffer.subarray(0, bytesRead).toString('latin1');
        const parts = text.split('\n');
        this.partial = parts.pop() ?? '';
        if (this.partial.length > MAX_PARTIAL) this.partial = '';
        lines.push(...parts);
      }
      return lines;
    } finally {
      await handle.close();
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export async function followMessage(mark: LogMark, match: MessageMatch, options: FollowOptions): Promise<FollowResult> {
  const tail = new LogTail(mark);
  const deadline = Date.now() + options.timeoutMs;
  const result: FollowResult = {
    state: 'unseen',
    timedOut: false,
    eximId: null,
    recipient: null,
    reply: null,
    host: null,
    hostIp: null,
    lines: [],
  };

  const take = (line: string): boolean => {
    const parsed = parseMessageLine(line);
    if (!parsed) return false;
    if (result.eximId === null) {
      if (parsed.flag !== '<=') return false;
      const marks = arrivalMarks(parsed.rest);
      // The subject is only a fallback for logs without `id=` (log_selector -msg_id): where Exim
      // logged a Message-ID, it alone decides, so another message's subject cannot claim to be ours.
      const ours = marks.messageId !== null ? marks.messageId === match.messageId : (marks.subject ?? '').includes(match.subjectMarker);
      if (!ours) return false;
      result.eximId = parsed.eximId;
      result.state = 'queued';
    } else if (parsed.eximId !== result.eximId) {
      return false;
    }
    if (result.lines.length < MAX_LINES) result.lines.push(line);
    switch (parsed.flag) {
      case '=>':
      case '->': {
        const d = parseDelivery(parsed.rest);
        Object.assign(result, { state: 'delivered', recipient: d.recipient, reply: d.confirmation, host: d.host, hostIp: d.hostIp });
        return true;
      }
      case '**':
      case '==': {
        const f = parseFailure(parsed.rest);
        Object.assign(result, {
          state: parsed.flag === '**' ? 'bounced' : 'deferred',
          recipient: f.recipient,
          reply: f.message || null,
          host: f.hostName,
          hostIp: f.hostIp,
        });
        return parsed.flag === '**';
      }
      default:
        return false;
    }
  };

  for (;;) {
    for (const line of await tail.newLines()) {
      if (take(line)) return result;
    }
    if (Date.now() >= deadline || options.signal?.aborted) {
      result.timedOut = true;
      return result;
    }
    await sleep(Math.min(options.pollMs ?? 200, Math.max(1, deadline - Date.now())), options.signal);
  }
}
