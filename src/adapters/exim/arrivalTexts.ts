/**
 * Re-reads an arrival line's text from a plain (uncompressed) log file by offset, for the rare
 * failure whose arrival is no longer in the chunk being parsed. One descriptor per file, opened on
 * first use; reads are synchronous because they happen inside the (synchronous) line loop and
 * are one small pread each.
 */
import { closeSync, openSync, readSync } from 'fs';
import { MAX_ARRIVAL_TEXT } from './joiner';

export class ArrivalTexts {
  private readonly paths: string[] = [];
  private readonly fds = new Map<number, number | null>();
  private readonly buffer = Buffer.alloc(MAX_ARRIVAL_TEXT);

  /** Register a file; returns its index. `readable`: false for gzip files (texts are kept instead). */
  add(path: string, readable: boolean): number {
    this.paths.push(path);
    const index = this.paths.length - 1;
    if (!readable) this.fds.set(index, null);
    return index;
  }

  readonly read = (file: number, offset: number): string | null => {
    const path = this.paths[file];
    if (path === undefined) return null;
    let fd = this.fds.get(file);
    if (fd === undefined) {
      try {
        fd = openSync(path, 'r');
      } catch {
        fd = null;
      }
      this.fds.set(file, fd);
    }
    if (fd === null) return null;
    let n: number;
    try {
      n = readSync(fd, this.buffer, 0, this.buffer.length, offset);
    } catch {
      return null;
    }
    let end = this.buffer.indexOf(0x0a);
    if (end < 0 || end > n) end = n;
    return this.buffer.toString('utf8', 0, end);
  };

  close(): void {
    for (const fd of this.fds.values()) if (fd !== null) closeSync(fd);
    this.fds.clear();
  }
}
