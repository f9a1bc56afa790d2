/**
 * Hostile input: the reader must answer with a clear ZONE_PARSE error or a correct zone, in linear
 * time and constant stack. The time bounds are deliberately generous (seconds for megabytes): they
 * only catch quadratic behaviour or hangs, never a slow machine.
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { FixEmailAuthError } from '../../../src/errors';
import type { Zone } from '../../../src/zone/model';
import { seededRandom } from '../../../src/simulator/seededRandom';

const HEAD =
  '$TTL 300\nexample.com. IN SOA ns1.example.net. admin.example.net. 7 3600 1800 1209600 300\nexample.com. IN NS ns1.example.net.\n';
const TEN_MB = 10 * 1024 * 1024;
const GENEROUS_MS = 8000;

/** Run the reader, give back its zone or its typed error, and how long it took. */
function attempt(text: string | Buffer): { zone?: Zone; error?: FixEmailAuthError; ms: number } {
  const start = process.hrtime.bigint();
  try {
    const zone = parseZoneFile(text, 'example.com');
    return { zone, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  } catch (err) {
    if (!(err instanceof FixEmailAuthError)) throw err;
    return { error: err, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  }
}

/** Deterministic bytes (mulberry32), so a failure can be replayed. */
function randomBytes(seed: number, length: number): Buffer {
  const random = seededRandom(seed);
  const out = Buffer.alloc(length);
  // The generator's 32-bit word, low byte: the same bytes as before the generator was shared.
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 4294967296) & 0xff;
  return out;
}

describe('hostile input', () => {
  test('when one line is 10 MB of a single word, then a clear error comes quickly', () => {
    const result = attempt(`${HEAD}${'a'.repeat(TEN_MB)}\n`);
    expect(result.error?.message).toMatch(/^example\.com\.db:4: bad name “a{40}…”: a label is longer than 63 bytes$/);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when one line is 10 MB of short words, then the field limit stops it with a clear error', () => {
    const result = attempt(`${HEAD}t TXT ${'a '.repeat(TEN_MB / 2)}\n`);
    expect(result.error?.message).toMatch(/^example\.com\.db:4: too many fields in one record/);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a quoted string is 10 MB long, then reading stops at the RDATA limit with a clear error', () => {
    const result = attempt(`${HEAD}t TXT "${'x'.repeat(TEN_MB)}"\n`);
    expect(result.error?.message).toBe('example.com.db:4: a quoted string is longer than 65535 bytes');
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a quoted string is 10 MB of escapes, then reading stops at the RDATA limit with a clear error', () => {
    const result = attempt(`${HEAD}t TXT "${'\\\\'.repeat(TEN_MB / 2)}"\n`);
    expect(result.error?.message).toBe('example.com.db:4: a quoted string is longer than 65535 bytes');
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a quoted string has no end in 10 MB, then the answer is an error, not a hang', () => {
    const result = attempt(`${HEAD}t TXT "${'x'.repeat(TEN_MB)}`);
    expect(result.error?.code).toBe('ZONE_PARSE');
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a comment line is 10 MB long, then it is a comment item of that length', () => {
    const result = attempt(`${HEAD};${'c'.repeat(TEN_MB)}\n`);
    expect(result.zone?.lines[1]?.text).toHaveLength(TEN_MB + 1);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a million “(” are opened, then the reader neither recurses nor hangs: unbalanced parentheses', () => {
    const result = attempt(`${HEAD}t TXT ${'('.repeat(1_000_000)} "x"\n`);
    expect(result.error?.message).toMatch(/^example\.com\.db:4: unbalanced parentheses: “\(” is never closed$/);
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when a million “(” are closed again across lines, then the record reads and the next index skips its lines', () => {
    const result = attempt(`${HEAD}t TXT ${'('.repeat(1_000_000)} "x"\n${')'.repeat(1_000_000)}\nnext A 192.0.2.1\n`);
    expect(result.zone?.records.slice(2).map((r) => [r.lineIndex, r.data])).toEqual([
      [3, ['x']],
      [5, ['192.0.2.1']],
    ]);
  });

  test('when a TXT record is 64 KB in many strings, then it reads if RDATA fits in 65535 bytes, else a clear error', () => {
    // 255 strings of 255 bytes: 65 025 bytes of text, 65 280 bytes of RDATA with the length bytes.
    const fits = attempt(`${HEAD}t TXT ${`"${'k'.repeat(255)}" `.repeat(255)}\n`);
    expect(fits.zone?.records[2]?.data).toHaveLength(255);
    expect(fits.zone?.records[2]?.data.join('')).toHaveLength(255 * 255);
    const tooLong = attempt(`${HEAD}t TXT ${`"${'k'.repeat(255)}" `.repeat(256)}\n`);
    expect(tooLong.error?.message).toMatch(/TXT RDATA is longer than 65535 bytes/);
  });

  test('when a TXT record has 70 000 empty strings on one line, then the field limit stops it', () => {
    const result = attempt(`${HEAD}t TXT ${'"" '.repeat(70_000)}\n`);
    expect(result.error?.message).toMatch(/too many fields|RDATA is longer than 65535 bytes/);
  });

  test('when the file is 10 MB of line breaks, then it is read to the end and reports the missing SOA', () => {
    const result = attempt('\n'.repeat(TEN_MB));
    expect(result.error?.message).toBe('example.com.db: no SOA record (every zone starts with one, RFC 1035 §5.2)');
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test('when the zone has 200 000 records, then it reads them all in linear time with the right indexes', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(`h${i}\t14400\tIN\tTXT\t"v=spf1 -all" ; n${i}`);
    const result = attempt(`${HEAD}${lines.join('\n')}\n`);
    expect(result.zone?.records).toHaveLength(200_002);
    expect(result.zone?.records[200_001]).toMatchObject({ lineIndex: 200_002, dname: 'h199999' });
    expect(result.ms).toBeLessThan(GENEROUS_MS);
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'when the file is 256 KB of random bytes (seed %i), then the answer is a zone or ZONE_PARSE, quickly',
    (seed) => {
      const result = attempt(randomBytes(seed, 256 * 1024));
      expect(result.zone ?? result.error).toBeDefined();
      if (result.error) expect(['ZONE_PARSE', 'BAD_INPUT']).toContain(result.error.code);
      expect(result.ms).toBeLessThan(GENEROUS_MS);
    },
  );

  test.each([11, 12, 13, 14])(
    'when random bytes follow a valid head (seed %i), then the answer is a zone or a ZONE_PARSE error with a line',
    (seed) => {
      const result = attempt(Buffer.concat([Buffer.from(HEAD), randomBytes(seed, 64 * 1024)]));
      if (result.error) expect(result.error.message).toMatch(/^example\.com\.db:\d+: /);
      else expect(result.zone?.serial).toBe('7');
    },
  );

  test('when TXT data is not UTF-8, then the bytes are kept exactly', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEAD}t TXT "`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]), Buffer.from('"\n')]);
    const result = attempt(bytes);
    expect(Buffer.from(result.zone?.records[2]?.data[0] ?? '', 'latin1')).toEqual(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]));
  });

  test('when NUL and control bytes sit in names, then they read as bytes and print as \\DDD', () => {
    const result = attempt(Buffer.concat([Buffer.from(`${HEAD}a`), Buffer.from([0x00, 0x07, 0xe9]), Buffer.from(' A 192.0.2.1\n')]));
    expect(result.zone?.records[2]?.dname).toBe('a\\000\\007\\233');
  });
});
