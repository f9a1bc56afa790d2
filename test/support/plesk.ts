/**
 * Test support for the Plesk simulator: start it over a fresh temp zones directory (optionally with
 * a real PowerDNS serving its primary zones), the adapter pointed at it with the certificate pinned,
 * the `plesk` shim's environment, and a raw XML API call for contract tests.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { request } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { createPleskPanel, type PleskPanel, type PleskSettings } from '../../src/adapters/plesk';
import { PLESK_SHIM_ENV } from '../../src/simulator/plesk/cliShim';
import { startPleskSimulator, type PleskSeedInput, type PleskSimulator } from '../../src/simulator/plesk';
import { startPowerDns, type PowerDns } from './pdns';

export const PLESK_SEED_PATH = join(__dirname, '..', 'fixtures', 'plesk', 'seed.json');
export const PLESK_KEY = 'PLESKKEY-0123456789abcdef';
export const SHIM_BIN_DIR = join(__dirname, 'bin');

export function pleskSeed(): PleskSeedInput {
  return JSON.parse(readFileSync(PLESK_SEED_PATH, 'utf8')) as PleskSeedInput;
}

export interface StartedPlesk {
  sim: PleskSimulator;
  zonesDir: string;
  pdns: PowerDns | null;
  stop(): Promise<void>;
}

export async function startTestPlesk(opts: { seed?: PleskSeedInput; dns?: boolean } = {}): Promise<StartedPlesk> {
  const zonesDir = mkdtempSync(join(tmpdir(), 'fea-plesk-'));
  const sim = await startPleskSimulator({ zonesDir, seed: opts.seed ?? pleskSeed() });
  let pdns: PowerDns | null = null;
  try {
    if (opts.dns) {
      pdns = await startPowerDns({ zonesDir, zones: sim.servedZones() });
      sim.attachPdns(pdns);
    }
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return {
    sim,
    zonesDir,
    pdns,
    stop: async () => {
      sim.attachPdns(undefined);
      await pdns?.stop();
      await sim.stop();
      rmSync(zonesDir, { recursive: true, force: true });
    },
  };
}

export function pleskSettings(sim: PleskSimulator, overrides: Partial<PleskSettings> = {}): PleskSettings {
  return {
    transport: 'api',
    url: sim.url,
    keyFile: '/nonexistent',
    fingerprint: sim.fingerprint256,
    insecure: false,
    timeoutMs: 5000,
    cli: join(SHIM_BIN_DIR, 'plesk'),
    ...overrides,
  };
}

/** The adapter over the XML API with the seed's admin key. */
export function pleskPanel(sim: PleskSimulator, key = PLESK_KEY, overrides: Partial<PleskSettings> = {}): PleskPanel {
  return createPleskPanel(pleskSettings(sim, overrides), { apiKey: key });
}

/** Environment for the `plesk` shim to reach `sim`; writes its certificate into `dir`. */
export function pleskShimEnv(sim: PleskSimulator, dir: string, key = PLESK_KEY): NodeJS.ProcessEnv {
  const caFile = join(dir, 'plesk-ca.pem');
  writeFileSync(caFile, sim.certPem);
  return { ...process.env, [PLESK_SHIM_ENV.url]: sim.url, [PLESK_SHIM_ENV.key]: key, [PLESK_SHIM_ENV.caFile]: caFile };
}

/** The adapter over `plesk bin` (the shim forwarding to `sim`). */
export function pleskCliPanel(sim: PleskSimulator, dir: string): PleskPanel {
  return createPleskPanel(pleskSettings(sim, { transport: 'cli' }), { cliEnv: pleskShimEnv(sim, dir) });
}

export interface RawPleskAnswer {
  status: number;
  body: string;
}

/** One raw HTTPS call (XML packet or REST), trusting the simulator's certificate. */
export function callPlesk(
  sim: PleskSimulator,
  path: string,
  body: string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<RawPleskAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, sim.url),
      { method, ca: sim.certPem, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function xmlAsAdmin(sim: PleskSimulator, packet: string): Promise<RawPleskAnswer> {
  return callPlesk(sim, '/enterprise/control/agent.php', packet, { 'Content-Type': 'text/xml', KEY: PLESK_KEY });
}
