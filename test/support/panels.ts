/**
 * One harness per hosting panel for the suites that must hold on both (test/integration/repair/
 * panels.integration.test.ts): the panel's simulator with a real PowerDNS serving the zone files it
 * writes, the services a daemon builds with `panel` set, and the same few knobs in each panel's terms —
 * plant a stale record, fail or hang the next write, land another user's edit between our read and
 * our write, break the backup. Zones are compared as the BIND files PowerDNS serves, parsed the same
 * way for both panels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig, type ConfigInput } from '../../src/config';
import type { PanelKind } from '../../src/ports';
import { createServices, type Services } from '../../src/services';
import type { StepEvent } from '../../src/usecases/repair';
import type { PleskSimulator } from '../../src/simulator/plesk';
import { parseZoneFile } from '../../src/zone/bindReader';
import { PLESK_KEY, startTestPlesk } from './plesk';
import { startStack } from './stack';

export interface PanelHarness {
  kind: PanelKind;
  readonly services: Services;
  /** The Plesk simulator (Plesk only): accounts and subscriptions made while a test runs. */
  plesk?: PleskSimulator;
  pdnsPort: number;
  /** Config file and environment for a child `fix-email-auth` process on the same panel and journal. */
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** Replace the zone's `_mailchannels` records by one stale record, as a migration leaves it. */
  plantStale(zone: string, value: string): Promise<void>;
  /** The zone as served (its BIND file), without the SOA: sorted `name type data` lines. */
  records(zone: string): string[];
  /** The next write to the panel gets an HTTP 500 (nothing is written). */
  failNextWrite(): void;
  /** The next write to the panel never gets an answer (nothing is written). */
  hangNextWrite(): void;
  /** How many write requests reached the panel so far. */
  writes(): number;
  /** Another user adds this record to the zone after our read, just before our write. */
  otherEditBeforeNextWrite(zone: string, record: { host: string; type: string; value: string }): void;
  /** Pass to every use case call: it lets the harness act between a use case's steps. */
  onStep(event: StepEvent): void;
  /** The backup before a change cannot be taken. */
  breakBackup(): void;
  /** What the journal's backup reference looks like on this panel. */
  backupKind: 'jetbackup' | 'plesk-dns';
  restartServices(): Services;
  stop(): Promise<void>;
}

const line = (r: { name: string; type: string; data: readonly string[] }) => `${r.name} ${r.type} ${r.data.join(' | ')}`;

function servedRecords(text: string, zone: string): string[] {
  return parseZoneFile(text, zone)
    .records.filter((r) => r.type !== 'SOA')
    .map(line)
    .sort();
}

const BASE: ConfigInput = { provider: { authId: 'webhostingm' } };

async function cpanelHarness(options: { config?: Partial<ConfigInput> }): Promise<PanelHarness> {
  const stack = await startStack({ config: { backup: { policy: 'required' }, ...options.config } });
  const zoneFile = (zone: string) => readFileSync(join(stack.zonesDir, `${zone}.db`), 'latin1');
  return {
    kind: 'cpanel',
    get services() {
      return stack.services;
    },
    pdnsPort: stack.pdns.port,
    configPath: stack.configPath,
    env: stack.env,
    async plantStale(zone, value) {
      const kept = zoneFile(zone)
        .split('\n')
        .filter((l) => !/^_mailchannels\s/.test(l))
        .join('\n');
      await stack.sim.setZoneText(zone, `${kept.replace(/\n*$/, '\n')}_mailchannels\t3600\tIN\tTXT\t"${value}"\n`, { reload: true });
    },
    records: (zone) => servedRecords(zoneFile(zone), zone),
    failNextWrite: () => stack.sim.injectFault({ kind: 'status', status: 500, match: 'mass_edit_dns_zone' }),
    hangNextWrite: () => stack.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone' }),
    writes: () => stack.sim.log.find('mass_edit_dns_zone').length,
    otherEditBeforeNextWrite: (zone, r) =>
      stack.sim.concurrentEditBeforeNextMassEdit(zone, { dname: r.host, ttl: 14400, record_type: r.type, data: [r.value] }),
    onStep: () => undefined,
    breakBackup: () => stack.jetbackup.setKnobs({ finalStatus: 200 }),
    backupKind: 'jetbackup',
    restartServices: () => stack.restartServices(),
    stop: () => stack.stop(),
  };
}

