'use strict';
/**
 * Shared by the recording stand-ins of cPanel's commands (README.md beside this file).
 * STUB_ROOT: the staged root (`install.sh --root DIR`) whose files the stand-ins read and write where
 * the real tools would; STUB_LOG: a JSON-lines file that gets one {cmd, args} line per call.
 */
const fs = require('fs');
const path = require('path');

function root() {
  const dir = process.env.STUB_ROOT;
  if (!dir) fail('STUB_ROOT is not set');
  return dir;
}

function record(cmd, args) {
  if (process.env.STUB_LOG) fs.appendFileSync(process.env.STUB_LOG, `${JSON.stringify({ cmd, args })}\n`);
}

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return fallback;
  }
}

/** Writes state, or removes its file when nothing is left (so an uninstall leaves no trace). */
function writeJson(file, value, isEmpty) {
  if (isEmpty(value)) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** `--name value` and `--name=value` options; the rest are positional. */
function parseOptions(args) {
  const options = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq !== -1) options[arg.slice(2, eq)] = arg.slice(eq + 1);
      else if (args[i + 1] !== undefined && !args[i + 1].startsWith('--')) options[arg.slice(2)] = args[++i];
      else options[arg.slice(2)] = true;
    } else positional.push(arg);
  }
  return { options, positional };
}

module.exports = { root, record, fail, readJson, writeJson, parseOptions };
