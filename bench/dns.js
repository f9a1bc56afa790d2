'use strict';
/**
 * DNS verification of 10 000 domains against a local PowerDNS: the project's dns-packet client (the
 * DnsClient the verify step asks nameservers with) against Node's own dns.promises.Resolver, on the
 * same TXT queries (`_mailchannels.<domain>`), 64 in flight each, alternating which goes first,
 * median of seven rounds (and the median of the per-round ratios, which a busy machine disturbs less); the project's resolver function (createResolver, used for SPF lookups) is
 * timed too. `node bench/dns.js [domains]`. Prints `skipped` when PowerDNS is not installed.
 */
const fs = require('fs');
const path = require('path');
const { dist, timed, median, report, tempDir, log, runMain } = require('./common');

const IN_FLIGHT = 64;

function zoneText(zone, count) {
  const lines = [
    '$TTL 300',
    `${zone}. 300 IN SOA ns1.${zone}. admin.${zone}. ( 2026112801 3600 1800 1209600 300 )`,
    `${zone}. 300 IN NS ns1.${zone}.`,
    `ns1.${zone}. 300 IN A 127.0.0.1`,
  ];
  for (let i = 0; i < count; i++) lines.push(`_mailchannels.d${i}.${zone}. 300 IN TXT "v=mc1 auth=webhostingm"`);
  return `${lines.join('\n')}\n`;
}

async function resolveAll(resolve, names) {
  let next = 0;
  let good = 0;
  let bad = 0;
  const lane = async () => {
    while (next < names.length) {
      const name = names[next++];
      try {
        const answer = await resolve(name, 'TXT');
        if (answer.length === 1 && answer[0].join('') === 'v=mc1 auth=webhostingm') good++;
        else bad++;
      } catch {
        bad++;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return { good, bad };
}

async function main() {
  const count = Number(process.argv[2] ?? 10000);
  const { startPowerDns } = dist('simulator/powerdns');
  const { createResolver, createNodeResolver, DnsClient } = dist('adapters/dns');
  const dir = tempDir('dns');
  const zone = 'dnsbench.example';
  fs.writeFileSync(path.join(dir, `${zone}.db`), zoneText(zone, count));
  let pdns;
  try {
    pdns = await startPowerDns({ zonesDir: dir, zones: [zone] });
  } catch (err) {
    report({ skipped: `PowerDNS could not start: ${err.message}` });
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const server = `127.0.0.1:${pdns.port}`;
  const settings = { resolvers: [server], timeoutMs: 2000, retries: 2 };
  const resolver = createResolver(settings);
  const node = createNodeResolver(settings, [server]);
  const client = new DnsClient();
  const endpoint = { address: '127.0.0.1', port: pdns.port };
  // The verify step's shape: one query to one nameserver, the TXT strings of the answer.
  const ours = async (name) => {
    const answer = await client.query(endpoint, name, 'TXT', { timeoutMs: 2000, retries: 2 });
    return answer.answers.filter((r) => r.type === 'TXT').map((r) => r.data.map((b) => b.toString('latin1')));
  };
  const runners = { ours, node, resolver };
  const names = Array.from({ length: count }, (_v, i) => `_mailchannels.d${i}.${zone}`);
  try {
    // Warm both (PowerDNS's packet cache too) before measuring.
    for (const fn of Object.values(runners)) await resolveAll(fn, names.slice(0, 1000));
    const times = { ours: [], node: [], resolver: [] };
    const answers = {};
    for (let round = 0; round < 7; round++) {
      const order = round % 2 === 0 ? ['ours', 'node', 'resolver'] : ['node', 'ours', 'resolver'];
      for (const which of order) {
        const { ms, value } = await timed(() => resolveAll(runners[which], names));
        times[which].push(ms);
        answers[which] = value;
        log(`dns round ${round + 1} ${which}: ${ms.toFixed(0)} ms (${value.good} right, ${value.bad} wrong)`);
      }
    }
    const pairedRatio = median(times.node.map((n, i) => n / times.ours[i]));
    report({
      domains: count,
      oursMs: median(times.ours),
      nodeMs: median(times.node),
      resolverMs: median(times.resolver),
      pairedRatio,
      times,
      answers,
    });
  } finally {
    client.close();
    resolver.close();
    node.close();
    await pdns.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
