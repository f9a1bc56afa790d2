'use strict';
/**
 * The simulated cPanel/WHM server and a DNS answerer for the user page benchmark, in a process of
 * their own (cPanel is another process on a real server): `node bench/user-page-sim.js <zonesDir>
 * <domains>` makes one account, `many`, with a main domain and addon domains up to `<domains>`, each
 * in its own zone — every 5th with a stale lockdown record, one blocking all mail, the rest correct —
 * prints `{ whmUrl, cpanelUrl, fingerprint, token, dnsPort, nameservers }` once listening, and stops
 * when its stdin closes.
 */
const { dist } = require('./common');

const AUTH_ID = 'webhostingm';
const IP = '192.0.2.10';

function records(i) {
  const lockdown = i % 5 === 1 ? 'v=mc1 auth=oldhost' : i === 7 ? 'v=mc1' : `v=mc1 auth=${AUTH_ID} senderid=${AUTH_ID}|x-authuser|many`;
  return [
    { name: '@', type: 'A', data: [IP] },
    { name: 'www', type: 'CNAME', data: ['@'] },
    { name: '@', type: 'MX', data: ['0', '@'] },
    { name: '@', type: 'TXT', data: [`v=spf1 +a +mx +ip4:${IP} include:relay.mailchannels.net ~all`] },
    { name: '_dmarc', type: 'TXT', data: ['v=DMARC1; p=quarantine'] },
    { name: '_mailchannels', type: 'TXT', data: [lockdown], ttl: 14400 },
  ];
}

function seed(count) {
  const base = dist('simulator/demoSeed').demoSeed();
  const names = Array.from({ length: count }, (_, i) => `d${String(i).padStart(2, '0')}.example`);
  return {
    server: base.server,
    resellers: [],
    accounts: [
      {
        user: 'many',
        domain: names[0],
        domains: names.slice(1).map((domain, i) => ({ domain, type: 'addon', subdomain: `a${i + 1}` })),
      },
    ],
    zones: names.map((name, i) => ({
      name,
      serial: '2024030101',
      records: records(i).map((r) => ({ ...r, data: r.data.map((d) => (d === '@' ? `${name}.` : d)) })),
    })),
    tokens: [{ kind: 'whm', user: 'root', token: base.tokens.find((t) => t.user === 'root').token }],
  };
}

async function main() {
  const [zonesDir, count] = process.argv.slice(2);
  const { startSimulator } = dist('simulator/server');
  const { startDnsAnswerer } = dist('simulator/dnsAnswerer');
  const s = seed(Number(count ?? 50));
  const sim = await startSimulator({ zonesDir, seed: s });
  const dns = await startDnsAnswerer({ zonesDir });
  process.stdout.write(
    `${JSON.stringify({
      whmUrl: sim.whmUrl,
      cpanelUrl: sim.cpanelUrl,
      fingerprint: sim.fingerprint256,
      token: s.tokens[0].token,
      dnsPort: dns.port,
      nameservers: s.server.nameservers,
      authId: AUTH_ID,
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await dns.stop();
    await sim.stop();
    process.exit(0);
  });
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
