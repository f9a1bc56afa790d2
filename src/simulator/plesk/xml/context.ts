/**
 * What an XML API operator reaches: the database, the authenticated caller, the zones the packet
 * changed (written and reloaded after the answer is built), and the test hooks.
 */
import type { PleskClient } from '../model';
import type { PleskOpError } from '../records';
import type { PleskState } from '../state';

export type DnsOp = 'get_rec' | 'add_rec' | 'del_rec';

/** Runs just before the next `op` touching `zone`: stage a concurrent UI edit, or fail the op. */
export type DnsHook = (state: PleskState) => PleskOpError | void;

export class DnsHooks {
  private hooks: Array<{ op: DnsOp; zone: string; run: DnsHook }> = [];

  onNext(op: DnsOp, zone: string, run: DnsHook): void {
    this.hooks.push({ op, zone, run });
  }

  /** Run (and drop) the hooks of `op` on any of `zones`; the first error they return fails the op. */
  fire(op: DnsOp, zones: readonly string[], state: PleskState): PleskOpError | undefined {
    const due = this.hooks.filter((h) => h.op === op && zones.includes(h.zone));
    this.hooks = this.hooks.filter((h) => !due.includes(h));
    let failure: PleskOpError | undefined;
    for (const hook of due) failure = hook.run(state) ?? failure;
    return failure;
  }

  clear(): void {
    this.hooks = [];
  }
}

export interface XmlCall {
  state: PleskState;
  caller: PleskClient;
  /** Ids of zones whose records changed while the packet ran. */
  changed: Set<number>;
  hooks: DnsHooks;
}
