/**
 * The whole demo in one process: the cPanel/WHM simulator over the demo seed, an authoritative DNS
 * for its zones (real PowerDNS when the caller passes a starter, else the built-in answerer — DEMO
 * ONLY), a store and the daemon on loopback TCP with the demo picker. Everything lives in one
 * temporary directory removed at stop.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig } from '../../config';
import { createServices, type Services } from '../../services';
import { startDnsAnswerer } from '../../simulator/dnsAnswerer';
import { startSimulator, type PowerDnsReloader, type Simulator } from '../../simulator/server';
import { createDaemon, type Daemon } from '../daemon';
import { jsonLogger, type Logger } from '../logging';
import { DEMO_AUTH_ID, DEMO_NAMESERVERS, DEMO_ROOT_TOKEN, DEMO_SENDER_ID_TEMPLATE, demoSeed } from './seed';
import { writeDemoMailLog } from './mailLog';

/** The shape of test/support/pdns.ts `startPowerDns` (passed in: it is test support, not shipped). */
export type StartPowerDns = (options: {
  zonesDir: string;
  zones: string[];
}) => Promise<PowerDnsReloader & { port: number; stop(): Promise<void> }>;

export interface DemoOptions {
  host?: string;
  /** Default 8765; 0 picks a free port (tests). */
  port?: number;
  /** Keep the demo's files here instead of a new temporary directory (not removed at stop). */
  dir?: string;
  startPowerDns?: StartPowerDns;
  /** Where the daemon's JSON log goes (default: `<dir>/daemon.log`). */
  log?: Logger;
  /** The simulator's clock (serial bumps); default real time. */
  clock?: () => Date;
}

export interface DemoHandle {
  url: string;
  dir: string;
  dns: { kind: 'powerdns' | 'builtin'; port: number };
  sim: Simulator;
  services: Services;
  daemon: Daemon;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fix-email-auth-demo-'));
  const zonesDir = join(dir, 'named');
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // Stop the rest anyway.
      }
    }
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const templatesDir = join(dir, 'zonetemplates');
    const sim = await startSimulator({ zonesDir, templatesDir, seed: demoSeed(), ...(options.clock ? { clock: options.clock } : {}) });
    cleanups.push(() => sim.stop());

    let dns: DemoHandle['dns'];
    if (options.startPowerDns) {
      const pdns = await options.startPowerDns({ zonesDir, zones: (await sim.zoneNames()).filter(Boolean) });
      cleanups.push(() => pdns.stop());
      sim.attachPdns(pdns);
      cleanups.push(() => sim.attachPdns(undefined));
      dns = { kind: 'powerdns', port: pdns.port };
    } else {
      const answerer = await startDnsAnswerer({ zonesDir });
      cleanups.push(() => answerer.stop());
      dns = { kind: 'builtin', port: answerer.port };
    }

    const eximLog = join(dir, 'exim_mainlog');
    writeDemoMailLog(eximLog, new Date());
    mkdirSync(join(dir, 'domain_keys'), { recursive: true, mode: 0o700 });
    const endpoint = `127.0.0.1:${dns.port}`;
    const config = parseConfig({
      // The record the provider asks for: v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|<user>.
      provider: { authId: DEMO_AUTH_ID, senderIdTemplate: DEMO_SENDER_ID_TEMPLATE },
      dns: {
        port: dns.port,
        resolvers: [endpoint],
        nameserverAddresses: Object.fromEntries(DEMO_NAMESERVERS.map((ns) => [ns, [endpoint]])),
        timeoutMs: 1000,
        retries: 1,
      },
      // No JetBackup on a laptop: the journal alone keeps the removed records (undo works from it).
      backup: { policy: 'off' },
      cpanel: {
        transport: 'https',
        whmUrl: sim.whmUrl,
        cpanelUrl: sim.cpanelUrl,
        fingerprint: sim.fingerprint256,
        tokenFile: join(dir, 'whm-token'),
        rateLimitPerSecond: 200,
      },
      paths: {
        journal: join(dir, 'state', 'journal.db'),
        socket: join(dir, 'run', 'daemon.sock'),
        eximMainlog: eximLog,
        dkimPublicKeys: join(dir, 'domain_keys'),
        namedDir: zonesDir,
        zoneTemplates: templatesDir,
        templateBackups: join(dir, 'state', 'zonetemplates'),
      },
    });
    mkdirSync(join(dir, 'state'), { recursive: true, mode: 0o700 });
    const services = createServices(config, { cpanel: { whmToken: DEMO_ROOT_TOKEN } });
    cleanups.push(() => services.close());

    const notes = [
      `cPanel/WHM: simulator at ${sim.whmUrl} (certificate pinned)`,
      dns.kind === 'powerdns' ? `DNS: PowerDNS on ${endpoint}` : `DNS: built-in answerer on ${endpoint} (demo only)`,
      'backups: off (the journal keeps every removed record)',
    ];
    const log = options.log ?? jsonLogger(createWriteStream(join(dir, 'daemon.log'), { flags: 'a', mode: 0o600 }));
    const daemon = createDaemon(services, {
      listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 8765 },
      demo: { notes },
      log,
      shutdownDeadlineMs: 10_000,
    });
    const { address } = await daemon.listen();
    cleanups.push(() => daemon.close());

    return { url: `${address}/`, dir, dns, sim, services, daemon, stop: cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
