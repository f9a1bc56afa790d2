/**
 * localEpoch must equal the Date constructor in any server zone, DST changes included. Jest sandboxes
 * process.env, so each zone runs in a child Node process with TZ set; lineHead.ts has no imports, so
 * it is transpiled on the fly and evaluated there.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';

const source = readFileSync(join(__dirname, '../../../src/adapters/exim/lineHead.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;

const check = `
const m = { exports: {} }; new Function('module', 'exports', process.env.LINEHEAD_JS)(m, m.exports);
const { localEpoch } = m.exports;
const days = JSON.parse(process.env.DAYS); const out = [];
if (new Date(2026, 0, 1).getTimezoneOffset() === new Date(2026, 6, 1).getTimezoneOffset() && process.env.TZ !== 'UTC') out.push('zone not in effect');
for (const [month, day] of days) for (let d = day - 1; d <= day + 1; d++) for (let min = 0; min < 1440; min += 10) {
  const h = Math.floor(min / 60), mi = min % 60;
  const want = new Date(2026, month, d, h, mi, 30, 250).getTime(), got = localEpoch(2026, month, d, h, mi, 30, 250);
  if (want !== got) out.push(month + '-' + d + ' ' + h + ':' + mi + ' want ' + new Date(want).toISOString() + ' got ' + new Date(got).toISOString());
}
process.stdout.write(JSON.stringify(out));
`;

describe('localEpoch', () => {
  it.each([
    [
      'Europe/Berlin',
      [
        [2, 29],
        [9, 25],
      ],
    ],
    [
      'America/New_York',
      [
        [2, 8],
        [10, 1],
      ],
    ],
    [
      'Australia/Lord_Howe',
      [
        [3, 5],
        [9, 4],
      ],
    ],
    ['UTC', [[0, 15]]],
  ])('when the server zone is %s, then it equals the Date constructor every 10 minutes around both DST changes', (zone, days) => {
    const r = spawnSync(process.execPath, ['-e', check], {
      env: { TZ: zone, LINEHEAD_JS: js, DAYS: JSON.stringify(days) },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
