/**
 * Spaces out API calls (config `cpanel.rateLimitPerSecond`, default 20): a bulk scan of thousands of
 * domains must not flood cpsrvd, which also serves the customers' own cPanel sessions.
 */
import type { Sleep } from './retry';

export class RateLimiter {
  private nextSlot = 0;
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly sleep: Sleep,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may start its call. */
  async acquire(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }
}
