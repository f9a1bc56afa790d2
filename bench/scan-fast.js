'use strict';
/**
 * Child process of the fast-path scan benchmark (run by run.js, one size per process so its peak RSS
 * is its own):
 *   node bench/scan-fast.js generate <dir> <accounts>   write a synthetic server's files
 *   node bench/scan-fast.js read <dir>                  the baseline: read every file the scan reads
 *   node bench/scan-fast.js scan <dir> [workers]        the scan, through the product's composition root
 */
const fs = require('fs');
const path = require('path');
const { dist, synthetic, timed, peakRssMiB, report, tempDir, runMain } = require('./common');

function pathsOf(dir) {
  return {
    namedDir: path.join(dir, 'named'),
    userdomains: path.join(dir, 'userdomains'),
    cpanelUsers: path.join(dir, 'users'),
    dkimPublicKeys: path.join(dir, 'domain_keys', 'public'),
  };
}

/** What the scan reads, file by file, with nothing done to the bytes. */
function readAll(dir) {
  const p = pathsOf(dir);
  let files = 0;
  let bytes = 0;
  const read = (file) => {
    try {
      bytes += fs.readFileSync(file).length;
      files++;
    } catch {
      // a domain without a DKIM key file: the scan tries it too
    }
  };
  read(p.userdomains);
  for (const user of fs.readdirSync(p.cpanelUsers)) read(path.join(p.cpanelUsers, user));
  for (const name of fs.readdirSync(p.namedDir)) read(path.join(p.namedDir, name));
  const domains = fs
    .readFileSync(p.userdomains, 'latin1')
    .split('\n')
    .map((l) => l.split(':')[0])
    .filter((d) => d && d !== '*');
  for (const d of domains) read(path.join(p.dkimPublicKeys, d));
  return { files, bytes };
}

async function main() {
  const [mode, dir, arg] = process.argv.slice(2);
  if (mode === 'generate') {
    const { summary } = synthetic.writeServerFiles(dir, { accounts: Number(arg), staleEvery: 20 });
    report({ zones: summary.zones, domains: summary.domains, staleZones: summary.staleZones.length });
    return;
  }
  if (mode === 'read') {
    const { ms, value } = await timed(async () => readAll(dir));
    report({ ms, ...value, rssMiB: peakRssMiB() });
    return;
  }
  if (mode === 'scan') {
    // As `fix-email-auth scan` does (src/cli/commands/scan.ts), unless asked for V8's defaults.
    if (process.env.BENCH_V8_DEFAULTS !== '1') dist('cli/commands/scan').boundHeapGrowth();
    const { parseConfig } = dist('config');
    const { createServices } = dist('services');
    const { runScan } = dist('usecases/scan');
    const state = tempDir('journal');
    const p = pathsOf(dir);
    const config = parseConfig({
      provider: { authId: 'webhostingm' },
      paths: {
        namedDir: p.namedDir,
        userdomains: p.userdomains,
        cpanelUsers: p.cpanelUsers,
        dkimPublicKeys: p.dkimPublicKeys,
        journal: path.join(state, 'journal.db'),
      },
    });
    const services = createServices(config, arg === undefined ? {} : { scanWorkers: Number(arg) });
    try {
      const ctx = await services.scanContext();
      if (ctx.source.kind !== 'files') throw new Error('the fast path was not taken');
      const cpu0 = process.cpuUsage();
      const { ms, value } = await timed(() => runScan(ctx));
      const cpu = process.cpuUsage(cpu0);
      const stale = services.store.queryScanResults({ code: 'LOCKDOWN_STALE', limit: 1 }).total;
      report({
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        zones: value.zonesDone,
        domains: value.domainsDone,
        errors: value.errors,
        stale,
        rssMiB: peakRssMiB(),
      });
    } finally {
      services.close();
      fs.rmSync(state, { recursive: true, force: true });
    }
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

runMain(main);
