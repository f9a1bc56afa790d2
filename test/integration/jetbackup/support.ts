/**
 * Shared set-up of the JetBackup integration tests: zone files in a temporary directory, the fake
 * `jetbackup5api` spawned for real, and the adapter on a virtual clock (sleep advances the clock
 * instantly, so waiting "30 s" takes no time and no assertion depends on real timing).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { JetBackupBackup, type JetBackupBackupOptions } from '../../../src/adapters/jetbackup';
import type { Clock } from '../../../src/ports';
import { setupFakeJetBackup, type FakeJetBackup, type FakeJetBackupKnobs } from '../../support/fake-jetbackup';

export function zoneText(zone: string, lockdown: string): string {
  return [
    '; cPanel first:11.120.0.1 (update_time):1714557600 Cpanel::ZoneFile::VERSION:1.3',
    '$TTL 14400',
    `${zone}.\t86400\tIN\tSOA\tns1.webhostingm.net. hostmaster.${zone}. (2024050101 3600 1800 1209600 86400)`,
    `${zone}.\t86400\tIN\tNS\tns1.webhostingm.net.`,
    `${zone}.\t14400\tIN\tA\t192.0.2.10`,
    `${zone}.\t14400\tIN\tTXT\t"v=spf1 include:relay.mailchannels.net ~all"`,
    `_mailchannels.${zone}.\t14400\tIN\tTXT\t"${lockdown}"`,
    '',
  ].join('\n');
}

export interface VirtualTime {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  elapsedMs(): number;
}

export function virtualTime(start = Date.now()): VirtualTime {
  let now = start;
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      now += ms;
    },
    elapsedMs: () => now - start,
  };
}

export interface Harness {
  fake: FakeJetBackup;
  zonesDir: string;
  zonePath(zone: string): string;
  readZone(zone: string): Buffer;
  time: VirtualTime;
  adapter(overrides?: Partial<JetBackupBackupOptions>): JetBackupBackup;
  fns(): string[];
  cleanup(): void;
}

export const DEFAULT_ACCOUNTS: Record<string, string[]> = { alice: ['example.com', 'example.org'], bob: ['bob.test'] };

export function startHarness(
  options: { accounts?: Record<string, string[]>; knobs?: Partial<FakeJetBackupKnobs>; afterRestore?: string } = {},
): Harness {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const zonesDir = mkdtempSync(join(tmpdir(), 'jetbackup-zones-'));
  for (const zones of Object.values(accounts)) {
    for (const zone of zones) writeFileSync(join(zonesDir, `${zone}.db`), zoneText(zone, 'v=mc1 auth=oldhost'));
  }
  const fake = setupFakeJetBackup({ zonesDir, accounts, knobs: options.knobs, afterRestore: options.afterRestore });
  const time = virtualTime();
  return {
    fake,
    zonesDir,
    zonePath: (zone) => join(zonesDir, `${zone}.db`),
    readZone: (zone) => readFileSync(join(zonesDir, `${zone}.db`)),
    time,
    adapter: (overrides = {}) =>
      new JetBackupBackup({
        apiPath: fake.bin,
        env: { ...process.env, ...fake.env },
        timeoutSeconds: 30,
        pollIntervalMs: 1000,
        clock: time.clock,
        sleep: time.sleep,
        ...overrides,
      }),
    fns: () => fake.invocations().map((invocation) => invocation.fn),
    cleanup: () => {
      fake.cleanup();
      rmSync(zonesDir, { recursive: true, force: true });
    },
  };
}

/** The rejection of a promise (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { reason?: string; code?: string; upstream?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { reason?: string; code?: string };
  }
  throw new Error('expected a failure, but it succeeded');
}
