#!/usr/bin/env node
'use strict';
// `npm start`: the demo. Builds dist/ when it is missing or older than src/, then runs the simulated
// cPanel server, an authoritative DNS for its zones and the daemon on http://127.0.0.1:8765 (PORT to
// change). DNS is real PowerDNS when pdns_server is installed — started by the very code the tests
// use (src/simulator/powerdns.ts) — else the built-in answerer, labelled demo-only.
// Needs nothing but Node and `npm ci`.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

/** Newest modification time under a directory (files only). */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

function buildIfNeeded() {
  const dist = path.join(root, 'dist');
  const stale = !fs.existsSync(path.join(dist, 'daemon', 'demo', 'index.js')) || newest(path.join(root, 'src')) > newest(dist);
  if (!stale) return;
  process.stdout.write('Building (npx tsc -p tsconfig.build.json)…\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
}

function onPath(name) {
  const dirs = (process.env.PATH || '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin']);
  return dirs.some((dir) => dir && fs.existsSync(path.join(dir, name)));
}

/** The PowerDNS starter the tests use too (src/simulator/powerdns.ts), or null when not installed. */
function powerDnsStarter() {
  if (process.env.FIX_EMAIL_AUTH_DEMO_DNS === 'builtin') return null;
  if (!onPath('pdns_server') || !onPath('pdns_control')) return null;
  return require(path.join(root, 'dist', 'simulator', 'powerdns')).startPowerDns;
}

async function main() {
  buildIfNeeded();
  const { runDemo } = require(path.join(root, 'dist', 'daemon', 'demo'));
  const port = Number(process.env.PORT || 8765);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, not ${process.env.PORT}`);
  const pdns = powerDnsStarter();
  let pdnsError = null;
  const startPowerDns =
    pdns &&
    (async (options) => {
      try {
        return await pdns(options);
      } catch (err) {
        pdnsError = err;
        throw err;
      }
    });
  try {
    await runDemo({ port, ...(startPowerDns ? { startPowerDns } : {}) });
  } catch (err) {
    if (!pdnsError) throw err;
    // PowerDNS is installed but would not start here (ports, permissions): fall back, and say so.
    process.stderr.write(`PowerDNS did not start (${String(pdnsError.message).split('\n')[0]}); using the built-in demo DNS instead.\n`);
    await runDemo({ port });
  }
}

main().catch((err) => {
  process.stderr.write(`fix-email-auth demo: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
