'use strict';
/**
 * Entry of the fake `jetbackup5api` (test/support/bin/jetbackup5api): parses `-F`, `-D`, `-O`, records
 * the invocation, runs the function on the state under the lock, prints one envelope.
 */
const path = require('path');
const { ENV } = require('./layout');
const { parsePhpQuery } = require('./php-query');
const { readKnobs } = require('./knobs');
const { nowFrom } = require('./clock');
const { withLockedState, recordInvocation } = require('./store');
const { handlers, FakeApiError, initialState } = require('./functions');
const { envelope, render } = require('./output');
const { accountIdFor } = require('./layout');

const OPTION_NAMES = { '-F': 'fn', '--func': 'fn', '-D': 'data', '--data': 'data', '-O': 'output', '--output': 'output' };

function parseArgs(argv) {
  const parsed = { fn: undefined, data: '', output: 'plain' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = OPTION_NAMES[name];
    if (!key) throw new FakeApiError(`Unknown argument "${arg}"`);
    const value = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new FakeApiError(`Missing value for ${arg}`);
    parsed[key] = value;
  }
  if (parsed.output !== 'json' && parsed.output !== 'plain') throw new FakeApiError(`Invalid output format "${parsed.output}"`);
  return parsed;
}

function readAccounts(env) {
  const raw = env[ENV.ACCOUNTS];
  if (!raw) return [];
  const map = JSON.parse(raw);
  return Object.entries(map).map(([username, zones]) => ({
    username,
    id: accountIdFor(username),
    zones: Array.isArray(zones) ? zones : [],
  }));
}

/** Runs one invocation; returns what to print and the exit code (no process side effects). */
function run(argv, env) {
  const stateDir = env[ENV.STATE];
  let format = argv.includes('json') ? 'json' : 'plain';
  if (!stateDir) return { stdout: render(envelope(false, `${ENV.STATE} is not set`, {}), format), exitCode: 2 };
  const stateDirAbs = path.resolve(stateDir);
  let knobs = readKnobs(env, stateDirAbs);
  let result;
  try {
    const args = parseArgs(argv);
    format = args.output;
    const params = parsePhpQuery(args.data);
    result = withLockedState(
      stateDirAbs,
      () => initialState(nowFrom(knobs)),
      (state) => {
        knobs = readKnobs(env, stateDirAbs);
        const now = nowFrom(knobs);
        recordInvocation(stateDirAbs, { argv, fn: args.fn, params, at: new Date(now).toISOString() });
        const handler = args.fn && Object.prototype.hasOwnProperty.call(handlers, args.fn) ? handlers[args.fn] : null;
        if (!handler) throw new FakeApiError(`Function "${args.fn}" not found`);
        if (knobs.failFunctions && knobs.failFunctions[args.fn]) throw new FakeApiError(String(knobs.failFunctions[args.fn]));
        const ctx = {
          stateDir: stateDirAbs,
          zonesDir: env[ENV.ZONES_DIR] ? path.resolve(env[ENV.ZONES_DIR]) : null,
          afterRestore: env[ENV.AFTER_RESTORE] || null,
          accounts: readAccounts(env),
          knobs,
        };
        return handler({ params, ctx, state, now });
      },
    );
  } catch (err) {
    if (!(err instanceof FakeApiError)) {
      return {
        stdout: render(envelope(false, `fake jetbackup5api internal error: ${err.message}`, {}), format),
        stderr: `${err.stack}\n`,
        exitCode: 70,
      };
    }
    const exitCode = knobs.exitCode === null || knobs.exitCode === undefined ? 1 : Number(knobs.exitCode);
    return {
      stdout: `${knobs.stdoutPrefix || ''}${render(envelope(false, err.message, knobs.emptyData === 'array' ? [] : {}), format)}`,
      exitCode,
    };
  }
  const exitCode = knobs.exitCode === null || knobs.exitCode === undefined ? 0 : Number(knobs.exitCode);
  return { stdout: `${knobs.stdoutPrefix || ''}${render(envelope(true, result.message, result.data), format)}`, exitCode };
}

function main() {
  const outcome = run(process.argv.slice(2), process.env);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.stdout.write(outcome.stdout, () => process.exit(outcome.exitCode));
}

module.exports = { run, main, parseArgs };
