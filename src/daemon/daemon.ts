/**
 * `createDaemon(services, options)`: the express app, the job runner with its handlers, where it
 * listens, and how it stops. Start: settle what a previous process left half-done (changes left
 * `applying`, job items left running), then listen. Stop (SIGTERM/SIGINT in `serve`): stop accepting,
 * let running jobs finish until a deadline, mark the rest interrupted for the next start.
 */
import { createServer, type Server } from 'http';
import type { Express } from 'express';
import type { Services } from '../services';
import { registerServerJobs } from '../usecases/bulk';
import { createJobRunner, recoverAtStart, registerChangeJobs, type JobRunner, type StartupRecovery } from '../usecases/jobs';
import { startFleetAgentIfJoined } from '../fleetWiring';
import type { FleetAgent } from '../usecases/fleet';
import { settleChangeFromZone } from '../usecases/repair';
import { buildApp } from './app';
import type { AppContext, DemoInfo } from './context';
import { listenOnSocket, listenOnTcp, removeSocket, type ListenTarget } from './listen';
import { createJobAdmission, DEFAULT_FAIR_SHARE, fairShareRunner, type FairShareLimits } from './fairShare';
import { jsonLogger, type Logger } from './logging';
import { parseMountTemplate } from './mount';
import { createSelfHealRuntime, type SelfHealRuntime } from './selfHeal';
import { createSessionKeeper } from './session';
import { version as packageVersion } from '../../package.json';

export interface DaemonOptions {
  /** `{ socket }` (production, identity from the bridges) or `{ host, port }` (demo: loopback TCP). */
  listen: ListenTarget;
  log?: Logger;
  /** TCP only: notes under the demo banner (what is simulated). */
  demo?: DemoInfo;
  /** How long running jobs may take to finish at shutdown (default 20 s). */
  shutdownDeadlineMs?: number;
  /** TCP only: build links with this mount template (to try the relay URL form directly). */
  mount?: string;
  /** TCP only: the session signing key (default: random per process). */
  sessionSecret?: Buffer;
  /** Skip start-up recovery (tests that stage it themselves). */
  skipRecovery?: boolean;
  /**
   * Run self-healing: follow the mail log, repair by policy, notices, metrics (default: in socket
   * mode, i.e. on a server). `{ follow: false }` runs it without the follower.
   */
  selfHeal?: boolean | { follow?: boolean };
  /** Bounds on requests and jobs per tenant (default DEFAULT_FAIR_SHARE, fairShare.ts). */
  fairShare?: Partial<FairShareLimits>;
}

export interface Daemon {
  readonly app: Express;
  readonly runner: JobRunner;
  readonly selfHeal: SelfHealRuntime | null;
  /** Settle interrupted work, then listen; resolves with the address (socket path or http URL). */
  listen(): Promise<{ address: string; recovery: StartupRecovery | null }>;
  /** Stop accepting, drain jobs to the deadline, close connections; does not close `services`. */
  close(): Promise<void>;
}

function version(): string {
  try {
    return packageVersion;
  } catch {
    return 'unknown';
  }
}

export function createDaemon(services: Services, options: DaemonOptions): Daemon {
  const log = options.log ?? jsonLogger();
  const mode: AppContext['mode'] = 'socket' in options.listen ? 'socket' : 'tcp';
  const runner = createJobRunner({
    queue: services.store,
    log: (entry) => log({ msg: 'job', ...entry }),
    settleChange: (changeId) => settleChangeFromZone(services.repairContext(), changeId),
  });
  const handlerDeps = { context: () => services.repairContext(), scans: services.store };
  registerChangeJobs(runner, handlerDeps);
  registerServerJobs(runner, services.serverJobDeps());
  const wantSelfHeal = options.selfHeal ?? mode === 'socket';
  const selfHeal = wantSelfHeal
    ? createSelfHealRuntime(services, { log, ...(typeof wantSelfHeal === 'object' ? wantSelfHeal : {}) })
    : null;

  const fairShare: FairShareLimits = { ...DEFAULT_FAIR_SHARE, ...options.fairShare };
  const actorOfJob = (id: number) => services.store.getJob(id)?.actor;
  const jobAdmission = createJobAdmission(runner, fairShare, actorOfJob);
  const ctx: AppContext = {
    services,
    // Routes start jobs through the fair-share runner: bounded per user, each in a scope of its own.
    runner: fairShareRunner(runner, jobAdmission, actorOfJob),
    fairShare,
    jobAdmission,
    log,
    mode,
    sessions: mode === 'tcp' ? createSessionKeeper(options.sessionSecret ? { secret: options.sessionSecret } : {}) : null,
    demo: mode === 'tcp' ? (options.demo ?? { notes: [] }) : null,
    version: version(),
    tcpMount: mode === 'tcp' && options.mount ? parseMountTemplate(options.mount) : null,
    selfHeal,
  };
  const app = buildApp(ctx);
  const server: Server = createServer(app);
  // Slow clients must not hold the daemon: bounded header and request times.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  let closing: Promise<void> | null = null;
  let fleet: FleetAgent | null = null;

  return {
    app,
    runner,
    selfHeal,
    async listen() {
      let recovery: StartupRecovery | null = null;
      if (!options.skipRecovery) {
        recovery = await recoverAtStart({
          ctx: services.repairContext(),
          recovery: services.store,
          journal: services.store,
          runner,
          log: (e) => log({ msg: 'recovery', ...e }),
        });
      }
      let address: string;
      if ('socket' in options.listen) {
        await listenOnSocket(server, options.listen.socket);
        address = options.listen.socket;
      } else {
        const port = await listenOnTcp(server, options.listen.host, options.listen.port);
        const host = options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host;
        address = `http://${host}:${port}`;
      }
      log({ level: 'info', msg: 'listening', address, mode });
      await selfHeal?.start();
      // A server that joined a fleet reports to its controller and pulls repair requests (usecases/fleet/).
      fleet = startFleetAgentIfJoined(services, runner, (e) => log({ ...e, msg: String(e.msg) }));
      return { address, recovery };
    },
    close() {
      closing ??= (async () => {
        log({ level: 'info', msg: 'shutting down' });
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await selfHeal?.stop();
        await fleet?.stop();
        const drained = await runner.drain(options.shutdownDeadlineMs ?? 20_000);
        log({
          level: drained.finished ? 'info' : 'warn',
          msg: 'jobs drained',
          finished: drained.finished,
          interrupted: drained.interrupted,
        });
        server.closeAllConnections();
        if (server.listening) await stopped;
        if ('socket' in options.listen) await removeSocket(options.listen.socket);
        log({ level: 'info', msg: 'stopped' });
      })();
      return closing;
    },
  };
}
