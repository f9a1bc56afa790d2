'use strict';
/**
 * Bulk repair of 500 stale zones end to end: the simulator (HTTPS) with a real PowerDNS serving its
 * zone files, both in their own process; backup off, journal on (SQLite, durable), verification on
 * (every authoritative nameserver asked). `node bench/bulk.js [zones]`.
 * Baseline, in the same run on an identical server: only the WHM calls a repair cannot avoid (read
 * the zone, send the edit, read it back), same concurrency — no journal, no lookups, no verification.
 * Also the time per step, from the repair's own step events.
 */
const fs = require('fs');
const path = require('path');
const { dist, synthetic, timed, report, tempDir, startChild, log, runMain } = require('./common');

const CONCURRENCY = 4;

/** What happened between the previous step event and this one. */
const STEP_LABELS = {
  'read:start': 'lookup + zone lock',
  'read:done': 'read zone',
  'plan:done': 'diagnose + plan',
  'backup:start': 'journal',
  'backup:skip': 'backup (off)',
  'backup:done': 'backup',
  'backup:warn': 'backup',
  'apply:start': 'journal',
  'apply:done': 'edit + read back',
  'verify:start': 'journal',
  'verify:done': 'verify on nameservers',
  'verify:warn': 'verify on nameservers',
};

/** Accounts giving `zones` zones (every 10th account has an addon zone), all of them stale. */
function accountsFor(zones) {
  let a = Math.floor((zones * 10) / 11);
  while (a + Math.floor(a / 10) < zones) a++;
  return a;
}

async function server(dir, accounts) {
  const zonesDir = path.join(dir, 'zones');
  fs.mkdirSync(zonesDir, { recursive: true });
  const child = startChild('sim-server.js', [zonesDir, String(accounts), 'pdns', '1']);
  const info = await child.ready;
  return { ...info, zonesDir, stop: () => child.stop() };
}

function configFor(dir, sim) {
  const { parseConfig } = dist('config');
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, sim.token, { mode: 0o600 });
  return parseConfig({
    provider: { authId: 'webhostingm' },
    cpanel: { transport: 'https', whmUrl: sim.whmUrl, fingerprint: sim.fingerprint, tokenFile, rateLimitPerSecond: 1000, timeoutMs: 60000 },
    // SPF lookups during diagnosis go to the local PowerDNS too (it refuses names outside its zones at
    // once): this machine has no internet, and waiting for an unreachable resolver is not our cost.
    dns: {
      port: sim.pdnsPort,
      resolvers: [`127.0.0.1:${sim.pdnsPort}`],
      nameserverAddresses: { 'ns1.example.net': ['127.0.0.1'], 'ns2.example.net': ['127.0.0.1'] },
      timeoutMs: 1000,
      retries: 1,
    },
    backup: { policy: 'off' },
    paths: { journal: path.join(dir, 'journal.db') },
  });
}

function staleDomains(accounts) {
  const out = [];
  for (const z of synthetic.zonesOf({ accounts, staleEvery: 1 })) for (const d of z.lockdownDomains) out.push({ domain: d, zone: z.name });
  return out;
}

async function bulkRun(dir, accounts, domains) {
  const sim = await server(dir, accounts);
  const { createServices } = dist('services');
  const { createJobRunner, registerChangeJobs } = dist('usecases/jobs');
  const { registerServerJobs, bulkFixHandler, startBulkFix, bulkReport } = dist('usecases/bulk');
  const services = createServices(configFor(dir, sim));
  try {
    const runner = createJobRunner({ queue: services.store });
    registerChangeJobs(runner, { context: () => services.repairContext(), scans: services.store });
    const deps = services.serverJobDeps();
    registerServerJobs(runner, deps);
    const steps = {};
    const inner = bulkFixHandler(deps.bulk);
    // The same handler, its step events timed: each interval is named by the event that ends it.
    runner.register(
      'bulk-fix',
      async (ictx) => {
        let last = Date.now();
        const add = (label, until) => {
          steps[label] = (steps[label] ?? 0) + (until - last);
          last = until;
        };
        const outcome = await inner({
          ...ictx,
          progress: (step, event) => {
            if (event && event.at) add(STEP_LABELS[`${event.step}:${event.state}`] ?? event.step, Date.parse(event.at));
            ictx.progress(step, event);
          },
        });
        add('record result', Date.now());
        return outcome;
      },
      { concurrency: CONCURRENCY },
    );
    const actor = { kind: 'cli', name: 'bench' };
    const { ms } = await timed(async () => {
      const job = startBulkFix(runner, domains, actor, { concurrency: CONCURRENCY });
      await runner.settled(job.id);
      return job;
    });
    const job = services.store.listJobs({ kind: 'bulk-fix', limit: 1 })[0];
    const outcome = bulkReport({ queue: services.store }, job.id);
    return { ms, counts: outcome.counts, steps };
  } finally {
    services.close();
    await sim.stop();
  }
}

/** The WHM calls a repair cannot avoid, and nothing else. */
async function baselineRun(dir, accounts, domains) {
  const sim = await server(dir, accounts);
  const { createServices } = dist('services');
  const { diagnoseDomain } = dist('usecases/diagnose');
  const config = configFor(dir, sim);
  const services = createServices(config);
  try {
    const byZone = new Map();
    for (const d of domains) byZone.set(d.zone, [...(byZone.get(d.zone) ?? []), d.domain]);
    const zones = [...byZone.keys()];
    let next = 0;
    let edits = 0;
    const lane = async () => {
      while (next < zones.length) {
        const zone = zones[next++];
        for (const domain of byZone.get(zone)) {
          const before = await services.zones.readZone(zone);
          const { plan } = await diagnoseDomain({ domain, zone: before, config });
          if (!plan) continue;
          await services.zones.massEdit(plan);
          await services.zones.readZone(zone);
          edits++;
        }
      }
    };
    const { ms } = await timed(() => Promise.all(Array.from({ length: CONCURRENCY }, lane)));
    return { ms, edits };
  } finally {
    services.close();
    await sim.stop();
  }
}

async function main() {
  const zones = Number(process.argv[2] ?? 500);
  const accounts = accountsFor(zones);
  const domains = staleDomains(accounts);
  const dir = tempDir('bulk');
  try {
    const baseline = await baselineRun(path.join(dir, 'baseline'), accounts, domains);
    log(`bulk baseline: ${baseline.edits} edits in ${(baseline.ms / 1000).toFixed(1)} s`);
    const bulk = await bulkRun(path.join(dir, 'bulk'), accounts, domains);
    log(`bulk: ${JSON.stringify(bulk.counts)} in ${(bulk.ms / 1000).toFixed(1)} s`);
    const perDomain = Object.fromEntries(Object.entries(bulk.steps).map(([k, v]) => [k, v / domains.length]));
    report({
      zones,
      domains: domains.length,
      concurrency: CONCURRENCY,
      ms: bulk.ms,
      counts: bulk.counts,
      baselineMs: baseline.ms,
      baselineEdits: baseline.edits,
      stepMsPerDomain: perDomain,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
