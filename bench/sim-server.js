'use strict';
/**
 * The cPanel/WHM simulator in a process of its own (cPanel is another process on a real server, and
 * the client must not share its CPU time): `node bench/sim-server.js <zonesDir> <accounts> [pdns]
 * [staleEvery]`
 * prints `{ whmUrl, fingerprint, token, zonesDir, pdnsPort? }` once listening, and stops when its
 * stdin closes. With `pdns`, a real PowerDNS serves the zone files and reloads a zone after each edit.
 */
const { dist, synthetic } = require('./common');

const TOKEN = 'BENCHROOTTOKEN0123456789ABCDEFGHIJ';
// Repairs write today's serial: a fixed clock keeps runs comparable.
const CLOCK = new Date('2026-11-28T12:00:00Z');

async function main() {
  const [zonesDir, accounts, withDns, staleEvery] = process.argv.slice(2);
  const { startSimulator } = dist('simulator/server');
  const seed = synthetic.simulatorSeed({ accounts: Number(accounts), staleEvery: Number(staleEvery ?? 20) }, TOKEN);
  const sim = await startSimulator({ zonesDir, seed, clock: () => CLOCK });
  let pdns;
  if (withDns === 'pdns') {
    const { startPowerDns } = dist('simulator/powerdns');
    pdns = await startPowerDns({ zonesDir, zones: await sim.zoneNames() });
    sim.attachPdns(pdns);
  }
  process.stdout.write(
    `${JSON.stringify({ whmUrl: sim.whmUrl, fingerprint: sim.fingerprint256, token: TOKEN, zonesDir, ...(pdns ? { pdnsPort: pdns.port } : {}) })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', async () => {
    if (pdns) await pdns.stop();
    await sim.stop();
    process.exit(0);
  });
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
