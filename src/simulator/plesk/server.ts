/**
 * The Plesk simulator: one HTTPS listener on loopback (Plesk's 8443) answering the XML API and the
 * REST API over an in-memory Plesk database, writing each primary zone as a BIND file into
 * `zonesDir` that a real PowerDNS serves (src/simulator/powerdns.ts), with the knobs tests need to
 * stage what real servers do: transport faults (the cPanel simulator's src/simulator/faults.ts),
 * a concurrent DNS Settings edit between a client's read and its write, a failing operation, zone
 * modes, and domains created while the tool runs.
 */
import { createServer, type Server } from 'https';
import type { ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';
import { Faults, type FaultRule } from '../faults';
import type { PowerDnsReloader } from '../server';
import { certificateFor } from '../tls';
import { ZoneFiles } from '../zoneFiles';
import { SecretKeys, type SecretKey } from './auth';
import { createPleskHandler, type PleskRequestLogEntry } from './http';
import type { DnsRecord, PleskEvent } from './model';
import { PleskOpError } from './records';
import { parsePleskSeed, type PleskRecordSpec, type PleskSeed, type PleskSeedInput, type ZoneMode } from './seed';
import { PleskState } from './state';
import { DnsHooks, type DnsOp } from './xml/context';
import { pleskZoneText } from './zoneText';

export interface PleskSimulatorOptions {
  zonesDir: string;
  seed: PleskSeed | PleskSeedInput;
  /** Reloaded after every write of a primary zone (what `dnsmng update` makes named do). */
  pdns?: PowerDnsReloader;
  host?: string;
  clock?: () => Date;
}

/** Another user's edit in DNS Settings: ids removed, then records added (an edit in the UI is both). */
export interface OtherEdit {
  add?: Array<Pick<PleskRecordSpec, 'type' | 'host' | 'value'> & { opt?: string }>;
  removeIds?: number[];
}

export interface PleskSimulator {
  readonly url: string;
  readonly port: number;
  readonly certPem: string;
  readonly fingerprint256: string;
  readonly zonesDir: string;
  readonly seed: PleskSeed;
  readonly state: PleskState;
  readonly log: PleskRequestLogEntry[];
  readonly faults: Faults;
  readonly events: PleskEvent[];
  readonly reloadErrors: Array<{ zone: string; error: string }>;
  /** Names of the zones PowerDNS should serve (primary mode). */
  servedZones(): string[];
  zoneText(zone: string): Promise<string | null>;
  /** Records of a zone (its own name) in id order. */
  records(zone: string): DnsRecord[];
  injectFault(rule: FaultRule): void;
  setLatency(ms: number, match?: string | RegExp): void;
  /** Just before the next `op` touching `zone`, another user's edit lands (compare-and-set must notice). */
  editBeforeNext(op: DnsOp, zone: string, edit: OtherEdit): void;
  /** The next `op` touching `zone` fails with this XML API error (e.g. a delete after a successful add). */
  failNext(op: DnsOp, zone: string, errcode: number, errtext: string): void;
  /** Another user's edit now. Returns the ids of the records it added. */
  editAsOtherUser(zone: string, edit: OtherEdit): Promise<number[]>;
  setZoneMode(zone: string, mode: ZoneMode, masters?: string[]): Promise<void>;
  addSubscription(name: string, owner: string, domains?: PleskSeed['subscriptions'][number]['domains']): Promise<void>;
  addKey(key: SecretKey): void;
  removeKey(key: string): void;
  attachPdns(pdns: PowerDnsReloader | undefined): void;
  stop(): Promise<void>;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function buildState(seed: PleskSeed, clock: () => Date): PleskState {
  const state = new PleskState(seed.server, seed.adminPassword, () => Math.floor(clock().getTime() / 1000));
  state.setTemplate(seed.template);
  const clients = [...seed.clients].sort((a, b) => (a.type === b.type ? 0 : a.type === 'reseller' ? -1 : 1));
  for (const c of clients)
    state.addClient({ login: c.login, type: c.type, owner: c.owner, password: c.password, name: c.name, manageDns: c.manageDns });
  for (const sub of seed.subscriptions) {
    const { id } = state.addSubscription(sub.name, sub.owner, sub.ip ?? seed.server.ip, sub.status, seed.zones[sub.name]);
    for (const domain of sub.domains) state.addDomain(id, domain, seed.zones[domain.name]);
  }
  state.events.length = 0;
  return state;
}

export async function startPleskSimulator(opts: PleskSimulatorOptions): Promise<PleskSimulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  const seed = parsePleskSeed(opts.seed);
  const clock = opts.clock ?? (() => new Date());
  const state = buildState(seed, clock);
  const files = new ZoneFiles(opts.zonesDir);
  const keys = new SecretKeys(seed.keys);
  const faults = new Faults();
  const hooks = new DnsHooks();
  const log: PleskRequestLogEntry[] = [];
  const hung = new Set<ServerResponse>();
  const reloadErrors: Array<{ zone: string; error: string }> = [];
  let pdns = opts.pdns;

  const flush = async (zoneIds: Iterable<number>) => {
    for (const id of zoneIds) {
      const zone = state.zones.get(id);
      if (!zone) continue;
      if (zone.mode !== 'primary') {
        await files.remove(zone.name);
        continue;
      }
      await files.write(zone.name, pleskZoneText(zone, state.recordsOf(id), seed.server.soaContact, seed.server.hostname));
      try {
        await pdns?.reload(zone.name);
      } catch (err) {
        reloadErrors.push({ zone: zone.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await flush(state.zones.keys());

  const zoneIdOf = (name: string): number => {
    const zone = state.zoneByName(name);
    if (!zone) throw new Error(`no zone ${name} in the Plesk simulator`);
    return zone.id;
  };
  const applyEdit = (zone: string, edit: OtherEdit): number[] => {
    const zoneId = zoneIdOf(zone);
    for (const id of edit.removeIds ?? []) state.deleteRecord(id);
    return (edit.add ?? []).map((r) => state.insertRecord(zoneId, r.type, r.host, r.value, r.opt ?? '').id);
  };

  const cert = await certificateFor(seed.server.hostname);
  const sockets = new Set<Socket>();
  const handler = createPleskHandler({ state, keys, faults, hooks, log, hung, flush: (ids) => flush(ids) });
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => void handler(req, res));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, host);
  let stopped = false;

  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    certPem: cert.certPem,
    fingerprint256: cert.fingerprint256,
    zonesDir: opts.zonesDir,
    seed,
    state,
    log,
    faults,
    events: state.events,
    reloadErrors,
    servedZones: () =>
      [...state.zones.values()]
        .filter((z) => z.mode === 'primary')
        .map((z) => z.name)
        .sort(),
    zoneText: (zone) => files.read(zone),
    records: (zone) => state.recordsOf(zoneIdOf(zone)),
    injectFault: (rule) => faults.add(rule),
    setLatency: (ms, match) => faults.setLatency(ms, match),
    editBeforeNext: (op, zone, edit) => hooks.onNext(op, zone, () => void applyEdit(zone, edit)),
    failNext: (op, zone, errcode, errtext) => hooks.onNext(op, zone, () => new PleskOpError(errcode, errtext)),
    editAsOtherUser: async (zone, edit) => {
      const added = applyEdit(zone, edit);
      await flush([zoneIdOf(zone)]);
      return added;
    },
    setZoneMode: async (zone, mode, masters) => {
      const found = state.zones.get(zoneIdOf(zone));
      if (!found) return;
      found.mode = mode;
      if (masters) found.masters = [...masters];
      await flush([found.id]);
    },
    addSubscription: async (name, owner, domains = []) => {
      const { id, zones } = state.addSubscription(name, owner, seed.server.ip, 0, seed.zones[name]);
      const all = [...zones];
      for (const domain of domains)
        all.push(...state.addDomain(id, { ...domain, manageDns: domain.manageDns }, seed.zones[domain.name]).zones);
      await flush(all);
    },
    addKey: (key) => keys.add(key),
    removeKey: (key) => keys.remove(key),
    attachPdns: (next) => {
      pdns = next;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const res of hung) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
