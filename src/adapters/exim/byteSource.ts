/**
 * A file's bytes in large chunks, read into a buffer the caller owns (no per-chunk allocation for
 * plain files). Rotated logs are gzip-compressed (cPanel logrotate); they are inflated as a stream
 * through zlib, never loaded whole.
 */
import { createReadStream } from 'fs';
import { open, FileHandle } from 'fs/promises';
import { createGunzip } from 'zlib';
import { FixEmailAuthError } from '../../errors';

export interface ByteSource {
  /** Fill `target[offset, offset+length)` with the next bytes; 0 at the end. */
  read(target: Buffer, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

export function isGzipPath(path: string): boolean {
  return path.endsWith('.gz');
}

function openError(path: string, err: unknown): FixEmailAuthError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : String((err as Error)?.message ?? err);
  return new FixEmailAuthError('BAD_INPUT', `Cannot read mail log ${path}: ${why}`, { step: 'read', cause: err });
}

class PlainSource implements ByteSource {
  constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    private position: number,
  ) {}

  async read(target: Buffer, offset: number, length: number): Promise<number> {
    let bytesRead: number;
    try {
      ({ bytesRead } = await this.fh.read(target, offset, length, this.position));
    } catch (err) {
      throw openError(this.path, err);
    }
    this.position += bytesRead;
    return bytesRead;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Pulls inflated chunks from zlib and hands them out in the sizes the reader asks for. */
class GzipSource implements ByteSource {
  private readonly chunks: AsyncIterator<Buffer>;
  private current: Buffer | null = null;
  private currentPos = 0;
  private done = false;
  private readonly destroy: () => void;

  constructor(
    private readonly path: string,
    private skip: number,
  ) {
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    file.on('error', (err) => gunzip.destroy(err));
    file.pipe(gunzip);
    this.chunks = gunzip[Symbol.asyncIterator]();
    this.destroy = () => {
      file.destroy();
      gunzip.destroy();
    };
  }

  async read(target: Buffer, offset: number, length: number): Promise<number> {
    let written = 0;
    while (written < length && !this.done) {
      if (this.current === null || this.currentPos >= this.current.length) {
        let next: IteratorResult<Buffer>;
        try {
          next = await this.chunks.next();
        } catch (err) {
          if ((err as NodeJS.ErrnoException)?.code === 'ENOENT' || (err as NodeJS.ErrnoException)?.code === 'EACCES')
            throw openError(this.path, err);
          throw new FixEmailAuthError('BAD_INPUT', `${this.path} is not a readable gzip file: ${(err as Error)?.message ?? err}`, {
            step: 'read',
            cause: err,
          });
        }
        if (next.done) {
          this.done = true;
          break;
        }
        this.current = next.value;
        this.currentPos = 0;
        if (this.skip > 0) {
          const dropped = Math.min(this.skip, this.current.length);
          this.skip -= dropped;
          this.currentPos = dropped;
          continue;
        }
      }
      const n = Math.min(length - written, this.current.length - this.currentPos);
      this.current.copy(target, offset + written, this.currentPos, this.currentPos + n);
      this.currentPos += n;
      written += n;
      // Return what we have rather than waiting for more inflation when the chunk is used up.
      if (this.currentPos >= this.current.length && written > 0) break;
    }
    return written;
  }

  async close(): Promise<void> {
    this.done = true;
    this.destroy();
  }
}

/** Open `path` at byte `position` of its (inflated, for `.gz`) content. Throws BAD_INPUT when unreadable. */
export async function openByteSource(path: string, position = 0): Promise<ByteSource> {
  if (isGzipPath(path)) {
    // Surface a missing or unreadable file before streaming starts.
    try {
      await (await open(path, 'r')).close();
    } catch (err) {
      throw openError(path, err);
    }
    return new GzipSource(path, position);
  }
  try {
    return new PlainSource(path, await open(path, 'r'), position);
  } catch (err) {
    throw openError(path, err);
  }
}
