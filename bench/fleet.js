'use strict';
/**
 * Fleet controller at scale: `node bench/fleet.js <servers> <domainsPerServer>`.
 *
 * A throw-away PostgreSQL (the system's packages), one controller process (`fix-email-auth fleet
 * serve`), and simulated servers: each enrolls with a one-time token and pushes its domains as signed
 * pushes of 500-row entries, four servers at a time, exactly as the server side does. Measured:
 * - ingest: wall time for every server's push, rows/s, against a bare `COPY` of the same rows into a
 *   table of the same shape and indexes (pg-copy-streams), measured in the same run;
 * - the controller's resident memory after each tenth of the servers (flat = it does not grow with
 *   what it has ingested);
 * - the fleet domain list at full size: median of 7 `GET /domains?format=json` per filter, through
 *   HTTP with a signed-in session (what the page does: the count and one page of 100).
 * One JSON line on stdout.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Pool } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { pipeline } = require('stream/promises');
const { Readable } = require('stream');
const { ROOT, dist, median, nowMs, report, log, runMain } = require('./common');

const { startPostgresCluster } = dist('fleet/dev/postgresCluster.js');
const protocol = dist('fleet/protocol/index.js');
const store = dist('fleet/store/index.js');

const SERVERS = Number(process.argv[2] ?? 100);
const PER_SERVER = Number(process.argv[3] ?? 2000);
const IN_FLIGHT = 4;
const ROWS_PER_ENTRY = protocol.MAX_ROWS_PER_ENTRY;

/** Server s's domains: 400 accounts of 5 domains, 20 resellers; 5 % stale, 3 % missing DKIM, 2 % unknown. */
function domainsOf(s, scannedAt) {
  const rows = [];
  for (let i = 0; i < PER_SERVER; i++) {
    const account = Math.floor(i / 5);
    const domain = `d${i}.a${account}.s${s}.example`;
    const kind = i % 100;
    const stale = kind < 5;
    const warn = kind >= 5 && kind < 8;
    const unknown = kind >= 98;
    const codes = unknown
      ? []
      : stale
        ? ['LOCKDOWN_STALE', 'SPF_OK', 'DKIM_OK', 'DMARC_OK']
        : warn
          ? ['LOCKDOWN_OK', 'SPF_OK', 'DKIM_MISSING', 'DMARC_OK']
          : ['LOCKDOWN_OK', 'SPF_OK', 'DKIM_OK', 'DMARC_OK'];
    const findings = stale
      ? [
          {
            code: 'LOCKDOWN_STALE',
            severity: 'error',
            message: `The _mailchannels record of ${domain} names another provider (auth=oldhost): MailChannels rejects its mail.`,
          },
        ]
      : warn
        ? [{ code: 'DKIM_MISSING', severity: 'warning', message: `No DKIM key is published for ${domain} at default._domainkey.` }]
        : [];
    rows.push({
      domain,
      zone: `a${account}.s${s}.example`,
      user: `u${account}s${s}`,
      owner: `res${(account * 7 + s) % 20}`,
      status: unknown ? 'unknown' : stale ? 'error' : warn ? 'warning' : 'ok',
      codes,
      findings,
      scannedAt,
    });
  }
  return rows;
}

function startController(env) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'fix-email-auth'), 'fleet', 'serve', '--listen', '127.0.0.1:0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr.on('data', (c) => {
      buffer += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buffer);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`fleet serve exited with ${code}: ${buffer.slice(-2000)}`)));
  });
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function enrollAll(pool, base) {
  const servers = [];
  for (let s = 1; s <= SERVERS; s++) {
    const token = protocol.newEnrollmentToken();
    await store.createEnrollmentToken(pool, { token, serverName: `s${s}`, createdBy: 'bench', expiresInHours: 1 });
    const keys = protocol.generateServerKeys();
    const info = { hostname: `s${s}.example.net`, version: 'bench' };
    const answer = await post(`${base}/api/v1/enroll`, JSON.stringify({ protocol: 1, token, publicKey: keys.publicKey, info }), {});
    servers.push({ s, id: answer.serverId, keys, info });
  }
  return servers;
}

async function pushServer(base, server, rows) {
  const entries = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_ENTRY)
    entries.push({ seq: entries.length + 1, kind: 'domains', rows: rows.slice(i, i + ROWS_PER_ENTRY) });
  const body = JSON.stringify({ protocol: protocol.PROTOCOL_VERSION, info: server.info, entries });
  const authorization = protocol.signRequest({ endpoint: 'push', serverId: server.id, body, privateKeyPem: server.keys.privateKeyPem });
  const answer = await post(`${base}/api/v1/push`, body, { authorization });
  if (answer.ackedSeq !== entries.length) throw new Error(`server ${server.s}: acked ${answer.ackedSeq} of ${entries.length}`);
  return Buffer.byteLength(body);
}

