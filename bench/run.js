'use strict';
/**
 * `npm run bench` (builds first): every benchmark of issue 7, each in child processes of its own, each
 * with its baseline measured in the same run, then one table of results and targets.
 *
 *   node bench/run.js [--quick] [--only scan-fast,scan-api,dns,bulk,exim,fairshare,fleet,user-page,follow]
 *
 * --quick shrinks every size (a smoke run, not a measurement). See RESULTS.md for a run on record.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { machine, median, tempDir, log } = require('./common');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(String(args[onlyArg + 1] ?? '').split(',')) : null;
const want = (name) => !only || only.has(name);

/** Run a benchmark child; its last stdout line is its JSON result. */
function child(script, childArgs, env = {}) {
  const out = execFileSync(process.execPath, [path.join(__dirname, script), ...childArgs.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, ...env },
  });
  const lines = out.toString().trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Accounts of the synthetic server for a number of zones (every 10th account has an addon zone). */
function accountsFor(zones) {
  let a = Math.floor((zones * 10) / 11);
  while (a + Math.floor(a / 10) < zones) a++;
  return a;
}

const rows = [];
const results = {};
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : String(n));
function row(bench, metric, value, baseline, ratio, target, met) {
  rows.push({ bench, metric, value, baseline, ratio, target, met: met === undefined ? '' : met ? 'yes' : 'NO' });
}

