/**
 * Test knobs that act inside a mass edit: "someone else edited the zone between your read and your
 * write" (checklist §10.5) and forced `InvalidZoneFile` answers (§6.4).
 */

/** Runs when the next mass edit of the zone arrives, before it is validated (the other edit came first). */
export type BeforeMassEditHook = () => Promise<void> | void;

export class MassEditHooks {
  private readonly before = new Map<string, BeforeMassEditHook[]>();
  private readonly invalid = new Map<string, string[][]>();

  onNext(zone: string, hook: BeforeMassEditHook): void {
    this.before.set(zone, [...(this.before.get(zone) ?? []), hook]);
  }

  /** The hook queued first for this zone, removed from the queue. */
  takeBefore(zone: string): BeforeMassEditHook | undefined {
    const queue = this.before.get(zone);
    const hook = queue?.shift();
    if (queue && queue.length === 0) this.before.delete(zone);
    return hook;
  }

  /** The next mass edit of the zone that passes every other check fails with InvalidZoneFile. */
  injectInvalidZone(zone: string, problems: string[]): void {
    this.invalid.set(zone, [...(this.invalid.get(zone) ?? []), problems]);
  }

  takeInvalidZone(zone: string): string[] | undefined {
    const queue = this.invalid.get(zone);
    const problems = queue?.shift();
    if (queue && queue.length === 0) this.invalid.delete(zone);
    return problems;
  }

  clear(): void {
    this.before.clear();
    this.invalid.clear();
  }
}
