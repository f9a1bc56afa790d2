'use strict';
/**
 * The cPanel user's list page for an account with many domains, as the browser gets it: `GET /`
 * through the daemon's Unix socket with the bridge's identity headers, the simulated cPanel/WHM and
 * a DNS answerer in another process behind it (bench/user-page-sim.js):
 * `node bench/user-page.js <domains> <rounds>`.
 *
 * The baseline, in the same run and the same process: the cPanel calls the page cannot avoid — the
 * account's domain list, the authority check and every zone read through WHM, as many at once as the
 * page reads them — so the ratio is what diagnosis and rendering add on top of cPanel's answers.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const { dist, median, nowMs, report, tempDir, startChild, log, runMain } = require('./common');

function get(socketPath, urlPath, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: urlPath, method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const p95 = (values) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)];

async function main() {
  const domains = Number(process.argv[2] ?? 50);
  const rounds = Number(process.argv[3] ?? 20);
  const dir = tempDir('user-page');
  const zonesDir = path.join(dir, 'named');
  fs.mkdirSync(zonesDir);
  fs.mkdirSync(path.join(dir, 'state'), { mode: 0o700 });
  const sim = startChild('user-page-sim.js', [zonesDir, String(domains)]);
  let services;
  let daemon;
  try {
    const s = await sim.ready;
    const { parseConfig } = dist('config');
    const { createServices } = dist('services');
    const { createDaemon } = dist('daemon');
    const { diagnoseDomains } = dist('usecases/inspect');
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, s.token, { mode: 0o600 });
    const endpoint = `127.0.0.1:${s.dnsPort}`;
    const config = parseConfig({
      provider: { authId: s.authId, senderIdTemplate: `${s.authId}|x-authuser|{user}` },
      dns: {
        port: s.dnsPort,
        resolvers: [endpoint],
        nameserverAddresses: Object.fromEntries(s.nameservers.map((ns) => [ns, [endpoint]])),
        timeoutMs: 1000,
        retries: 1,
      },
      backup: { policy: 'off' },
      cpanel: {
        transport: 'https',
        whmUrl: s.whmUrl,
        cpanelUrl: s.cpanelUrl,
        fingerprint: s.fingerprint,
        tokenFile,
        rateLimitPerSecond: 1000,
      },
      paths: {
        journal: path.join(dir, 'state', 'journal.db'),
        socket: path.join(dir, 'run', 'daemon.sock'),
        dkimPublicKeys: path.join(dir, 'keys'),
        eximMainlog: path.join(dir, 'exim_mainlog'),
      },
    });
    services = createServices(config);
    daemon = createDaemon(services, { listen: { socket: config.paths.socket }, log: () => undefined, shutdownDeadlineMs: 2000 });
    const { address } = await daemon.listen();
    const headers = { 'X-Fix-Email-Auth-User': 'many', 'X-Fix-Email-Auth-Role': 'user' };

    const first = await get(address, '/', headers);
    const rows = (first.body.match(/<tr data-domain=/g) ?? []).length;
    if (first.status !== 200 || rows !== domains) throw new Error(`the page answered ${first.status} with ${rows} rows, not ${domains}`);
    const fixButtons = (first.body.match(/data-action="row-fix"/g) ?? []).length;
    for (let i = 0; i < 3; i++) await get(address, '/', headers); // warm up both sides

    // The cPanel calls alone: what the page waits for before it can diagnose anything.
    const calls = async () => {
      const infos = await services.accounts.domainsOfUser('many');
      await services.accounts.localAuthority(infos.map((i) => i.domain));
      const zones = [...new Set(infos.map((i) => i.zone))];
      await Promise.all(zones.map((z) => services.zones.readZone(z)));
    };
    // And the diagnosis without HTTP and rendering, to say where the rest goes.
    const diagnosis = async () => {
      const infos = await services.accounts.domainsOfUser('many');
      await diagnoseDomains(services.repairContext(), infos);
    };

    const page = [];
    const pageCpu = [];
    const base = [];
    const diag = [];
    const cpuMs = (u) => (u.user + u.system) / 1000;
    for (let r = 0; r < rounds; r++) {
      let t = nowMs();
      await calls();
      base.push(nowMs() - t);
      t = nowMs();
      await diagnosis();
      diag.push(nowMs() - t);
      t = nowMs();
      const cpu = process.cpuUsage();
      const answer = await get(address, '/', headers);
      page.push(nowMs() - t);
      // The daemon's own CPU for the page (the simulator and DNS run elsewhere): steadier than wall time on a busy machine.
      pageCpu.push(cpuMs(process.cpuUsage(cpu)));
      if (answer.status !== 200) throw new Error(`round ${r}: HTTP ${answer.status}`);
    }
    log(
      `user page, ${domains} domains: median ${median(page).toFixed(1)} ms (daemon CPU ${median(pageCpu).toFixed(1)} ms), p95 ${p95(page).toFixed(1)} ms; cPanel calls ${median(base).toFixed(1)} ms`,
    );
    report({
      domains,
      rounds,
      fixButtons,
      bytes: Buffer.byteLength(first.body),
      pageMs: median(page),
      pageP95Ms: p95(page),
      pageCpuMs: median(pageCpu),
      diagnosisMs: median(diag),
      callsMs: median(base),
      page,
      calls: base,
    });
  } finally {
    if (daemon) await daemon.close();
    if (services) services.close();
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
