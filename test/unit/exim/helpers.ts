import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readEximFailures, ReadEximOptions } from '../../../src/adapters/exim';
import { seededRandom } from '../../../src/simulator/seededRandom';

export const FIXTURES = join(__dirname, '../../fixtures/exim');
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fea-exim-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Failures of a log as plain rows, in log order, for compact assertions. */
export async function rows(options: ReadEximOptions) {
  const result = await readEximFailures(options);
  return {
    result,
    rows: result.failures.map((f) => ({
      id: f.messageId,
      kind: f.kind,
      rcpt: f.recipient,
      sender: f.sender,
      authUser: f.authUser,
      host: f.hostName,
    })),
  };
}

/** Deterministic pseudo-random generator (mulberry32) so "random" inputs are reproducible. */
export const seeded = seededRandom;

export function line(time: string, id: string, rest: string): string {
  return `${time} ${id} ${rest}\n`;
}
