'use strict';
/**
 * Shared pieces of the benchmarks: the compiled product (dist/, built by `npm run bench`), timers,
 * machine details, temp dirs, and how a benchmark child reports (one JSON line on stdout).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.join(__dirname, '..');

/** A module of the compiled product; a clear message when `npm run build` has not run. */
function dist(rel) {
  const file = path.join(ROOT, 'dist', rel);
  try {
    return require(file);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && !fs.existsSync(`${file}.js`)) {
      throw new Error(`dist/${rel} is missing: run \`npm run build\` (or \`npm run bench\`, which builds first)`, { cause: err });
    }
    throw err;
  }
}

const synthetic = require(path.join(ROOT, 'test', 'fixtures', 'bulk', 'synthetic.js'));

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function timed(fn) {
  const start = nowMs();
  const value = await fn();
  return { ms: nowMs() - start, value };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function tempDir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `fea-bench-${name}-`));
}

/** Peak resident set of this process so far, MiB. */
function peakRssMiB() {
  return process.resourceUsage().maxRSS / 1024;
}

function machine() {
  const cpus = os.cpus();
  let openssl = process.versions.openssl;
  let pdns;
  try {
    pdns = execFileSync('pdns_server', ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
      .split('\n')[0];
  } catch (err) {
    const text = String((err && (err.stderr || err.stdout)) || '');
    pdns = /PowerDNS[^\n]*/.exec(text)?.[0] ?? null;
  }
  let grep;
  try {
    grep = execFileSync('grep', ['--version']).toString().split('\n')[0];
  } catch {
    grep = null;
  }
  return {
    cpu: cpus[0] ? cpus[0].model : 'unknown',
    cores: os.availableParallelism ? os.availableParallelism() : cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    openssl,
    pdns,
    grep,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** A benchmark child's result: the last stdout line is this JSON. */
function report(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function log(text) {
  process.stderr.write(`${text}\n`);
}

/**
 * Start `node <script> args…` and resolve with the JSON of its first stdout line (a server that says
 * where it listens); `stop()` closes its stdin and waits for it to exit.
 */
function startChild(script, args) {
  const { spawn } = require('child_process');
  const child = spawn(process.execPath, [path.join(__dirname, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
  });
  const ready = new Promise((resolve, reject) => {
    const look = () => {
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        child.stdout.off('data', look);
        resolve(JSON.parse(buffer.slice(0, nl)));
      }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return {
    ready,
    /** Close its stdin, wait for it to exit; resolves with the JSON of its last stdout line after the first, if any. */
    async stop() {
      child.stdin.end();
      await exited;
      const lines = buffer.trim().split('\n');
      return lines.length > 1 ? JSON.parse(lines[lines.length - 1]) : undefined;
    },
  };
}

/** Run a benchmark script's `main` and exit with its outcome (children are killed with the process). */
function runMain(main) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
      process.exit(1);
    },
  );
}

module.exports = { ROOT, dist, synthetic, nowMs, timed, median, tempDir, peakRssMiB, machine, report, log, startChild, runMain };
