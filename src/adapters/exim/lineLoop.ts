/**
 * Split a byte source into lines without making a string per line: each line is handed over as a
 * range of a reused buffer.
 *
 * Two buffers alternate so the next read runs while the current chunk is parsed (the disk or zlib
 * works while JavaScript does). Each buffer keeps `maxLineBytes` of room in front of its data, where
 * the unfinished last line of the previous chunk is copied, so lines never straddle two buffers.
 *
 * Lines longer than `maxLineBytes` are skipped, never buffered: Exim itself never writes a main-log
 * line longer than its log buffer (LOG_BUFFER_SIZE, 8 KiB by default; Exim src/macros.h), so such a
 * line is garbage and must not cost memory.
 */
import type { ByteSource } from './byteSource';

/** `offset`: where the line starts, relative to where the source started. */
export type LineHandler = (b: Buffer, start: number, end: number, offset: number) => void;

export interface LineLoopOptions {
  /** Also hand over a last line that has no newline (a finished file). Default true. */
  processTrailingPartial?: boolean;
  maxLineBytes?: number;
  /** Bytes per read. */
  chunkBytes?: number;
}

export interface LineLoopResult {
  /** Bytes read from the source. */
  bytesRead: number;
  /** Bytes consumed, relative to where the source started: up to the end of the last line handled. */
  consumed: number;
  skippedLongLines: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
export const DEFAULT_CHUNK_BYTES = 2 << 20;

const NL = 0x0a;
const CR = 0x0d;

export async function forEachLine(source: ByteSource, onLine: LineHandler, options: LineLoopOptions = {}): Promise<LineLoopResult> {
  const maxLine = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const chunk = Math.max(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, 4096);
  const processTrailing = options.processTrailingPartial ?? true;
  const room = maxLine; // front room for the carried unfinished line
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(room + chunk), Buffer.allocUnsafe(room + chunk)];
  let current: 0 | 1 = 0;
  let carry = 0; // length of the unfinished line copied in front of the current buffer's data
  let base = 0; // source offset of the first byte of the current view
  let bytesRead = 0;
  let skipping = false; // inside an over-long line, discarding until its newline
  let skippedLongLines = 0;

  let pending = source.read(buffers[0], room, chunk);
  try {
    for (;;) {
      const n = await pending;
      if (n === 0) break;
      bytesRead += n;
      const buf = buffers[current];
      const next = buffers[current === 0 ? 1 : 0];
      // Start the next read now; it writes only next[room, room+chunk).
      pending = source.read(next, room, chunk);

      const start = room - carry;
      const end = room + n;
      const view = buf.subarray(0, end);
      let s = start;
      if (skipping) {
        const nl = view.indexOf(NL, s);
        if (nl < 0) {
          base += end - start;
          carry = 0;
          current = current === 0 ? 1 : 0;
          continue;
        }
        skipping = false;
        skippedLongLines++;
        s = nl + 1;
      }
      let nl = view.indexOf(NL, s);
      while (nl >= 0) {
        const e = nl > s && view[nl - 1] === CR ? nl - 1 : nl;
        if (e - s <= maxLine) onLine(view, s, e, base + (s - start));
        else skippedLongLines++;
        s = nl + 1;
        nl = view.indexOf(NL, s);
      }
      const rest = end - s;
      if (rest > maxLine) {
        skipping = true;
        base += end - start;
        carry = 0;
      } else {
        if (rest > 0) buf.copy(next, room - rest, s, end);
        base += s - start;
        carry = rest;
      }
      current = current === 0 ? 1 : 0;
    }
  } finally {
    // Never leave a read running (or its rejection unhandled) when a line handler throws.
    await pending.catch(() => 0);
  }

  if (skipping) {
    skippedLongLines++;
    return { bytesRead, consumed: base, skippedLongLines };
  }
  if (carry > 0 && processTrailing) {
    const buf = buffers[current];
    const e = buf[room - 1] === CR ? room - 1 : room;
    onLine(buf.subarray(0, room), room - carry, e, base);
    return { bytesRead, consumed: base + carry, skippedLongLines };
  }
  return { bytesRead, consumed: base, skippedLongLines };
}