/** The same rows, through COPY FROM STDIN into a table like fleet_domains (same columns, indexes, generated rank). */
async function bareCopy(pool, servers, scannedAt) {
  await pool.query('DROP TABLE IF EXISTS bench_copy');
  await pool.query('CREATE TABLE bench_copy (LIKE fleet_domains INCLUDING ALL)');
  const esc = (v) => String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const arr = (list) => `{${list.map((c) => `"${c}"`).join(',')}}`;
  const client = await pool.connect();
  try {
    const start = nowMs();
    const stream = client.query(
      copyFrom('COPY bench_copy (server_id, domain, zone, cpanel_user, owner, status, codes, findings, scanned_at) FROM STDIN'),
    );
    async function* lines() {
      for (const server of servers) {
        let text = '';
        for (const r of domainsOf(server.s, scannedAt))
          text += `${server.id}\t${esc(r.domain)}\t${esc(r.zone)}\t${esc(r.user)}\t${esc(r.owner)}\t${r.status}\t${esc(arr(r.codes))}\t${esc(JSON.stringify(r.findings))}\t${r.scannedAt}\n`;
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), stream);
    const ms = nowMs() - start;
    const n = Number((await client.query('SELECT count(*) AS n FROM bench_copy')).rows[0].n);
    return { ms, rows: n };
  } finally {
    client.release();
    await pool.query('DROP TABLE IF EXISTS bench_copy');
  }
}

async function queryTimes(base, cookie, servers) {
  const mid = servers[Math.floor(servers.length / 2)];
  const filters = {
    'status=error': 'status=error',
    'reseller + status': 'owner=res7&status=error',
    'finding code': 'code=LOCKDOWN_STALE',
    'one server, worst first': `server=${mid.id}`,
    account: `user=u17s${mid.s}`,
    'name prefix': `prefix=d1.a0.`,
    'everything, page 50': 'page=50',
  };
  const out = {};
  for (const [name, query] of Object.entries(filters)) {
    const times = [];
    let total = 0;
    for (let i = 0; i < 8; i++) {
      const start = nowMs();
      const res = await fetch(`${base}/domains?format=json&page=1&${query}`.replace('page=1&page=50', 'page=50'), {
        headers: { cookie, accept: 'application/json' },
      });
      const json = await res.json();
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(json)}`);
      total = json.total;
      if (i > 0) times.push(nowMs() - start); // the first warms the plan cache
    }
    out[name] = { ms: median(times), total };
  }
  return out;
}

async function main() {
  const cluster = await startPostgresCluster({ settings: { shared_buffers: '256MB' } });
  let controller;
  try {
    const url = await cluster.createDatabase('fleet_bench');
    const pool = new Pool({ connectionString: url, max: 4 });
    await store.migrate(pool);
    controller = await startController({
      ...process.env,
      FIX_EMAIL_AUTH_FLEET_CONFIG: path.join(ROOT, 'bench', 'no-such-fleet-config.json'),
      FIX_EMAIL_AUTH_FLEET_DATABASE_URL: url,
    });
    const base = controller.url;
    const servers = await enrollAll(pool, base);
    log(`fleet: ${SERVERS} servers enrolled; controller RSS ${rssMiB(controller.child.pid).toFixed(0)} MiB`);

    const scannedAt = new Date().toISOString();
    const rss = [];
    let bytes = 0;
    const start = nowMs();
    for (let i = 0; i < servers.length; i += IN_FLIGHT) {
      const batch = servers.slice(i, i + IN_FLIGHT);
      const sizes = await Promise.all(batch.map((server) => pushServer(base, server, domainsOf(server.s, scannedAt))));
      bytes += sizes.reduce((a, b) => a + b, 0);
      const done = Math.min(i + IN_FLIGHT, servers.length);
      if (done % Math.max(1, Math.floor(SERVERS / 10)) < IN_FLIGHT || done === servers.length)
        rss.push({ servers: done, rssMiB: rssMiB(controller.child.pid) });
    }
    const ingestMs = nowMs() - start;
    const rows = Number((await pool.query('SELECT count(*) AS n FROM fleet_domains')).rows[0].n);
    log(
      `fleet: ingested ${rows} rows in ${ingestMs.toFixed(0)} ms; RSS ${rss.map((r) => `${r.servers}:${r.rssMiB.toFixed(0)}`).join(' ')}`,
    );
    await pool.query('VACUUM ANALYZE fleet_domains');

    const copy = await bareCopy(pool, servers, scannedAt);
    log(`fleet: bare COPY of ${copy.rows} rows in ${copy.ms.toFixed(0)} ms`);

    await store.setAdminPassword(pool, 'bench', 'scrypt$1$1$1$AA==$AA==');
    const admin = await store.findAdmin(pool, 'bench');
    const { sid } = await store.createSession(pool, admin.id, 'password', 1);
    const queries = await queryTimes(base, `fea_fleet=${sid}`, servers);
    log(
      `fleet: domain list ${Object.entries(queries)
        .map(([k, v]) => `${k} ${v.ms.toFixed(1)} ms (${v.total})`)
        .join(', ')}`,
    );
    await pool.end();
    report({ servers: SERVERS, perServer: PER_SERVER, rows, ingestMs, bytes, copyMs: copy.ms, copyRows: copy.rows, rss, queries });
  } finally {
    if (controller) {
      controller.child.kill('SIGTERM');
      await new Promise((r) => controller.child.once('exit', r));
    }
    await cluster.stop();
  }
}

runMain(main);
