/**
 * Spaces out API calls (config `cpanel.rateLimitPerSecond`, default 20): a bulk scan of thousands of
 * domains must not flood cpsrvd, which also serves the customers' own cPanel sessions.
 *
 * The budget is shared fairly. Each caller (the key of its call scope, callScope.ts: one per cPanel
 * user, the admin, each user's jobs) waits in its own queue, and every free slot goes to the waiting
 * caller whose turn comes first, round robin. A caller may also be held to a share of the rate
 * (`share` 0.5: at most half of the slots even when nobody else waits), so that another user's page
 * finds the same room whether this caller is busy or idle. Calls of a request whose client has gone
 * (its scope's signal aborted) leave the queue without being made.
 *
 * Written by hand: the npm rate limiters (bottleneck, p-limit, p-queue) queue first-come first-served
 * or by priority, not fairly per caller with a per-caller cap and abort.
 */
import { currentCallScope } from './callScope';
import { cpanelError } from './failures';
import type { Sleep } from './retry';

interface Waiter {
  key: string;
  share: number;
  resolve(): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const DEFAULT_KEY = 'default';

function abandoned() {
  return cpanelError('TIMEOUT', 'The request this cPanel call was for was abandoned by its client; the call was not made', {
    step: 'read',
    retryable: false,
  });
}

export class RateLimiter {
  private readonly intervalMs: number;
  private globalNext = 0;
  /** Earliest next slot of each key held to a share; entries in the past are pruned. */
  private readonly keyNext = new Map<string, number>();
  private readonly queues = new Map<string, Waiter[]>();
  /** Keys with waiters, in round-robin order; on a tie the key after the last one served goes first. */
  private ring: string[] = [];
  private lastServed: string | null = null;
  private pumping = false;
  private wake: (() => void) | null = null;

  constructor(
    perSecond: number,
    private readonly sleep: Sleep,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may start its call; rejects when its request was abandoned. */
  acquire(): Promise<void> {
    const scope = currentCallScope();
    const signal = scope?.signal;
    if (signal?.aborted) return Promise.reject(abandoned());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { key: scope?.key ?? DEFAULT_KEY, share: Math.min(1, Math.max(0.01, scope?.share ?? 1)), resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => this.drop(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      const queue = this.queues.get(waiter.key);
      if (queue) queue.push(waiter);
      else {
        this.queues.set(waiter.key, [waiter]);
        this.ring.push(waiter.key);
      }
      this.wake?.();
      void this.pump();
    });
  }

  /** Callers waiting now, per key (tests, the benchmark). */
  waiting(): Record<string, number> {
    return Object.fromEntries([...this.queues].map(([key, queue]) => [key, queue.length]));
  }

  private drop(waiter: Waiter): void {
    const queue = this.queues.get(waiter.key);
    const at = queue?.indexOf(waiter) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.removeKey(waiter.key);
    waiter.reject(abandoned());
    this.wake?.();
  }

  private removeKey(key: string): void {
    this.queues.delete(key);
    this.ring.splice(this.ring.indexOf(key), 1);
  }

  /** The waiting key whose slot comes first (ties: ring order, starting after the last key served). */
  private pick(): { key: string; at: number } | null {
    let best: { key: string; at: number } | null = null;
    const start = this.lastServed === null ? 0 : this.ring.indexOf(this.lastServed) + 1;
    for (let i = 0; i < this.ring.length; i++) {
      const key = this.ring[(start + i) % this.ring.length] as string;
      const at = Math.max(this.globalNext, this.keyNext.get(key) ?? 0);
      if (!best || at < best.at) best = { key, at };
    }
    return best;
  }

  private grant(key: string, at: number): void {
    const queue = this.queues.get(key) as Waiter[];
    const waiter = queue.shift() as Waiter;
    if (queue.length === 0) this.removeKey(key);
    this.lastServed = key;
    this.globalNext = at + this.intervalMs;
    if (waiter.share < 1) this.keyNext.set(key, at + this.intervalMs / waiter.share);
    else this.keyNext.delete(key);
    for (const [k, next] of this.keyNext) if (next <= at && !this.queues.has(k)) this.keyNext.delete(k);
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }

  /** Sleep, or less when a new caller arrives (it may be owed an earlier slot); true when woken early. */
  private async nap(ms: number): Promise<boolean> {
    const woken = new Promise<boolean>((resolve) => (this.wake = () => resolve(true)));
    const early = await Promise.race([this.sleep(ms).then(() => false), woken]);
    this.wake = null;
    return early;
  }

  /**
   * Hands out slots while anyone waits. `floor` is the time a finished nap has reached: with a
   * clock that stands still (tests) a nap still counts as time passed.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    let floor = -Infinity;
    try {
      for (;;) {
        const pick = this.pick();
        if (!pick) return;
        const now = Math.max(this.now(), floor);
        if (pick.at > now) {
          if (!(await this.nap(pick.at - now))) floor = pick.at;
          continue;
        }
        this.grant(pick.key, Math.max(now, pick.at));
      }
    } finally {
      this.pumping = false;
    }
  }
}
