/**
 * The daemon's fleet loop: every `checkSeconds` it collects and pushes what changed (so a scan or a
 * repair reaches the controller within seconds), and it pulls requests at the pace the controller
 * asks for. A failed exchange is logged and retried later with a growing wait (up to five minutes),
 * never thrown at the daemon. One exchange at a time.
 */
import type { SyncReport } from './sync';

export interface FleetAgentDeps {
  sync(options: { pull: boolean }): Promise<SyncReport>;
  checkSeconds: number;
  log?: (entry: Record<string, unknown>) => void;
  now?: () => number;
}

export interface FleetAgent {
  /** Run an exchange now (with a pull) unless one is running; resolves when it is over. */
  runNow(): Promise<SyncReport | null>;
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 300_000;

export function startFleetAgent(deps: FleetAgentDeps): FleetAgent {
  const now = deps.now ?? Date.now;
  const checkMs = deps.checkSeconds * 1000;
  let pollMs = 60_000;
  let lastPull = 0;
  let failures = 0;
  let running: Promise<SyncReport | null> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const exchange = (pull: boolean): Promise<SyncReport | null> => {
    if (running) return running;
    running = (async () => {
      try {
        const report = await deps.sync({ pull });
        if (pull) lastPull = now();
        if (report.pollSeconds) pollMs = report.pollSeconds * 1000;
        failures = 0;
        if (report.pushedEntries || report.pulled)
          deps.log?.({
            level: 'info',
            msg: 'fleet exchange',
            pushed: report.pushedEntries,
            pulled: report.pulled,
            accepted: report.accepted,
            declined: report.declined,
            settled: report.settled,
          });
        return report;
      } catch (err) {
        failures++;
        deps.log?.({ level: 'warn', msg: 'fleet exchange failed', error: err instanceof Error ? err.message : String(err), failures });
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    const wait = failures === 0 ? checkMs : Math.min(MAX_BACKOFF_MS, checkMs * 2 ** Math.min(failures, 10));
    timer = setTimeout(() => {
      void exchange(now() - lastPull >= pollMs).finally(schedule);
    }, wait);
    timer.unref();
  };
  // The first exchange right away: a restarted daemon reports in at once.
  void exchange(true).finally(schedule);

  return {
    runNow: () => exchange(true),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
