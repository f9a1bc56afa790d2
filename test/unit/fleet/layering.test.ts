/**
 * The fleet controller is its own entry point: it shares the checks and the findings vocabulary, and
 * never reaches a server's adapters (cPanel, JetBackup, DNS writes, the SQLite journal) or the
 * server's use cases. Followed through every import, not only the direct ones.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

const SRC = resolve(__dirname, '..', '..', '..', 'src');
const FORBIDDEN = ['adapters/', 'usecases/', 'simulator/', 'services', 'zone/', 'cli/', 'fleetWiring'];
/** The few pure helpers of the daemon's web layer the fleet pages reuse. */
const ALLOWED_DAEMON = new Set(['daemon/cookies.ts', 'daemon/paths.ts', 'daemon/viewHelpers.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(file), m[1]!);
    for (const candidate of [`${target}.ts`, join(target, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) {
          out.push(candidate);
          break;
        }
      } catch {
        // not this form
      }
    }
  }
  return out;
}

function reachable(start: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...importsOf(file));
  }
  return seen;
}

describe('fleet controller layering', () => {
  it('when every import of src/fleet is followed, then none reaches a server adapter, use case or the daemon beyond its pure web helpers', () => {
    const start = files(join(SRC, 'fleet'));
    const bad = [...reachable(start)]
      .map((f) => relative(SRC, f))
      .filter((f) => FORBIDDEN.some((p) => f.startsWith(p)) || (f.startsWith('daemon/') && !ALLOWED_DAEMON.has(f)));
    expect(bad).toEqual([]);
  });

  it('when the server’s fleet code is followed, then it reaches only the wire protocol of src/fleet', () => {
    const start = [...files(join(SRC, 'usecases', 'fleet')), ...files(join(SRC, 'adapters', 'fleet'))];
    const fleet = [...reachable(start)].map((f) => relative(SRC, f)).filter((f) => f.startsWith('fleet/'));
    expect(fleet.every((f) => f.startsWith('fleet/protocol/'))).toBe(true);
    expect(fleet.length).toBeGreaterThan(0);
  });
});
