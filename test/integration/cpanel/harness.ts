/**
 * Starts the cPanel/WHM simulator (src/simulator) on loopback with the shared test seed, and builds
 * clients of our adapter against it, pinned to the simulator's certificate.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createCpanelClient, type CpanelClient, type CpanelClientOptions } from '../../../src/adapters/cpanel/client';
import { parseConfig } from '../../../src/config';
import { loadSeedFile } from '../../../src/simulator/seed';
import { startSimulator, type Simulator } from '../../../src/simulator/server';

export const TOKENS = {
  root: 'ROOTTOKEN0123456789ABCDEFGHIJKLMN',
  resell: 'RESELLTOKEN0123456789ABCDEFGHIJK',
  alice: 'ALICETOKEN0123456789ABCDEFGHIJKL',
  bob: 'BOBTOKEN0123456789ABCDEFGHIJKLMN',
  carol: 'CAROLTOKEN0123456789ABCDEFGHIJKL',
} as const;

/** 2026-11-28, so the serial bump of a 2024 zone is 2026112800 (cpanel-api.md §6.3). */
export const NOW = new Date('2026-11-28T12:00:00Z');

export interface Harness {
  sim: Simulator;
  dir: string;
  /** A client of the adapter on the simulator; https transport, pinned certificate, no real sleeping. */
  client(options?: CpanelClientOptions & { timeoutMs?: number; tokenUser?: string }): CpanelClient;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cpanel-contract-'));
  const sim = await startSimulator({ zonesDir: join(dir, 'named'), seed: loadSeedFile(join(__dirname, '../../fixtures/seed/test.json')), clock: () => NOW });
  return {
    sim,
    dir,
    client: ({ timeoutMs = 5000, tokenUser = 'root', ...options } = {}) =>
      createCpanelClient(
        parseConfig({
          provider: { authId: 'webhostingm' },
          cpanel: { transport: 'https', whmUrl: sim.whmUrl, cpanelUrl: sim.cpanelUrl, fingerprint: sim.fingerprint256, tokenUser, timeoutMs, rateLimitPerSecond: 1000 },
        }).cpanel,
        { sleep: async () => undefined, whmToken: options.userToken === undefined ? TOKENS.root : undefined, ...options },
      ),
    stop: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
