// @ts-check
/**
 * `npm run mutate` (README, "Development"): StrykerJS mutation testing of the code that carries the
 * promise — repair and undo, the planner, the lockdown check, the simulator's serial check, and the
 * bulk resume / reconcile paths and the job runner that settles them. Not in CI (hours of CPU on 2
 * cores); run it after changing that code. bench/mutate.js runs StrykerJS once per area below (each
 * with its own incremental file, so one area can be redone alone: `npm run mutate -- repair`), then
 * bench/mutation-summary.js writes bench/mutation-score.json and checks bench/MUTATION.md.
 */

/** The areas, each mutated in its own StrykerJS run (`npm run mutate` runs all but `writes`). */
export const AREAS = {
  // The quick run: only the code that decides what is written to a zone or the journal — undo's
  // plan, the apply loop and its settling, the records a change took out and put in, start-up
  // reconciliation, and the simulator's serial check. A subset of `repair` and `jobs`.
  writes: [
    'src/usecases/repair/rollback.ts:49-117',
    'src/usecases/repair/applyChange.ts:61-256',
    'src/usecases/repair/records.ts',
    'src/usecases/repair/reconcile.ts',
    'src/simulator/serialCheck.ts',
  ],
  repair: ['src/usecases/repair/**/*.ts', '!src/usecases/repair/index.ts'],
  plan: ['src/usecases/plan.ts', 'src/usecases/plan/**/*.ts'],
  lockdown: ['src/checks/lockdown/**/*.ts', '!src/checks/lockdown/index.ts'],
  jobs: [
    'src/simulator/serialCheck.ts',
    'src/usecases/bulk/resume.ts',
    'src/usecases/bulk/handler.ts',
    'src/usecases/bulk/backupOnce.ts',
    'src/usecases/bulk/zoneLocks.ts',
    'src/usecases/jobs/recovery.ts',
    'src/usecases/jobs/runner.ts',
  ],
};

/**
 * In the repair and job code a string literal is a step or outcome message for a person: the text
 * that reaches a zone is built by the planner (mutated in full), and statuses are literal union types,
 * so mutating one does not compile. Leaving those out shortens the run on 2 cores by a third or so.
 */
const MESSAGE_AREAS = ['writes', 'repair', 'jobs'];

const area = process.env.MUTATE_AREA ?? 'repair';
if (!(area in AREAS)) throw new Error(`MUTATE_AREA must be one of ${Object.keys(AREAS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // A fast test selection (jest.mutate.config.js); the first run only the tests related to the
  // mutated files, and per mutant only the tests that cover it.
  jest: { configFile: 'jest.mutate.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // Mutants that do not compile are dropped before any test runs.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // A shared 2-core machine: at most two test processes (and the script runs under `nice`).
  concurrency: 2,
  timeoutMS: 10000,
  mutate: AREAS[area],
  mutator: { excludedMutations: MESSAGE_AREAS.includes(area) ? ['StringLiteral'] : [] },
  // A mutant of a module-level constant would rerun every test for each one; those are left out.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'reports', 'coverage', 'docs', '.demo', 'test-results', 'bench/*.json'],
  reporters: ['progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  htmlReporter: { fileName: `reports/mutation/${area}.html` },
  thresholds: { high: 90, low: 85, break: null },
  // Results of unchanged code and tests are reused from this area's last run;
  // `npm run mutate -- --force` tests every mutant again.
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${area}.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
