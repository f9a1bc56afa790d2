/**
 * The whole product on loopback for integration tests: the cPanel simulator over HTTPS, a real
 * PowerDNS serving its zone files, the fake `jetbackup5api`, a journal in a temp dir, and the
 * services built from a config pointing at all of them — exactly as a daemon on a server would be.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig, type Config, type ConfigInput } from '../../src/config';
import { createServices, type Services } from '../../src/services';
import type { Seed, SeedInput } from '../../src/simulator/seed';
import { setupFakeJetBackup, type FakeJetBackupKnobs } from './fake-jetbackup';
import { startSimulatorWithDns, testSeed, TEST_TOKENS, type StartedSimulatorWithDns } from './simulator';

export interface Stack extends StartedSimulatorWithDns {
  dir: string;
  config: Config;
  services: Services;
  jetbackup: ReturnType<typeof setupFakeJetBackup>;
  /** Environment for a child `fix-email-auth` process using the same config. */
  env: NodeJS.ProcessEnv;
  configPath: string;
  /** Rebuild the services (a daemon restart), keeping the same journal file. */
  restartServices(): Services;
  stop(): Promise<void>;
}

export interface StackOptions {
  seed?: Seed | SeedInput;
  clock?: () => Date;
  config?: Partial<ConfigInput>;
  jetbackupKnobs?: Partial<FakeJetBackupKnobs>;
}

function accountsOf(seed: Seed): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of seed.accounts) {
    out[a.user] = [a.domain, ...a.domains.filter((d) => d.type === 'addon' || d.type === 'parked').map((d) => d.domain)];
  }
  return out;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const seed = (options.seed as Seed | undefined) ?? testSeed();
  const started = await startSimulatorWithDns({ seed, ...(options.clock ? { clock: options.clock } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'fea-stack-'));
  const jetbackup = setupFakeJetBackup({
    zonesDir: started.zonesDir,
    accounts: accountsOf(started.sim.seed),
    knobs: { pollsUntilDone: 1, ...options.jetbackupKnobs },
  });
  const tokenFile = join(dir, 'whm-token');
  writeFileSync(tokenFile, `${TEST_TOKENS.root}\n`, { mode: 0o600 });
  const nameservers = started.sim.seed.server.nameservers;
  const input: ConfigInput = {
    provider: { authId: 'webhostingm' },
    ...options.config,
    cpanel: {
      transport: 'https',
      whmUrl: started.sim.whmUrl,
      cpanelUrl: started.sim.cpanelUrl,
      fingerprint: started.sim.fingerprint256,
      tokenFile,
      timeoutMs: 3000,
      ...options.config?.cpanel,
    },
    dns: {
      port: started.pdns.port,
      nameserverAddresses: Object.fromEntries(nameservers.map((ns) => [ns, ['127.0.0.1']])),
      timeoutMs: 500,
      retries: 1,
      ...options.config?.dns,
    },
    backup: { policy: 'required', jetbackupApi: jetbackup.bin, pollIntervalMs: 20, timeoutSeconds: 30, ...options.config?.backup },
    paths: { journal: join(dir, 'journal.db'), socket: join(dir, 'daemon.sock'), ...options.config?.paths },
  };
  const config = parseConfig(input, 'test stack config');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(input));
  const jetbackupEnv = { ...process.env, ...jetbackup.env };
  const build = () => createServices(config, { jetbackup: { env: jetbackupEnv } });
  let services = build();
  const stack: Stack = {
    ...started,
    dir,
    config,
    get services() {
      return services;
    },
    jetbackup,
    configPath,
    env: { ...jetbackupEnv, FIX_EMAIL_AUTH_CONFIG: configPath },
    restartServices: () => {
      services.close();
      services = build();
      return services;
    },
    stop: async () => {
      services.close();
      jetbackup.cleanup();
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
