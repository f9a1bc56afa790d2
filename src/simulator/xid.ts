/**
 * Error ids WHM puts in `API failure: (XID 7g2kqe) …` (cpanel-api.md §4.3; 6 lower-case alphanumerics
 * in the examples, format unverified). Deterministic from a seed so tests can assert on whole texts.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function createXidGenerator(seed = 1): () => string {
  // mulberry32: tiny, deterministic, good enough to look random.
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    let id = '';
    for (let i = 0; i < 6; i++) id += ALPHABET[Math.floor(next() * ALPHABET.length)];
    return id;
  };
}
