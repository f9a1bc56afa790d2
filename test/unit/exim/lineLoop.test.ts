import { ByteSource } from '../../../src/adapters/exim/byteSource';
import { forEachLine } from '../../../src/adapters/exim/lineLoop';
import { seeded } from './helpers';

/** A source that hands out `data` in pieces of the given sizes (cycled), like a slow pipe. */
function source(data: Buffer, pieces: number[]): ByteSource {
  let pos = 0;
  let k = 0;
  return {
    async read(target, offset, length) {
      const n = Math.min(length, data.length - pos, pieces[k++ % pieces.length] ?? length);
      data.copy(target, offset, pos, pos + n);
      pos += n;
      return n;
    },
    async close() {},
  };
}

async function collect(data: Buffer, options: Parameters<typeof forEachLine>[2] & { pieces?: number[] } = {}) {
  const lines: Array<[string, number]> = [];
  const result = await forEachLine(
    source(data, options.pieces ?? [1 << 20]),
    (b, s, e, offset) => lines.push([b.toString('latin1', s, e), offset]),
    options,
  );
  return { lines, result };
}

describe('forEachLine', () => {
  it('when lines cross every possible chunk boundary, then each line and its offset come out exactly once', async () => {
    const rand = seeded(7);
    const text = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(Math.floor(rand() * 200))}`).join('\n') + '\n';
    const data = Buffer.from(text, 'latin1');
    const expected: Array<[string, number]> = [];
    let off = 0;
    for (const l of text.split('\n').slice(0, -1)) {
      expected.push([l, off]);
      off += l.length + 1;
    }
    for (const pieces of [[1], [7, 3, 1], [4096], [100_000]]) {
      const { lines, result } = await collect(data, { pieces, chunkBytes: 4096, maxLineBytes: 1024 });
      expect(lines).toEqual(expected);
      expect(result).toEqual({ bytesRead: data.length, consumed: data.length, skippedLongLines: 0 });
    }
  });

  it('when a line is longer than the limit, then it is skipped without being kept, and the next line is intact', async () => {
    const data = Buffer.concat([Buffer.from('first\n'), Buffer.alloc(50_000, 0x41), Buffer.from('\nlast\n')]);
    const { lines, result } = await collect(data, { pieces: [3000], chunkBytes: 4096, maxLineBytes: 1024 });
    expect(lines.map((l) => l[0])).toEqual(['first', 'last']);
    expect(lines[1]?.[1]).toBe(6 + 50_000 + 1);
    expect(result.skippedLongLines).toBe(1);
  });

  it('when the data ends without a newline, then the last line is handed over only if asked', async () => {
    const data = Buffer.from('a\nb\npartial');
    expect((await collect(data)).lines.map((l) => l[0])).toEqual(['a', 'b', 'partial']);
    const live = await collect(data, { processTrailingPartial: false });
    expect(live.lines.map((l) => l[0])).toEqual(['a', 'b']);
    expect(live.result.consumed).toBe(4);
  });

  it('when lines end in CRLF, then the CR is not part of the line', async () => {
    expect((await collect(Buffer.from('a\r\nb\r\n'))).lines.map((l) => l[0])).toEqual(['a', 'b']);
  });
});
