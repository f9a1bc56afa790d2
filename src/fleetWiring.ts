/**
 * The composition of a server's fleet link (usecases/fleet/): the controller client and credentials
 * file (adapters/fleet), the store's outbox, the job runner for accepted repairs, the live diagnosis
 * and the Exim log's rejections. The daemon starts the loop when the server has joined; the CLI's
 * `fleet join` and `fleet sync` use the same pieces.
 */
import { existsSync } from 'fs';
import { hostname } from 'os';
import {
  createFleetLink,
  enrollWithController,
  readFleetCredentials,
  writeFleetCredentials,
  type FleetCredentials,
} from './adapters/fleet';
import type { ServerInfo } from './fleet/protocol';
import type { Services } from './services';
import { startBulkFix, serverBounces } from './usecases/bulk';
import { startFleetAgent, rejectionRowOf, syncWithController, type FleetAgent, type JoinDeps, type SyncDeps } from './usecases/fleet';
import { diagnoseDomains } from './usecases/inspect';
import type { JobRunner } from './usecases/jobs';
import { checkDomainSyntax } from './usecases/repair';
import { version } from '../package.json';

/** How far back the first look at the mail log goes. */
const FIRST_REJECTIONS_MS = 7 * 86_400_000;

export function fleetInfo(): ServerInfo {
  return { hostname: hostname().slice(0, 253) || 'localhost', version };
}

export function fleetCredentials(services: Services): FleetCredentials | null {
  return readFleetCredentials(services.config.fleet.credentialsFile);
}

export function fleetJoinDeps(services: Services): JoinDeps {
  const file = services.config.fleet.credentialsFile;
  return {
    enroll: (url, body, options) => enrollWithController(url, body, options),
    readCredentials: () => readFleetCredentials(file),
    writeCredentials: (c) => writeFleetCredentials(file, c),
    outbox: services.store.fleet,
    info: fleetInfo(),
    clock: services.clock,
  };
}

export function fleetSyncDeps(services: Services, runner: JobRunner, credentials: FleetCredentials, log?: SyncDeps['log']): SyncDeps {
  const { config, store, clock } = services;
  return {
    outbox: store.fleet,
    transaction: (fn) => store.transaction(fn),
    clock,
    link: createFleetLink(credentials),
    info: fleetInfo(),
    ...(log ? { log } : {}),
    rejectionsSince: async (since) => {
      // No mail log here (a DNS-only server, a test stack): nothing to report, not a failed exchange.
      if (!existsSync(config.paths.eximMainlog)) return [];
      const report = await serverBounces({
        log: config.paths.eximMainlog,
        since: since ?? new Date(clock.now().getTime() - FIRST_REJECTIONS_MS),
        relayHost: config.provider.relayHost,
        provider: config.provider.authId,
        cursorStore: store.logCursors,
        now: clock.now(),
      });
      return report.events.map(rejectionRowOf);
    },
    diagnose: async (domain) => {
      const ctx = services.repairContext();
      const info = await ctx.accounts.findDomain(checkDomainSyntax(domain));
      if (!info) return null;
      const [diagnosis] = await diagnoseDomains(ctx, [info]);
      return diagnosis ?? null;
    },
    startRepairJob: (domains, actor) => startBulkFix(runner, domains, actor),
    getJob: (id) => store.getJob(id),
    listJobItems: (id) => store.listJobItems(id),
  };
}

/** The daemon's loop when this server has joined a fleet; null when it has not. */
export function startFleetAgentIfJoined(
  services: Services,
  runner: JobRunner,
  log: (entry: Record<string, unknown>) => void,
): FleetAgent | null {
  const credentials = fleetCredentials(services);
  if (!credentials) return null;
  services.store.fleet.enableFleetFeed();
  const deps = fleetSyncDeps(services, runner, credentials, log);
  log({ level: 'info', msg: 'fleet link', controller: credentials.controllerUrl, server: credentials.name });
  return startFleetAgent({ sync: (options) => syncWithController(deps, options), checkSeconds: services.config.fleet.checkSeconds, log });
}
