'use strict';
/**
 * Fair share between tenants: one cPanel user's page time while another user floods the daemon,
 * against the same page on an idle daemon, in the same run. `node bench/fairshare.js [--quick]`.
 *
 * Four processes, as on a server: the cPanel/WHM simulator with a real PowerDNS (bench/sim-server.js),
 * the daemon on its Unix socket with the shipped defaults (20 WHM calls a second, domain map cached
 * 20 s, DEFAULT_FAIR_SHARE), the flooder, and this one, which times the other user's page
 * (`GET /api/domains` of an account with two zones: DNS authority, each zone read, SPF, DKIM and
 * DMARC lookups). Both send straight to the daemon's socket, without the bridges' cost.
 *
 * The flood: 60 requests of one user kept in flight, each sent again as soon as it is answered. Three
 * rounds:
 * - `retry-after`: 50 of its own page and 10 `POST …/fix` of its domain; after a 429 the flooder
 *   waits the Retry-After the daemon sent (2 s);
 * - `storm`: the same, but after a 429 it waits only 100 ms, about the least a request through cpsrvd
 *   and the adminbin costs, and never backs off;
 * - `jobs`: 60 `POST …/fix` (a repair job each time one is admitted), as a storm.
 * Target: the page under flood at most 2× the idle page.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const { dist, synthetic, median, tempDir, startChild, report, log, runMain } = require('./common');

const VICTIM_INDEX = 9; // synthetic account 9 has an addon domain: two zones
const FLOODER_INDEX = 19;
const PAGE = '/api/domains';

function call(socketPath, method, route, user) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        socketPath,
        method,
        path: route,
        headers: { Host: 'x', 'X-Fix-Email-Auth-User': user, 'X-Fix-Email-Auth-Role': 'user', Accept: 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            retryAfter: Number(res.headers['retry-after'] ?? 0),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, retryAfter: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end();
  });
}

async function pageTimes(socketPath, user, rounds) {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const r = await call(socketPath, 'GET', PAGE, user);
    if (r.status !== 200) throw new Error(`the page of ${user} answered ${r.status}`);
    times.push(r.ms);
  }
  return times;
}

/** The daemon in a process of its own: `node bench/fairshare.js daemon <config.json>`. */
async function daemonMain(configPath) {
  const { parseConfig } = dist('config');
  const { createServices } = dist('services');
  const { createDaemon } = dist('daemon');
  const config = parseConfig(JSON.parse(fs.readFileSync(configPath, 'utf8')));
  const services = createServices(config);
  // FAIRSHARE_LIMITS (JSON, e.g. {"perUserJobs":1}) tries other bounds than the shipped ones.
  const fairShare = process.env.FAIRSHARE_LIMITS ? JSON.parse(process.env.FAIRSHARE_LIMITS) : undefined;
  const daemon = createDaemon(services, {
    listen: { socket: config.paths.socket },
    log: () => undefined,
    ...(fairShare ? { fairShare } : {}),
  });
  await daemon.listen();
  process.stdout.write(`${JSON.stringify({ socket: config.paths.socket })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await daemon.close();
  services.close();
}

/**
 * The flooder in a process of its own (its requests must not be timed by the process that measures):
 * `node bench/fairshare.js flood <socket> <user> <domain> <retry-after|storm|jobs>`; its counts go to
 * stdout when stdin closes.
 */
async function floodMain(socket, user, domain, mode) {
  const counts = { pages: 0, fixes: 0, tooMany: 0, other: 0 };
  let flooding = true;
  const loop = async (method, route) => {
    while (flooding) {
      const r = await call(socket, method, route, user);
      if (r.status === 429) {
        counts.tooMany++;
        await new Promise((resolve) => setTimeout(resolve, mode === 'retry-after' ? r.retryAfter * 1000 : 100));
      } else if (r.status === 200) counts.pages++;
      else if (r.status === 202) counts.fixes++;
      else counts.other++;
    }
  };
  const pages = mode === 'jobs' ? 0 : 50;
  const loops = [
    ...Array.from({ length: pages }, () => loop('GET', PAGE)),
    ...Array.from({ length: 60 - pages }, () => loop('POST', `/api/domains/${domain}/fix`)),
  ];
  process.stdout.write(`${JSON.stringify({ flooding: loops.length })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  flooding = false;
  await Promise.all(loops);
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

function writeConfig(dir, sim) {
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, sim.token, { mode: 0o600 });
  const configPath = path.join(dir, 'config.json');
  fs.writeFileSync(
    configPath,
    JSON.stringify({
      provider: { authId: 'webhostingm' },
      cpanel: { transport: 'https', whmUrl: sim.whmUrl, fingerprint: sim.fingerprint, tokenFile },
      // SPF lookups go to the local PowerDNS (no internet here), as in bench/bulk.js.
      dns: {
        port: sim.pdnsPort,
        resolvers: [`127.0.0.1:${sim.pdnsPort}`],
        nameserverAddresses: { 'ns1.example.net': ['127.0.0.1'], 'ns2.example.net': ['127.0.0.1'] },
        timeoutMs: 1000,
        retries: 1,
      },
      backup: { policy: 'off' },
      paths: { journal: path.join(dir, 'journal.db'), socket: path.join(dir, 'run', 'daemon.sock') },
    }),
  );
  return configPath;
}

async function floodRound(socket, victim, flooder, mode, rounds) {
  const floodChild = startChild('fairshare.js', ['flood', socket, flooder.user, flooder.domain, mode]);
  await floodChild.ready;
  await new Promise((r) => setTimeout(r, 1000)); // the flood is on
  const times = await pageTimes(socket, victim, rounds);
  const counts = await floodChild.stop();
  log(
    `fairshare: ${victim}'s page while ${flooder.user} floods (${mode}): median ${median(times).toFixed(0)} ms; flooder ${JSON.stringify(counts)}`,
  );
  // The flooder's jobs end before the next round starts.
  await new Promise((r) => setTimeout(r, 3000));
  return { times, counts };
}

async function measure() {
  const rounds = process.argv.includes('--quick') ? 5 : 15;
  const dir = tempDir('fairshare');
  const zonesDir = path.join(dir, 'zones');
  fs.mkdirSync(zonesDir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'run'), { mode: 0o700 });
  const simChild = startChild('sim-server.js', [zonesDir, '40', 'pdns', '1']);
  let daemonChild;
  try {
    const configPath = writeConfig(dir, await simChild.ready);
    daemonChild = startChild('fairshare.js', ['daemon', configPath]);
    const { socket } = await daemonChild.ready;
    const victim = synthetic.accountAt(VICTIM_INDEX).user;
    const flooder = synthetic.accountAt(FLOODER_INDEX);

    await pageTimes(socket, victim, 2); // warm: code paths, the domain map, TLS sessions
    const idle = await pageTimes(socket, victim, rounds);
    log(`fairshare: ${victim}'s page on an idle daemon: median ${median(idle).toFixed(0)} ms`);
    const retryAfter = await floodRound(socket, victim, flooder, 'retry-after', rounds);
    const storm = await floodRound(socket, victim, flooder, 'storm', rounds);
    const jobs = await floodRound(socket, victim, flooder, 'jobs', rounds);
    const idleAgain = await pageTimes(socket, victim, rounds);
    const baseline = median([...idle, ...idleAgain]);
    log(`fairshare: idle again: median ${median(idleAgain).toFixed(0)} ms`);
    report({
      user: victim,
      idleMs: baseline,
      retryAfterMs: median(retryAfter.times),
      stormMs: median(storm.times),
      jobsMs: median(jobs.times),
      retryAfterRatio: median(retryAfter.times) / baseline,
      stormRatio: median(storm.times) / baseline,
      jobsRatio: median(jobs.times) / baseline,
      idle: [...idle, ...idleAgain],
      retryAfter,
      storm,
      jobs,
    });
  } finally {
    if (daemonChild) await daemonChild.stop();
    await simChild.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(async () => {
  if (process.argv[2] === 'daemon') return daemonMain(process.argv[3]);
  if (process.argv[2] === 'flood') return floodMain(process.argv[3], process.argv[4], process.argv[5], process.argv[6]);
  return measure();
});
