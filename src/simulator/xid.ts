/**
 * Error ids WHM puts in `API failure: (XID 7g2kqe) …` (docs/reference/cpanel-api.md §4.3; 6 lower-case alphanumerics
 * in the examples, format unverified). Deterministic from a seed so tests can assert on whole texts.
 */
import { seededRandom } from './seededRandom';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function createXidGenerator(seed = 1): () => string {
  const next = seededRandom(seed);
  return () => {
    let id = '';
    for (let i = 0; i < 6; i++) id += ALPHABET[Math.floor(next() * ALPHABET.length)];
    return id;
  };
}