async function pleskHarness(options: { config?: Partial<ConfigInput> }): Promise<PanelHarness> {
  const plesk = await startTestPlesk({ dns: true });
  const { sim } = plesk;
  const pdns = plesk.pdns!;
  const dir = mkdtempSync(join(tmpdir(), 'fea-plesk-stack-'));
  const keyFile = join(dir, 'plesk-key');
  writeFileSync(keyFile, `${PLESK_KEY}\n`, { mode: 0o600 });
  const input: ConfigInput = {
    ...BASE,
    ...options.config,
    panel: 'plesk',
    plesk: { transport: 'api', url: sim.url, fingerprint: sim.fingerprint256, keyFile, timeoutMs: 3000 },
    dns: {
      port: pdns.port,
      nameserverAddresses: Object.fromEntries(sim.servedZones().map((z) => [`ns1.${z}`, ['127.0.0.1']])),
      timeoutMs: 500,
      retries: 1,
      ...options.config?.dns,
    },
    backup: { policy: 'required', jetbackupApi: join(dir, 'no-jetbackup'), ...options.config?.backup },
    paths: {
      journal: join(dir, 'journal.db'),
      socket: join(dir, 'daemon.sock'),
      pleskDnsBackups: join(dir, 'plesk-dns'),
      ...options.config?.paths,
    },
  };
  const config = parseConfig(input, 'test Plesk config');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(input));
  let services = createServices(config);
  let pending: (() => void) | null = null;
  const isWrite = (e: { ops: string[] }) => e.ops.some((op) => op === 'dns/add_rec' || op === 'dns/del_rec');
  return {
    kind: 'plesk',
    plesk: sim,
    get services() {
      return services;
    },
    pdnsPort: pdns.port,
    configPath,
    env: { ...process.env, FIX_EMAIL_AUTH_CONFIG: configPath },
    async plantStale(zone, value) {
      const old = sim.records(zone).filter((r) => r.host === `_mailchannels.${zone}.`);
      await sim.editAsOtherUser(zone, { removeIds: old.map((r) => r.id), add: [{ type: 'TXT', host: '_mailchannels', value }] });
    },
    records(zone) {
      const text = readFileSync(join(plesk.zonesDir, `${zone}.db`), 'latin1');
      return servedRecords(text, zone);
    },
    failNextWrite: () => sim.injectFault({ kind: 'status', status: 500, match: 'dns/add_rec' }),
    hangNextWrite: () => sim.injectFault({ kind: 'hang', match: 'dns/add_rec' }),
    writes: () => sim.log.filter(isWrite).length,
    otherEditBeforeNextWrite(zone, r) {
      // Plesk has no serial: the edit lands as the repair starts its write, before its last read.
      pending = () => void sim.editAsOtherUser(zone, { add: [{ type: r.type, host: r.host, value: r.value }] });
    },
    onStep(event) {
      if (event.step === 'apply' && event.state === 'start' && pending) {
        pending();
        pending = null;
      }
    },
    breakBackup: () => writeFileSync(config.paths.pleskDnsBackups, 'not a directory'),
    backupKind: 'plesk-dns',
    restartServices() {
      services.close();
      services = createServices(config);
      return services;
    },
    async stop() {
      services.close();
      await plesk.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PANELS: PanelKind[] = ['cpanel', 'plesk'];

export function startPanel(kind: PanelKind, options: { config?: Partial<ConfigInput> } = {}): Promise<PanelHarness> {
  return kind === 'cpanel' ? cpanelHarness(options) : pleskHarness(options);
}
