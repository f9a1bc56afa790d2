/**
 * Test support for the cPanel/WHM simulator: start it (optionally with a real PowerDNS serving its
 * zone files) in a fresh temp directory, and a raw HTTPS helper that trusts its certificate, for
 * contract tests that look at the exact bytes the API answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { request } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { SHIM_ENV } from '../../src/simulator/cliShims';
import { loadSeedFile, type Seed, type SeedInput } from '../../src/simulator/seed';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server';
import { startPowerDns, type PowerDns } from './pdns';

/** Directory holding the fake `whmapi1` and `uapi` executables (src/simulator/cliShims.ts). */
export const SHIM_BIN_DIR = join(__dirname, 'bin');

/**
 * Environment for the fake CLIs to reach `sim` as WHM user `user` with `token`; writes the
 * simulator's certificate into `dir` as their CA file.
 */
export function cliShimEnv(sim: Simulator, dir: string, user: string, token: string): Record<string, string> {
  const caFile = join(dir, 'simulator-ca.pem');
  writeFileSync(caFile, sim.certPem);
  return {
    [SHIM_ENV.whmUrl]: sim.whmUrl,
    [SHIM_ENV.token]: token,
    [SHIM_ENV.tokenUser]: user,
    [SHIM_ENV.caFile]: caFile,
  };
}

export const TEST_SEED_PATH = join(__dirname, '..', 'fixtures', 'seed', 'test.json');

/** Tokens of test/fixtures/seed/test.json. */
export const TEST_TOKENS = {
  root: 'ROOTTOKEN0123456789ABCDEFGHIJKLMN',
  resell: 'RESELLTOKEN0123456789ABCDEFGHIJK',
  alice: 'ALICETOKEN0123456789ABCDEFGHIJKL',
  bob: 'BOBTOKEN0123456789ABCDEFGHIJKLMN',
  carol: 'CAROLTOKEN0123456789ABCDEFGHIJKL',
  dave: 'DAVETOKEN0123456789ABCDEFGHIJKLM',
} as const;

export function testSeed(): Seed {
  return loadSeedFile(TEST_SEED_PATH);
}

export interface StartedSimulator {
  sim: Simulator;
  zonesDir: string;
  stop(): Promise<void>;
}

/** The simulator alone, over a fresh temp zones directory (removed on stop). */
export async function startTestSimulator(
  opts: Partial<Omit<SimulatorOptions, 'zonesDir'>> & { seed?: Seed | SeedInput } = {},
): Promise<StartedSimulator> {
  const zonesDir = mkdtempSync(join(tmpdir(), 'fea-sim-'));
  const sim = await startSimulator({ ...opts, seed: opts.seed ?? testSeed(), zonesDir });
  return {
    sim,
    zonesDir,
    stop: async () => {
      await sim.stop();
      rmSync(zonesDir, { recursive: true, force: true });
    },
  };
}

export interface StartedSimulatorWithDns extends StartedSimulator {
  pdns: PowerDns;
}

/**
 * The simulator plus a real PowerDNS (bind backend) serving the same zone files on a loopback port;
 * every API write reloads the zone in PowerDNS, as cPanel's RELOADBIND does.
 */
export async function startSimulatorWithDns(
  opts: Partial<Omit<SimulatorOptions, 'zonesDir' | 'pdns'>> & { seed?: Seed | SeedInput } = {},
): Promise<StartedSimulatorWithDns> {
  const started = await startTestSimulator(opts);
  try {
    const zones = (await started.sim.zoneNames()).filter(Boolean);
    const pdns = await startPowerDns({ zonesDir: started.zonesDir, zones });
    started.sim.attachPdns(pdns);
    return {
      ...started,
      pdns,
      stop: async () => {
        started.sim.attachPdns(undefined);
        await pdns.stop();
        await started.stop();
      },
    };
  } catch (err) {
    await started.stop();
    throw err;
  }
}

export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The parsed body when it is JSON, else undefined. */
  json: any;
}

export interface RawCall {
  side: 'cpanel' | 'whm';
  path: string;
  /** Query (GET) or form body (POST) pairs; repeat a name for list params. */
  params?: Array<[string, string]>;
  method?: 'GET' | 'POST';
  /** Full Authorization header value; default none. */
  auth?: string;
  /** Give up after this long (rejects with "timeout"); default no limit. */
  timeoutMs?: number;
}

/** One HTTPS call to the simulator, trusting its self-signed certificate. */
export function callSimulator(sim: Simulator, call: RawCall): Promise<RawAnswer> {
  const base = call.side === 'cpanel' ? sim.cpanelUrl : sim.whmUrl;
  const encoded = new URLSearchParams(call.params ?? []).toString();
  const method = call.method ?? 'GET';
  const url = new URL(method === 'GET' && encoded ? `${call.path}?${encoded}` : call.path, base);
  const headers: Record<string, string> = {};
  if (call.auth) headers.Authorization = call.auth;
  if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: sim.certPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (call.timeoutMs !== undefined) {
      req.setTimeout(call.timeoutMs, () => req.destroy(new Error('timeout')));
    }
    if (method === 'POST') req.write(encoded);
    req.end();
  });
}

/** UAPI as a cPanel user with its token: `/execute/<Module>/<fn>`. */
export function uapi(
  sim: Simulator,
  user: string,
  token: string,
  moduleFn: string,
  params: Array<[string, string]> = [],
  method: 'GET' | 'POST' = 'GET',
) {
  return callSimulator(sim, { side: 'cpanel', path: `/execute/${moduleFn}`, params, method, auth: `cpanel ${user}:${token}` });
}

/** WHM API 1 with a WHM token: `/json-api/<fn>?api.version=1&…`. */
export function whm(
  sim: Simulator,
  user: string,
  token: string,
  fn: string,
  params: Array<[string, string]> = [],
  method: 'GET' | 'POST' = 'GET',
) {
  return callSimulator(sim, {
    side: 'whm',
    path: `/json-api/${fn}`,
    params: [['api.version', '1'], ...params],
    method,
    auth: `whm ${user}:${token}`,
  });
}
