/**
 * Who a cPanel API call is made for, without threading it through every use case: the daemon runs
 * each request (and each job) inside a scope, and the rate limiter reads it to share WHM's budget
 * fairly between callers and to drop the calls of a request whose client has gone away.
 *
 * Node's AsyncLocalStorage carries the scope along every await, timer and callback started inside it.
 */
import { AsyncLocalStorage } from 'async_hooks';

export interface CallScope {
  /** The fairness key: one queue per key (`user:alice`, `admin:root`, `job:alice`). */
  key: string;
  /** Share of the rate one key may use even when nobody else waits (0–1; default 1). */
  share?: number;
  /** Aborted when nobody waits for the result any more (the bridge gave up). */
  signal?: AbortSignal;
  /**
   * Reads may use the server's domain map from the cache (whmAccounts.ts): true for pages that only
   * show; anything that changes a zone or decides who may change it reads a fresh map.
   */
  cachedDomainMapOk?: boolean;
}

const storage = new AsyncLocalStorage<CallScope>();

/** Run `work` with `scope` as the scope of every API call it makes. */
export function withCallScope<T>(scope: CallScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the current call, if the caller set one. */
export function currentCallScope(): CallScope | undefined {
  return storage.getStore();
}
