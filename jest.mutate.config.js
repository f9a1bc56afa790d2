/**
 * The fast test selection StrykerJS runs against each mutant (npm run mutate, stryker.config.mjs): the
 * unit tests of the mutated folders (in-process fakes of cPanel, JetBackup and the nameservers over
 * the real journal) and the simulator's mass-edit contract (in-process HTTPS, no PowerDNS, no child
 * processes). Loading a test file is most of the cost of a mutant's run, so only these folders; the
 * slow integration suites prove the same code against real servers in `npm test`.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/{repair,plan,checks,jobs,bulk,relay}/**/*.test.ts',
    '<rootDir>/test/integration/simulator/massEdit.test.ts',
  ],
};