function scanFast() {
  const small = quick ? 1000 : 10000;
  const large = quick ? 5000 : 50000;
  const dir = tempDir('scan-fast');
  try {
    const dirSmall = path.join(dir, 'small');
    const gen = child('scan-fast.js', ['generate', dirSmall, accountsFor(small)]);
    log(`scan-fast: ${gen.zones} zones, ${gen.domains} domains, ${gen.staleZones} stale zones`);
    child('scan-fast.js', ['read', dirSmall]); // warm the page cache
    const reads = [];
    const scans = [];
    for (let round = 0; round < 3; round++) {
      reads.push(child('scan-fast.js', ['read', dirSmall]));
      scans.push(child('scan-fast.js', ['scan', dirSmall]));
      log(
        `scan-fast round ${round + 1}: read ${fmt(reads[round].ms)} ms, scan ${fmt(scans[round].ms)} ms, rss ${fmt(scans[round].rssMiB)} MiB`,
      );
    }
    const readMs = median(reads.map((r) => r.ms));
    const scanMs = median(scans.map((r) => r.ms));
    const rssSmall = Math.max(...scans.map((r) => r.rssMiB));
    const defaultsSmall = [0, 1, 2].map(() => child('scan-fast.js', ['scan', dirSmall], { BENCH_V8_DEFAULTS: '1' }).rssMiB);
    // Worker threads are the default from 4 cores; here, what one worker does on this machine.
    const withWorker = median([0, 1, 2].map(() => child('scan-fast.js', ['scan', dirSmall, 1]).ms));
    fs.rmSync(dirSmall, { recursive: true, force: true });

    const dirLarge = path.join(dir, 'large');
    child('scan-fast.js', ['generate', dirLarge, accountsFor(large)]);
    child('scan-fast.js', ['read', dirLarge]);
    const bigs = [0, 1, 2].map(() => child('scan-fast.js', ['scan', dirLarge]));
    const big = { ...bigs[0], ms: median(bigs.map((b) => b.ms)), rssMiB: Math.max(...bigs.map((b) => b.rssMiB)) };
    const defaultsLarge = [0, 1, 2].map(() => child('scan-fast.js', ['scan', dirLarge], { BENCH_V8_DEFAULTS: '1' }).rssMiB);
    log(
      `scan-fast ${big.zones} zones: ${fmt(big.ms)} ms, rss ${fmt(big.rssMiB)} MiB; V8 defaults: ${defaultsSmall.map((r) => fmt(r))} / ${defaultsLarge.map((r) => fmt(r))} MiB`,
    );

    const zonesPerS = (gen.zones / scanMs) * 1000;
    results['scan-fast'] = {
      zones: gen.zones,
      domains: gen.domains,
      readMs,
      scanMs,
      scans,
      reads,
      rssSmall,
      withWorkerMs: withWorker,
      large: bigs,
      v8DefaultsRss: { small: defaultsSmall, large: defaultsLarge },
    };
    row('fast-path scan', `zones/s (${gen.zones} zones, ${gen.domains} domains)`, fmt(zonesPerS), '', '', '≥ 5000', zonesPerS >= 5000);
    row(
      'fast-path scan',
      `zones/s with 1 worker thread (${require('os').availableParallelism()} cores)`,
      fmt((gen.zones / withWorker) * 1000),
      `${fmt(scanMs)} ms in-thread`,
      `${fmt(scanMs / withWorker, 2)}×`,
      '',
      undefined,
    );
    row(
      'fast-path scan',
      'time vs reading the same files',
      `${fmt(scanMs)} ms`,
      `${fmt(readMs)} ms`,
      `${fmt(scanMs / readMs, 1)}×`,
      '≤ 3×',
      scanMs / readMs <= 3,
    );
    row('fast-path scan', `peak RSS, ${gen.zones} zones`, `${fmt(rssSmall)} MiB`, '', '', '< 300 MB', rssSmall * 1.048576 < 300);
    row(
      'fast-path scan',
      `peak RSS, ${big.zones} zones (flat?)`,
      `${fmt(big.rssMiB)} MiB`,
      `${fmt(rssSmall)} MiB`,
      `${fmt(big.rssMiB / rssSmall, 2)}×`,
      '≈ 1× (flat)',
      big.rssMiB / rssSmall <= 1.25,
    );
    row('fast-path scan', `zones/s, ${big.zones} zones`, fmt((big.zones / big.ms) * 1000), '', '', '', undefined);
    const dl = Math.max(...defaultsLarge);
    const ds = Math.max(...defaultsSmall);
    row(
      'fast-path scan',
      "peak RSS with V8's default heap growth, 50k vs 10k",
      `${fmt(dl)} MiB`,
      `${fmt(ds)} MiB`,
      `${fmt(dl / ds, 2)}×`,
      '',
      undefined,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function scanApi() {
  const zones = quick ? 1000 : 10000;
  const r = child('scan-api.js', [accountsFor(zones)]);
  results['scan-api'] = r;
  row(
    'API-path scan',
    `zones/s (${r.zones} zones over HTTPS, 1000 calls/s allowed)`,
    fmt((r.zones / r.apiMs) * 1000),
    '',
    '',
    '',
    undefined,
  );
  row(
    'API-path scan',
    'time vs the fast path on the same zones',
    `${fmt(r.apiMs)} ms`,
    `${fmt(r.filesMs)} ms`,
    `${fmt(r.apiMs / r.filesMs, 1)}×`,
    '',
    undefined,
  );
}

function dns() {
  const r = child('dns.js', [quick ? 2000 : 10000]);
  results.dns = r;
  if (r.skipped) {
    row('DNS verification', 'skipped', r.skipped, '', '', '≥ 1.0×', undefined);
    return;
  }
  row(
    'DNS verification',
    `${r.domains} TXT queries to PowerDNS, 64 in flight (median of 7)`,
    `${fmt(r.oursMs)} ms`,
    `${fmt(r.nodeMs)} ms (node:dns)`,
    `${fmt(r.nodeMs / r.oursMs, 2)}× (paired ${fmt(r.pairedRatio, 2)}×)`,
    '≥ 1.0×',
    r.pairedRatio >= 1.0,
  );
  row(
    'DNS verification',
    'project resolver function (SPF lookups)',
    `${fmt(r.resolverMs)} ms`,
    `${fmt(r.nodeMs)} ms (node:dns)`,
    `${fmt(r.nodeMs / r.resolverMs, 2)}×`,
    '',
    undefined,
  );
}

function bulk() {
  const zones = quick ? 60 : 500;
  const r = child('bulk.js', [zones]);
  results.bulk = r;
  row(
    'bulk repair',
    `zones/s (${r.zones} stale zones, ${r.domains} domains, ${r.concurrency} at once)`,
    fmt((r.zones / r.ms) * 1000, 1),
    '',
    '',
    '',
    undefined,
  );
  row(
    'bulk repair',
    'time vs the bare WHM calls (read, edit, read back)',
    `${fmt(r.ms)} ms`,
    `${fmt(r.baselineMs)} ms`,
    `${fmt(r.ms / r.baselineMs, 2)}×`,
    '',
    undefined,
  );
  const steps = Object.entries(r.stepMsPerDomain)
    .map(([k, v]) => `${k} ${fmt(v, 1)}`)
    .join(', ');
  row('bulk repair', 'ms per domain by step', steps, '', '', '', undefined);
}

function exim() {
  const mib = quick ? 64 : 1024;
  const r = child('exim.js', [mib]);
  results.exim = r;
  row(
    'Exim log',
    `${fmt(r.mib)} MiB, ${r.lockdown} lockdown rejections (grep: ${r.counts.grep} lines)`,
    `${fmt(r.oursMs)} ms`,
    `${fmt(r.grepMs)} ms (grep -c)`,
    `${fmt(r.oursMs / r.grepMs, 2)}×`,
    '≤ 3×',
    r.oursMs / r.grepMs <= 3,
  );
}

function follow() {
  const mib = quick ? 16 : 256;
  const r = child('follow.js', [mib]);
  results.follow = r;
  row(
    'Log follower',
    `${fmt(r.mib)} MiB appended at full speed, ${r.lockdown} lockdown rejections`,
    `${fmt(r.oursMs)} ms`,
    `${fmt(r.tailMs)} ms (tail -F | grep)`,
    `${fmt(r.oursMs / r.tailMs, 2)}×`,
    '≤ 2×',
    r.oursMs / r.tailMs <= 2,
  );
  const perMinute = (ms) => (ms * 60_000) / r.idleMs;
  row(
    'Log follower',
    'CPU while the log is idle (ms per minute)',
    `${fmt(perMinute(r.oursIdleCpuMs))} ms`,
    `${fmt(perMinute(r.tailIdleCpuMs))} ms (tail -F | grep)`,
    '',
    '≤ 600 ms (1 % of a core)',
    perMinute(r.oursIdleCpuMs) <= 600,
  );
  const [b10, b100] = r.bursts;
  row(
    'Log follower',
    'heap after bursts of 10 000 / 100 000 rejections (20 domains)',
    `${fmt(b10.heapMiB, 1)} / ${fmt(b100.heapMiB, 1)} MiB`,
    `${fmt(r.memBefore.heapMiB, 1)} MiB before`,
    `${fmt(b100.heapMiB / b10.heapMiB, 2)}×`,
    'no growth with the burst (≤ 1.5×)',
    b100.heapMiB / b10.heapMiB <= 1.5,
  );
}

function userPage() {
  const r = child('user-page.js', [50, quick ? 5 : 20]);
  results['user-page'] = r;
  row(
    "user's list page",
    `${r.domains} domains, GET / over the socket, simulator behind (median of ${r.rounds})`,
    `${fmt(r.pageMs)} ms (p95 ${fmt(r.pageP95Ms)})`,
    `${fmt(r.callsMs)} ms (the cPanel calls alone)`,
    `${fmt(r.pageMs / r.callsMs, 2)}×`,
    '< 200 ms',
    r.pageMs < 200,
  );
  row(
    "user's list page",
    "the daemon's CPU per page",
    `${fmt(r.pageCpuMs)} ms`,
    `${fmt(r.diagnosisMs)} ms (diagnosis, wall)`,
    '',
    '',
    undefined,
  );
}

function fleet() {
  const servers = quick ? 10 : 100;
  const perServer = quick ? 500 : 2000;
  const r = child('fleet.js', [servers, perServer]);
  results.fleet = r;
  const rows = `${r.servers} servers × ${r.perServer} domains`;
  row(
    'fleet controller',
    `ingest of ${rows} (signed pushes, 500-row entries, 4 servers at once)`,
    `${fmt(r.ingestMs)} ms`,
    `${fmt(r.copyMs)} ms (bare COPY, same table)`,
    `${fmt(r.ingestMs / r.copyMs, 2)}×`,
    '',
    undefined,
  );
  row('fleet controller', 'rows/s ingested', fmt((r.rows / r.ingestMs) * 1000), fmt((r.copyRows / r.copyMs) * 1000), '', '', undefined);
  const first = r.rss.find((x) => x.servers >= r.servers / 5) ?? r.rss[0];
  const last = r.rss[r.rss.length - 1];
  const peak = Math.max(...r.rss.map((x) => x.rssMiB));
  row(
    'fleet controller',
    `RSS after ${first.servers} vs ${last.servers} servers (peak ${fmt(peak)} MiB)`,
    `${fmt(last.rssMiB)} MiB`,
    `${fmt(first.rssMiB)} MiB`,
    `${fmt(last.rssMiB / first.rssMiB, 2)}×`,
    'flat',
    last.rssMiB / first.rssMiB <= 1.25,
  );
  const slowest = Math.max(...Object.values(r.queries).map((q) => q.ms));
  const each = Object.entries(r.queries)
    .map(([k, q]) => `${k} ${fmt(q.ms)}`)
    .join(', ');
  row(
    'fleet controller',
    `domain list at ${r.rows} rows, median ms per filtered page (${each})`,
    `${fmt(slowest)} ms (slowest)`,
    '',
    '',
    '< 300 ms',
    slowest < 300,
  );
}

function fairshare() {
  const r = child('fairshare.js', quick ? ['--quick'] : []);
  results.fairshare = r;
  const page = `${r.user}'s page (median of ${r.retryAfter.times.length}) while another user floods`;
  const idle = `${fmt(r.idleMs)} ms idle`;
  for (const [mode, ms, ratio, counts] of [
    ['honouring Retry-After', r.retryAfterMs, r.retryAfterRatio, r.retryAfter.counts],
    ['re-sending 100 ms after each 429', r.stormMs, r.stormRatio, r.storm.counts],
    ['60 POST …/fix, re-sent 100 ms after each 429', r.jobsMs, r.jobsRatio, r.jobs.counts],
  ]) {
    const flooder = `${counts.pages} pages, ${counts.fixes} jobs, ${counts.tooMany} × 429`;
    row('fair share', `${page}, ${mode} (flooder: ${flooder})`, `${fmt(ms)} ms`, idle, `${fmt(ratio, 2)}×`, '≤ 2×', ratio <= 2);
  }
}

function main() {
  const info = machine();
  log(`machine: ${JSON.stringify(info)}`);
  const steps = { 'scan-fast': scanFast, 'scan-api': scanApi, dns, bulk, exim, fairshare, fleet, 'user-page': userPage, follow };
  for (const [name, fn] of Object.entries(steps)) {
    if (!want(name)) continue;
    try {
      fn();
    } catch (err) {
      row(name, 'FAILED', String(err && err.message ? err.message : err).split('\n')[0], '', '', '', false);
    }
  }
  const lines = ['| benchmark | metric | value | baseline | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.bench} | ${r.metric} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`);
  process.stdout.write(
    `\n${lines.join('\n')}\n\nMachine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.os}, Node ${info.node}, OpenSSL ${info.openssl}, ${info.pdns ?? 'no PowerDNS'}, ${info.grep ?? 'no grep'}; load average at start ${info.loadAverage.join(' ')}.\n`,
  );
  process.stdout.write(
    `\n<details><summary>raw</summary>\n\n\`\`\`json\n${JSON.stringify({ machine: info, quick, results }, null, 1)}\n\`\`\`\n</details>\n`,
  );
}

main();
