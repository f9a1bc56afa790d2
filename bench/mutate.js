#!/usr/bin/env node
/**
 * `npm run mutate [-- AREA…] [-- --force]`: StrykerJS once per area of stryker.config.mjs (all of them
 * when none is named), each under `nice` with its own incremental file, then the summary
 * (bench/mutation-summary.js) over every area's report. One run per area keeps a run short enough to
 * redo after changing one folder, and a failure in one area does not lose the others' results.
 */
'use strict';
const { spawnSync } = require('child_process');
const { join } = require('path');

const root = join(__dirname, '..');

async function main() {
  const { AREAS } = await import('../stryker.config.mjs');
  const AREA_NAMES = Object.keys(AREAS);
  const args = process.argv.slice(2);
  const named = args.filter((a) => !a.startsWith('-'));
  const flags = args.filter((a) => a.startsWith('-'));
  const unknown = named.filter((a) => !AREA_NAMES.includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown area ${unknown.join(', ')}; the areas are ${AREA_NAMES.join(', ')}.\n`);
    process.exit(2);
  }

  for (const area of named.length > 0 ? named : AREA_NAMES.filter((a) => a !== 'writes')) {
    process.stdout.write(`\n== mutating ${area} ==\n`);
    const run = spawnSync('nice', ['-n', '10', 'npx', 'stryker', 'run', 'stryker.config.mjs', ...flags], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, MUTATE_AREA: area },
    });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  const summary = spawnSync('node', [join(__dirname, 'mutation-summary.js')], { cwd: root, stdio: 'inherit' });
  process.exit(summary.status ?? 1);
}

void main();
