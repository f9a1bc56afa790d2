/**
 * The cPanel/WHM API simulator (docs/reference/cpanel-api.md §10): two HTTPS listeners on loopback — the cPanel side
 * (`/execute/…`, like port 2083) and the WHM side (`/json-api/…`, like 2087) — over real BIND-format
 * zone files in `zonesDir`, plus the knobs tests need to stage what real servers do.
 */
import { promises as fs } from 'fs';
import { createServer, type Server } from 'https';
import type { ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';
import { TokenRegistry } from './auth';
import type { SimContext, ZoneAuthority } from './context';
import { Directory } from './directory';
import { Faults, type FaultRule } from './faults';
import { createRequestHandler, type HandlerDeps } from './httpHandler';
import { MassEditHooks, type BeforeMassEditHook } from './massEditHooks';
import { otherUserEdit, otherUserRemoveLines } from './massEdit';
import { RequestLog } from './requestLog';
import {
  parseAccountSpec,
  parseSeed,
  parseZoneSpec,
  type AccountSpecInput,
  type Seed,
  type SeedInput,
  type TokenSpec,
  type ZoneSpecInput,
} from './seed';
import { certificateFor } from './tls';
import { createXidGenerator } from './xid';
import { zoneText } from './zoneLayout';
import { ZoneFiles } from './zoneFiles';
import type { MassEditChange } from '../zone/lineEdit';
import type { MassEditAdd } from '../zone/model';

export interface PowerDnsReloader {
  reload(zone: string): Promise<void>;
}

export interface SimulatorOptions {
  zonesDir: string;
  seed: Seed | SeedInput;
  clock?: () => Date;
  /** Reloaded after every successful zone write (cPanel's RELOADBIND). */
  pdns?: PowerDnsReloader;
  /** Listen address; loopback only (default 127.0.0.1). */
  host?: string;
  /** IANA time zone of the serial bump's "today" (default UTC). */
  timeZone?: string;
  /** Seed of the deterministic XID generator (default 1). */
  xidSeed?: number;
  /** `new_serial` as a JSON number (default, the documented sample) or a string (§6.3). */
  newSerialType?: 'number' | 'string';
  /** Write the seed's zones into zonesDir at start (default true); false keeps files already there. */
  writeSeedZones?: boolean;
  /** Where the seed's zone templates are written (cPanel's /var/cpanel/zonetemplates); none when absent. */
  templatesDir?: string;
}

export interface Simulator {
  readonly host: string;
  readonly cpanelPort: number;
  readonly whmPort: number;
  /** `https://127.0.0.1:<port>` of the cPanel side (UAPI, `/execute/…`). */
  readonly cpanelUrl: string;
  /** `https://127.0.0.1:<port>` of the WHM side (`/json-api/…`). */
  readonly whmUrl: string;
  /** The self-signed certificate both listeners present, PEM; usable as a client's CA. */
  readonly certPem: string;
  /** Its SHA-256 fingerprint, `AA:BB:…`. */
  readonly fingerprint256: string;
  readonly zonesDir: string;
  readonly seed: Seed;
  readonly log: RequestLog;
  readonly faults: Faults;
  /** Errors of the attached PowerDNS reloader (a failing reload does not fail the API call). */
  readonly reloadErrors: Array<{ zone: string; error: string }>;

  /** Per-call knob: how `new_serial` is typed in mass_edit answers. */
  setNewSerialType(type: 'number' | 'string'): void;
  setFeatures(user: string, features: readonly string[]): void;
  featuresOf(user: string): string[];
  /** Switch any other feature (e.g. the plugin's `fix_email_auth`) on or off for an account. */
  setFeatureEnabled(user: string, feature: string, enabled: boolean): void;
  /** Add an account (seed shape) and write its zones (given, or cPanel's default zone per domain). */
  addAccount(account: AccountSpecInput, zones?: ZoneSpecInput[]): Promise<void>;
  /**
   * Terminate an account as WHM's `removeacct` does: the account, its domains and their zone files
   * are gone, and its user name is free to be created again (with `addAccount`).
   */
  removeAccount(user: string): Promise<void>;
  /** Write a zone file directly (a restore, a hand edit); reloads PowerDNS unless told not to. */
  setZoneText(zone: string, text: string, opts?: { reload?: boolean }): Promise<void>;
  /** Every zone with a file in zonesDir. */
  zoneNames(): Promise<string[]>;
  /** The zone file as it is on disk now (latin1 string), or null. */
  zoneText(zone: string): Promise<string | null>;
  setLocalAuthority(zone: string, localAuthority: 0 | 1, publicNameservers?: string[]): void;
  addToken(token: TokenSpec): void;
  revokeToken(token: string): void;
  /** Run `hook` when the next mass edit of `zone` arrives, before it is checked. */
  onNextMassEdit(zone: string, hook: BeforeMassEditHook): void;
  /**
   * Stage a concurrent Zone Editor edit: when the next mass edit of `zone` arrives, another user's
   * edit lands first (it adds `record`, default a TXT at `concurrent-edit`, and bumps the serial), so
   * the caller's serial is stale. The other user's record must survive the caller's retry.
   */
  concurrentEditBeforeNextMassEdit(zone: string, record?: MassEditAdd): void;
  /** Apply another user's edit now (adds `record`, bumps the serial); returns the new serial. */
  editAsOtherUser(zone: string, record?: MassEditAdd): Promise<string>;
  /** Another user's Zone Editor edit of any kind (adds, edits, removes by line), now; returns the new serial. */
  massEditAsOtherUser(zone: string, change: Partial<MassEditChange>): Promise<string>;
  /** Another party removes the record at `lineIndex` as WHM's `removezonerecord` does: later lines shift up; returns the new serial. */
  removeLinesAsOtherUser(zone: string, lineIndex: number): Promise<string>;
  /** The next mass edit of `zone` that passes every other check fails with InvalidZoneFile. */
  injectInvalidZoneFile(zone: string, problems?: string[]): void;
  /** Transport faults: HTTP status, hang, drop, auth refusal (see faults.ts). */
  injectFault(rule: FaultRule): void;
  setLatency(ms: number, match?: string | RegExp): void;
  /** Attach (or replace) the PowerDNS reloader after start. */
  attachPdns(pdns: PowerDnsReloader | undefined): void;
  stop(): Promise<void>;
}

export const DEFAULT_CONCURRENT_RECORD: MassEditAdd = {
  dname: 'concurrent-edit',
  ttl: 14400,
  record_type: 'TXT',
  data: ['added by another Zone Editor user'],
};

/** Every zone the seed implies: the given ones, and cPanel's default zone for each main/addon/parked domain without one. */
function seedZoneTexts(seed: Seed, directory: Directory): Map<string, string> {
  const texts = new Map<string, string>();
  const ipOfZone = (zone: string) => directory.ownerOfZone(zone)?.ip ?? seed.server.ip;
  for (const zone of seed.zones) texts.set(zone.name, zoneText(zone, seed.server, ipOfZone(zone.name)));
  for (const account of directory.allAccounts()) {
    for (const zone of directory.zoneNamesOf(account.user)) {
      if (!texts.has(zone)) texts.set(zone, zoneText(parseZoneSpec({ name: zone }), seed.server, account.ip ?? seed.server.ip));
    }
  }
  return texts;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  const seed = parseSeed(opts.seed);
  const directory = new Directory(seed);
  const zones = new ZoneFiles(opts.zonesDir);
  await fs.mkdir(opts.zonesDir, { recursive: true });

  const authority = new Map<string, ZoneAuthority>();
  for (const zone of seed.zones) {
    authority.set(zone.name, {
      localAuthority: zone.localAuthority,
      ...(zone.publicNameservers ? { publicNameservers: zone.publicNameservers } : {}),
    });
  }

  let pdns = opts.pdns;
  const reloadErrors: Array<{ zone: string; error: string }> = [];
  const reload = async (zone: string) => {
    if (!pdns) return;
    try {
      await pdns.reload(zone);
    } catch (err) {
      reloadErrors.push({ zone, error: err instanceof Error ? err.message : String(err) });
    }
  };

  const ctx: SimContext = {
    directory,
    zones,
    server: seed.server,
    authority,
    clock: opts.clock ?? (() => new Date()),
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
    xid: createXidGenerator(opts.xidSeed ?? 1),
    massEditHooks: new MassEditHooks(),
    newSerialType: opts.newSerialType ?? 'number',
    afterZoneWrite: reload,
  };

  if (opts.writeSeedZones ?? true) {
    for (const [zone, text] of seedZoneTexts(seed, directory)) await zones.write(zone, text);
  }
  if (opts.templatesDir) {
    await fs.mkdir(opts.templatesDir, { recursive: true });
    for (const [name, text] of Object.entries(seed.zoneTemplates)) await fs.writeFile(`${opts.templatesDir}/${name}`, text, 'latin1');
  }

  const tokens = new TokenRegistry(seed.tokens);
  const faults = new Faults();
  const log = new RequestLog();
  const hung = new Set<ServerResponse>();
  const deps: HandlerDeps = { ctx, tokens, faults, log, hung };
  const cert = await certificateFor(seed.server.hostname);
  const sockets = new Set<Socket>();
  const makeServer = (side: 'cpanel' | 'whm') => {
    const handle = createRequestHandler(side, deps);
    const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => void handle(req, res));
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return server;
  };
  const cpanelServer = makeServer('cpanel');
  const whmServer = makeServer('whm');
  const cpanelPort = await listen(cpanelServer, host);
  const whmPort = await listen(whmServer, host);

  const writeAccountZones = async (texts: Map<string, string>) => {
    for (const [zone, text] of texts) {
      await zones.write(zone, text);
      await reload(zone);
    }
  };

  let stopped = false;
  const simulator: Simulator = {
    host,
    cpanelPort,
    whmPort,
    cpanelUrl: `https://${urlHost(host)}:${cpanelPort}`,
    whmUrl: `https://${urlHost(host)}:${whmPort}`,
    certPem: cert.certPem,
    fingerprint256: cert.fingerprint256,
    zonesDir: opts.zonesDir,
    seed,
    log,
    faults,
    reloadErrors,
    setNewSerialType: (type) => {
      ctx.newSerialType = type;
    },
    setFeatures: (user, features) => directory.setFeatures(user, features),
    featuresOf: (user) => [...(directory.account(user)?.features ?? [])],
    setFeatureEnabled: (user, feature, enabled) => directory.setFeatureEnabled(user, feature, enabled),
    addAccount: async (input, zoneInputs = []) => {
      const account = parseAccountSpec(input);
      directory.addAccount(account);
      const specs = zoneInputs.map((z) => parseZoneSpec(z));
      const texts = new Map<string, string>();
      for (const spec of specs) {
        texts.set(spec.name, zoneText(spec, seed.server, account.ip ?? seed.server.ip));
        authority.set(spec.name, {
          localAuthority: spec.localAuthority,
          ...(spec.publicNameservers ? { publicNameservers: spec.publicNameservers } : {}),
        });
      }
      for (const zone of directory.zoneNamesOf(account.user)) {
        if (!texts.has(zone)) texts.set(zone, zoneText(parseZoneSpec({ name: zone }), seed.server, account.ip ?? seed.server.ip));
      }
      await writeAccountZones(texts);
    },
    removeAccount: async (user) => {
      const zoneNames = directory.zoneNamesOf(user);
      directory.removeAccount(user);
      for (const zone of zoneNames) {
        await zones.remove(zone);
        authority.delete(zone);
      }
    },
    setZoneText: async (zone, text, { reload: shouldReload = true } = {}) => {
      await zones.write(zone, text);
      if (shouldReload) await reload(zone);
    },
    zoneText: (zone) => zones.read(zone),
    zoneNames: () => zones.list(),
    setLocalAuthority: (zone, localAuthority, publicNameservers) => {
      authority.set(zone, { localAuthority, ...(publicNameservers ? { publicNameservers } : {}) });
    },
    addToken: (token) => tokens.add(token),
    revokeToken: (token) => tokens.revoke(token),
    onNextMassEdit: (zone, hook) => ctx.massEditHooks.onNext(zone, hook),
    concurrentEditBeforeNextMassEdit: (zone, record = DEFAULT_CONCURRENT_RECORD) => {
      ctx.massEditHooks.onNext(zone, async () => {
        await otherUserEdit(ctx, zone, { add: [record] });
      });
    },
    editAsOtherUser: (zone, record = DEFAULT_CONCURRENT_RECORD) => otherUserEdit(ctx, zone, { add: [record] }),
    massEditAsOtherUser: (zone, change) => otherUserEdit(ctx, zone, change),
    removeLinesAsOtherUser: (zone, lineIndex) => otherUserRemoveLines(ctx, zone, lineIndex),
    injectInvalidZoneFile: (zone, problems = ['injected: the zone failed named-checkzone.']) =>
      ctx.massEditHooks.injectInvalidZone(zone, problems),
    injectFault: (rule) => faults.add(rule),
    setLatency: (ms, match) => faults.setLatency(ms, match),
    attachPdns: (next) => {
      pdns = next;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const res of hung) res.destroy();
      hung.clear();
      const closed = Promise.all([cpanelServer, whmServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return simulator;
}
