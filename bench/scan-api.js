'use strict';
/**
 * The same scan through WHM's API, against the simulator in its own process:
 * `node bench/scan-api.js <accounts>`. The baseline, in the same run: the fast path over the very
 * zone files the simulator serves. WHM calls are allowed at 1000/s (config maximum); on a real server
 * `cpanel.rateLimitPerSecond` (default 20) bounds this path far below what is measured here.
 */
const fs = require('fs');
const path = require('path');
const { dist, synthetic, timed, report, tempDir, startChild, log, runMain } = require('./common');

async function main() {
  const accounts = Number(process.argv[2] ?? 9091);
  const dir = tempDir('scan-api');
  const zonesDir = path.join(dir, 'zones');
  fs.mkdirSync(zonesDir);
  const sim = startChild('sim-server.js', [zonesDir, String(accounts)]);
  try {
    const { whmUrl, fingerprint, token } = await sim.ready;
    const { parseConfig } = dist('config');
    const { createServices } = dist('services');
    const { runScan } = dist('usecases/scan');
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, token, { mode: 0o600 });
    const files = {
      userdomains: path.join(dir, 'userdomains'),
      cpanelUsers: path.join(dir, 'users'),
      dkimPublicKeys: path.join(dir, 'keys'),
    };
    synthetic.writeAccountFiles(files, { accounts, staleEvery: 20 });
    const base = {
      provider: { authId: 'webhostingm' },
      cpanel: { transport: 'https', whmUrl, fingerprint, tokenFile, rateLimitPerSecond: 1000, timeoutMs: 60000 },
      paths: { namedDir: zonesDir, ...files },
    };

    const viaApi = createServices(parseConfig({ ...base, paths: { ...base.paths, journal: path.join(dir, 'api.db') } }));
    let api;
    try {
      const ctx = await viaApi.scanContext({ viaApi: true });
      api = await timed(() => runScan(ctx));
      log(`api: ${api.value.zonesDone} zones in ${(api.ms / 1000).toFixed(1)} s`);
    } finally {
      viaApi.close();
    }
    const viaFiles = createServices(parseConfig({ ...base, paths: { ...base.paths, journal: path.join(dir, 'files.db') } }));
    let fast;
    try {
      const ctx = await viaFiles.scanContext();
      fast = await timed(() => runScan(ctx));
    } finally {
      viaFiles.close();
    }
    report({ zones: api.value.zonesDone, domains: api.value.domainsDone, errors: api.value.errors, apiMs: api.ms, filesMs: fast.ms });
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
