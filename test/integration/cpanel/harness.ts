/**
 * Starts the cPanel/WHM simulator (test/support/simulator.ts) with the shared test seed, and builds
 * clients of our adapter against it over HTTPS, pinned to the simulator's certificate.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createCpanelClient, type CpanelClient, type CpanelClientOptions } from '../../../src/adapters/cpanel/client';
import { parseConfig } from '../../../src/config';
import type { Simulator } from '../../../src/simulator/server';
import { startTestSimulator, TEST_TOKENS } from '../../support/simulator';

export const TOKENS = TEST_TOKENS;

/** 2026-11-28, so the serial bump of a 2024 zone is 2026112800 (docs/reference/cpanel-api.md §6.3). */
export const NOW = new Date('2026-11-28T12:00:00Z');

export interface Harness {
  sim: Simulator;
  /** A scratch directory for CA files and the like (removed on stop). */
  dir: string;
  /** A client of the adapter on the simulator: https, pinned certificate, no real sleeping. */
  client(options?: CpanelClientOptions & { timeoutMs?: number; tokenUser?: string }): CpanelClient;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const started = await startTestSimulator({ clock: () => NOW });
  const { sim } = started;
  const dir = mkdtempSync(join(tmpdir(), 'cpanel-contract-'));
  return {
    sim,
    dir,
    client: ({ timeoutMs = 5000, tokenUser = 'root', ...options } = {}) =>
      createCpanelClient(
        parseConfig({
          provider: { authId: 'webhostingm' },
          cpanel: {
            transport: 'https',
            whmUrl: sim.whmUrl,
            cpanelUrl: sim.cpanelUrl,
            fingerprint: sim.fingerprint256,
            tokenUser,
            timeoutMs,
            rateLimitPerSecond: 1000,
          },
        }).cpanel,
        { sleep: async () => undefined, whmToken: options.userToken === undefined ? TOKENS.root : undefined, ...options },
      ),
    stop: async () => {
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
