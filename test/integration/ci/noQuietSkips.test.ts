/**
 * No quiet skips in CI: a suite or test that needs a missing tool fails when `CI` is set and is
 * skipped (visibly) elsewhere — run here in a child jest over test/fixtures/requires — and .ci/run
 * sets `CI`, so the CI run is one where nothing can be skipped for a missing tool.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { inCi } from '../../support/requires';

jest.setTimeout(60_000);

const REPO = join(__dirname, '../../..');

function childJest(ci: string | undefined) {
  const env = { ...process.env };
  delete env.CI;
  if (ci !== undefined) env.CI = ci;
  const result = spawnSync(
    process.execPath,
    [
      join(REPO, 'node_modules/jest/bin/jest.js'),
      '--rootDir',
      REPO,
      '--roots',
      '<rootDir>/test/fixtures/requires',
      '--testMatch',
      '**/*.check.ts',
      '--ci',
      '--colors=false',
    ],
    { cwd: REPO, env, encoding: 'utf8' },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('tests that need a tool of the machine', () => {
  it('when CI is set and the tool is missing, then the suite and the test fail, naming the tool', () => {
    const { code, output } = childJest('1');
    expect(code).toBe(1);
    expect(output).toMatch(/Tests:\s+2 failed, 1 passed, 3 total/);
    expect(output).toContain('the-never-installed-tool is missing, and in CI');
  });

  it('when CI is not set and the tool is missing, then they are reported as skipped and the run passes', () => {
    const { code, output } = childJest(undefined);
    expect(code).toBe(0);
    expect(output).toMatch(/Tests:\s+2 skipped, 1 passed, 3 total/);
  });

  it.each([
    ['1', true],
    ['true', true],
    ['', false],
    ['0', false],
    ['false', false],
  ])('when CI is "%s", then inCi says %s', (value, expected) => {
    expect(inCi({ CI: value })).toBe(expected);
  });

  it('when .ci/run runs the tests, then CI is set for them', () => {
    const script = readFileSync(join(REPO, '.ci/run'), 'utf8');
    const exported = script.indexOf('export CI=');
    expect(exported).toBeGreaterThan(-1);
    expect(exported).toBeLessThan(script.indexOf('npm test'));
    expect(inCi({ CI: /export CI="?\$\{CI:-([^}"]*)\}"?/.exec(script)?.[1] ?? '' })).toBe(true);
  });
});
