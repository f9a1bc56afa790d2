/**
 * Re-reads an arrival line's text from a plain (uncompressed) log file by offset, for the rare
 * failure whose arrival is no longer in the chunk being parsed. The descriptor is opened when the
 * file is registered (just before it is read), so a logrotate rename during the read cannot make us
 * read a different file; reads are synchronous because they happen inside the (synchronous) line
 * loop and are one small pread each.
 */
import { closeSync, openSync, readSync } from 'fs';
import { MAX_ARRIVAL_TEXT } from './joiner';

/** What precedes an arrival's text: the flag and its space (`<= `, or `(= ` for fakereject). */
const FLAG_BYTES = 3;

export class ArrivalTexts {
  private readonly fds: Array<number | null> = [];
  private readonly buffer = Buffer.alloc(MAX_ARRIVAL_TEXT + FLAG_BYTES);

  /** Register a file; returns its index. `readable`: false for gzip files (texts are kept instead). */
  add(path: string, readable: boolean): number {
    let fd: number | null = null;
    if (readable) {
      try {
        fd = openSync(path, 'r');
      } catch {
        fd = null; // the reader reports the file itself; here it only means "cannot re-read"
      }
    }
    this.fds.push(fd);
    return this.fds.length - 1;
  }

  readonly read = (file: number, offset: number): string | null => {
    const fd = this.fds[file];
    if (fd === undefined || fd === null || offset < FLAG_BYTES) return null;
    let n: number;
    try {
      n = readSync(fd, this.buffer, 0, this.buffer.length, offset - FLAG_BYTES);
    } catch {
      return null;
    }
    const b = this.buffer;
    // Sanity check: we must land right after an arrival flag, or the file is not what we read.
    if (n < FLAG_BYTES || b[1] !== 0x3d /* = */ || b[2] !== 0x20 || (b[0] !== 0x3c /* < */ && b[0] !== 0x28) /* ( */) return null;
    let end = b.indexOf(0x0a, FLAG_BYTES);
    if (end < 0 || end > n) end = n;
    return b.toString('utf8', FLAG_BYTES, end);
  };

  close(): void {
    for (const fd of this.fds) if (fd !== null) closeSync(fd);
    this.fds.length = 0;
  }
}
