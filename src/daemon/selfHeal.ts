/**
 * The daemon's self-healing runtime: the mail-log follower feeding the self-healing loop
 * (src/usecases/autofix), its timers (the sweep of domains still pending, the admin digest), and the
 * Prometheus metrics with their listener when the admin enabled one (`metrics.socket` or
 * `metrics.port` on loopback). Started after start-up recovery, stopped before the store closes.
 */
import { createServer, type Server } from 'http';
import { createFollower, type Follower } from '../adapters/follow';
import { createMetrics, type DaemonMetrics } from '../adapters/metrics/registry';
import type { Services } from '../services';
import { pageLinks } from '../usecases/autofix/links';
import { createSelfHealing, type SelfHealing } from '../usecases/autofix/selfHealing';
import { listenOnSocket, listenOnTcp, removeSocket } from './listen';
import type { Logger } from './logging';

export interface SelfHealRuntimeOptions {
  log: Logger;
  /** Follow the mail log (default: config `follow.enabled`). */
  follow?: boolean;
}

export interface SelfHealRuntime {
  readonly healing: SelfHealing;
  readonly follower: Follower | null;
  readonly metrics: DaemonMetrics;
  /** Start following, the timers, and the metrics listener; resolves with the metrics address, if any. */
  start(): Promise<{ metrics: string | null }>;
  stop(): Promise<void>;
}

export function createSelfHealRuntime(services: Services, options: SelfHealRuntimeOptions): SelfHealRuntime {
  const { config, store } = services;
  const log = options.log;
  let follower: Follower | null = null;
  const host = services.serverName;
  // The queue is read at scrape time, after `healing` exists.
  const metrics: DaemonMetrics = createMetrics({
    store,
    follower: () => follower?.status() ?? null,
    queue: () => healing.queue.stats,
  });
  const healing: SelfHealing = createSelfHealing({
    config,
    context: () => services.repairContext(),
    store,
    accounts: services.accounts,
    mailer: services.noticeMailer,
    contactOf: (user) => services.contactOf(user),
    links: pageLinks({
      cpanelUrl: config.notify.cpanelUrl ?? `https://${host}:2083`,
      whmUrl: config.notify.whmUrl ?? `https://${host}:2087`,
    }),
    serverName: host,
    log: (entry) => log({ msg: 'self-heal', ...entry }),
    now: () => services.clock.now(),
    metrics,
  });
  const stopWatchingWhm = services.onWhmCall((call) => metrics.observeWhm(call));

  if (options.follow ?? config.follow.enabled) {
    let lastError: string | null = null;
    follower = createFollower({
      log: config.paths.eximMainlog,
      cursors: store.logCursors,
      transaction: (fn) => store.transaction(fn),
      sink: healing.sink,
      pollMs: config.follow.pollMs,
      onError: (err) => {
        const message = (err as Error).message;
        if (message === lastError) return;
        lastError = message;
        log({ level: 'warn', msg: 'mail log follower', error: message });
      },
    });
  }

  const timers: NodeJS.Timeout[] = [];
  let metricsServer: Server | null = null;

  async function listenForMetrics(): Promise<string | null> {
    const { socket, port, host: bind } = config.metrics;
    if (socket === undefined && port === undefined) return null;
    metricsServer = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      metrics
        .text()
        .then((text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`));
    });
    if (socket !== undefined) {
      await listenOnSocket(metricsServer, socket);
      return socket;
    }
    const bound = await listenOnTcp(metricsServer, bind, port as number);
    return `http://${bind.includes(':') ? `[${bind}]` : bind}:${bound}/metrics`;
  }

  return {
    healing,
    follower,
    metrics,
    async start() {
      const address = await listenForMetrics();
      follower?.start();
      // Rejections counted before a restart but not diagnosed yet, then every interval.
      healing.sweep();
      const every = (ms: number, fn: () => void) => {
        const t = setInterval(fn, ms);
        t.unref();
        timers.push(t);
      };
      every(config.follow.recheckSeconds * 1000, () => healing.sweep());
      every(config.notify.digestMinutes * 60_000, () => {
        healing.digest().catch((err: unknown) => log({ level: 'error', msg: 'admin digest', error: (err as Error).message }));
      });
      log({
        level: 'info',
        msg: 'self-heal started',
        follow: follower ? config.paths.eximMainlog : null,
        autofix: config.policy.autofix,
        metrics: address,
      });
      return { metrics: address };
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      stopWatchingWhm();
      await follower?.stop();
      await healing.stop();
      if (metricsServer) {
        const server = metricsServer;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        if (config.metrics.socket) await removeSocket(config.metrics.socket);
      }
    },
  };
}
