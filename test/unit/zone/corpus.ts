/** The realistic cPanel zones of test/fixtures/zones/, read as bytes (binary strings). */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export const ZONES_DIR = join(__dirname, '../../fixtures/zones');

export interface CorpusZone {
  zone: string;
  file: string;
  /** The file as a binary string (latin1, one char per byte). */
  text: string;
}

export function corpus(): CorpusZone[] {
  return readdirSync(ZONES_DIR)
    .filter((file) => file.endsWith('.db'))
    .sort()
    .map((file) => ({ zone: file.slice(0, -'.db'.length), file, text: readFileSync(join(ZONES_DIR, file)).toString('latin1') }));
}

export function corpusZone(zone: string): CorpusZone {
  const found = corpus().find((c) => c.zone === zone);
  if (!found) throw new Error(`no fixture zone ${zone}`);
  return found;
}

/** Lines of a zone file (binary string) without their breaks; a final break starts no line. */
export function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}
