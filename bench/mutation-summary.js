#!/usr/bin/env node
/**
 * After the StrykerJS runs (npm run mutate, bench/mutate.js): each area's JSON report
 * (reports/mutation/<area>.json, the mutation-testing-report-schema StrykerJS writes) summed up into bench/mutation-score.json, and a
 * check that bench/MUTATION.md explains every surviving mutant (equivalent, or left and why). The
 * score is StrykerJS's: detected (killed + timeout) over valid mutants (detected + survived + no
 * coverage); compile errors (the TypeScript checker) and ignored mutants do not count.
 */
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('fs');
const { join, relative } = require('path');

const root = join(__dirname, '..');

async function main() {
  const { AREAS } = await import('../stryker.config.mjs');
  const AREA_NAMES = Object.keys(AREAS);
  const reportDir = process.argv[2] ?? join(root, 'reports', 'mutation');
  /** Every area's report (bench/mutate.js runs one StrykerJS per area); an area never run is an error. */
  // The areas that have a report; `writes` is a subset of `repair` and `jobs`, counted only without them.
  const present = AREA_NAMES.filter((a) => existsSync(join(reportDir, `${a}.json`)));
  const areas = present.includes('repair') && present.includes('jobs') ? present.filter((a) => a !== 'writes') : present;
  const notRun = AREA_NAMES.filter((a) => a !== 'writes' && !present.includes(a));
  if (areas.length === 0) {
    process.stderr.write(`No StrykerJS report in ${reportDir}: run npm run mutate first.\n`);
    process.exit(2);
  }
  const report = { files: {} };
  for (const area of areas) Object.assign(report.files, JSON.parse(readFileSync(join(reportDir, `${area}.json`), 'utf8')).files);

  const UNDETECTED = new Set(['Survived', 'NoCoverage']);

  function percent(detected, valid) {
    return valid === 0 ? 100 : Math.round((detected / valid) * 10000) / 100;
  }

  /** The key a survivor is listed under in MUTATION.md: `file:line:column Mutator`. */
  function keyOf(file, mutant) {
    return `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName}`;
  }

  const totals = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileErrors: 0, ignored: 0 };
  const files = [];
  const undetected = [];
  for (const [path, file] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const name = relative(root, join(root, path)).replace(/\\/g, '/');
    const counts = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const mutant of file.mutants) {
      if (mutant.status === 'Killed') counts.killed++;
      else if (mutant.status === 'Timeout') counts.timeout++;
      else if (mutant.status === 'Survived') counts.survived++;
      else if (mutant.status === 'NoCoverage') counts.noCoverage++;
      else if (mutant.status === 'CompileError') totals.compileErrors++;
      else totals.ignored++;
      if (UNDETECTED.has(mutant.status)) {
        const lines = file.source.split('\n');
        undetected.push({
          key: keyOf(name, mutant),
          status: mutant.status,
          original: (lines[mutant.location.start.line - 1] ?? '').trim(),
          replacement: mutant.replacement ?? '',
        });
      }
    }
    for (const k of Object.keys(counts)) totals[k] += counts[k];
    const detected = counts.killed + counts.timeout;
    files.push({ file: name, score: percent(detected, detected + counts.survived + counts.noCoverage), ...counts });
  }

  const detected = totals.killed + totals.timeout;
  const summary = {
    score: percent(detected, detected + totals.survived + totals.noCoverage),
    areas,
    notRun,
    killed: totals.killed,
    timeout: totals.timeout,
    survived: totals.survived,
    noCoverage: totals.noCoverage,
    compileErrors: totals.compileErrors,
    files,
  };
  writeFileSync(join(root, 'bench', 'mutation-score.json'), `${JSON.stringify(summary, null, 2)}\n`);

  const explainedPath = join(root, 'bench', 'MUTATION.md');
  const explained = existsSync(explainedPath) ? readFileSync(explainedPath, 'utf8') : '';
  const unexplained = undetected.filter((u) => !explained.includes(u.key));
  process.stdout.write(
    `Mutation score ${summary.score}% over ${areas.join(', ')}${notRun.length > 0 ? ` (not run: ${notRun.join(', ')})` : ''} (killed ${totals.killed}, timeout ${totals.timeout}, survived ${totals.survived}, no coverage ${totals.noCoverage}); bench/mutation-score.json written.\n`,
  );
  if (unexplained.length > 0) {
    process.stdout.write(`${unexplained.length} surviving mutant(s) not yet explained in bench/MUTATION.md:\n`);
    for (const u of unexplained)
      process.stdout.write(
        `| \`${u.key}\` | ${u.status} | \`${u.original.replace(/\|/g, '\\|')}\` → \`${u.replacement.replace(/\n/g, ' ').replace(/\|/g, '\\|').slice(0, 120)}\` | |\n`,
      );
    process.exitCode = 1;
  }
}

void main();
