/**
 * Re-diagnose each rejected domain at once, but at most once per `minIntervalMs` whatever the number
 * of rejections: a domain already queued, running, or checked within the interval is not queued
 * again (its row stays `pending` in the store, and the periodic sweep looks at it once the interval
 * has passed). The queue is bounded too: beyond `maxQueued` domains wait for the sweep.
 */
export interface RecheckQueueOptions {
  run(domain: string): Promise<void>;
  minIntervalMs: number;
  now?: () => number;
  concurrency?: number;
  maxQueued?: number;
  onError?: (domain: string, err: unknown) => void;
}

export interface RecheckQueue {
  /** Queue a check; false when the domain was left for later (checked recently, queued, or queue full). */
  add(domain: string): boolean;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  readonly stats: { runs: number; skipped: number; overflow: number; queued: number; running: number };
  stop(): Promise<void>;
}

export function createRecheckQueue(options: RecheckQueueOptions): RecheckQueue {
  const now = options.now ?? Date.now;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const maxQueued = options.maxQueued ?? 10_000;
  const fifo: string[] = [];
  const queued = new Set<string>();
  const running = new Set<string>();
  /** When each domain's last check started; pruned as entries age past the interval. */
  const lastRun = new Map<string, number>();
  const stats = { runs: 0, skipped: 0, overflow: 0, queued: 0, running: 0 };
  let waiters: Array<() => void> = [];
  let stopped = false;

  const prune = () => {
    const cutoff = now() - options.minIntervalMs;
    for (const [domain, at] of lastRun) if (at < cutoff) lastRun.delete(domain);
  };

  const settle = () => {
    stats.queued = fifo.length;
    stats.running = running.size;
    if (fifo.length === 0 && running.size === 0) {
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    }
  };

  const pump = () => {
    while (!stopped && running.size < concurrency && fifo.length > 0) {
      const domain = fifo.shift() as string;
      queued.delete(domain);
      running.add(domain);
      lastRun.set(domain, now());
      stats.runs++;
      void options
        .run(domain)
        .catch((err: unknown) => options.onError?.(domain, err))
        .finally(() => {
          running.delete(domain);
          pump();
          settle();
        });
    }
    settle();
  };

  return {
    add(domain) {
      if (stopped || queued.has(domain) || running.has(domain)) {
        stats.skipped++;
        return false;
      }
      const last = lastRun.get(domain);
      if (last !== undefined && now() - last < options.minIntervalMs) {
        stats.skipped++;
        return false;
      }
      if (fifo.length >= maxQueued) {
        stats.overflow++;
        return false;
      }
      if (lastRun.size > maxQueued) prune();
      queued.add(domain);
      fifo.push(domain);
      pump();
      return true;
    },
    idle() {
      if (fifo.length === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stats,
    async stop() {
      stopped = true;
      fifo.length = 0;
      queued.clear();
      if (running.size > 0) await new Promise<void>((resolve) => waiters.push(resolve));
      settle();
    },
  };
}
