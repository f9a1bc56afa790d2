/**
 * One write at a time per zone. Two domains of one zone (a main domain and its sub-domain, or an
 * addon's hidden sub) are repaired one after the other: the second reads the zone after the first's
 * change, so it never sends a stale serial or undoes the first's edit. Different zones run in parallel.
 */
export class ZoneLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `fn` when no other `run` of the same zone is running; the zone is free again when it settles. */
  async run<T>(zone: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(zone) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(zone, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(zone) === tail) this.tails.delete(zone);
    }
  }

  /** Zones with a holder or a waiter (tests). */
  busy(): string[] {
    return [...this.tails.keys()];
  }
}
