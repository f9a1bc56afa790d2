/**
 * Tests that need something of the machine (PowerDNS, dig, root, Linux's /proc) run only where it is
 * there. On a developer's laptop a missing tool skips them, visibly; in CI (`CI` set: .ci/run exports
 * it, as GitHub Actions and most CI systems do) a missing tool FAILS them, so a broken install can
 * never turn into a green run that tested nothing.
 */
import { existsSync } from 'fs';

/** CI is where the missing tool is a failure, not a skip. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function missing(what: string): Error {
  return new Error(`${what} is missing, and in CI (CI=${process.env.CI}) nothing may be skipped for it: install it (.ci/run does)`);
}

/** `describe` when `available`; else in CI one failing test that names what is missing, elsewhere `describe.skip`. */
export function describeIf(available: boolean, what: string): jest.Describe {
  if (available) return describe;
  if (!inCi()) return describe.skip;
  const failing = ((name: string) => {
    describe(name, () => {
      it(`needs ${what}`, () => {
        throw missing(what);
      });
    });
  }) as unknown as jest.Describe;
  return failing;
}

/** `it` when `available`; else in CI a test that fails naming what is missing, elsewhere `it.skip`. */
export function itIf(available: boolean, what: string): jest.It {
  if (available) return it;
  if (!inCi()) return it.skip;
  const failing = ((name: string) => {
    it(name, () => {
      throw missing(what);
    });
  }) as unknown as jest.It;
  return failing;
}

/** An executable found in PATH (or the usual sbin folders, which a non-login shell may lack). */
export function hasExecutable(name: string): boolean {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.some((dir) => dir !== '' && existsSync(`${dir}/${name}`));
}
