/**
 * Retries for reads only. A read that timed out or hit a dropped connection or a 5xx
 * is asked again, a bounded number of times with exponential backoff. A write (mass_edit) is NEVER
 * retried: a timed-out write may have landed, and re-sending it could apply it twice (adds are appended,
 * §6.3) — the caller gets TIMEOUT and re-reads the zone instead. Two locks keep it that way: the call
 * must be named in READ_CALLS, and must not be flagged `write`.
 */
import { isTransient } from './failures';
import type { CpanelLogger } from './types';

export interface RetryPolicy {
  /** Total tries, the first included (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2000 };

/** The read-only calls that may be retried: WHM function names and UAPI `Module::function`. */
export const READ_CALLS: ReadonlySet<string> = new Set([
  'parse_dns_zone',
  'listaccts',
  'get_domain_info',
  'listzones',
  'has_local_authority',
  'verify_user_has_feature',
  'DNS::parse_zone',
  'DNS::has_local_authority',
  'DomainInfo::list_domains',
  'Email::list_pops',
]);

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `retry` (1-based): base·2^(retry−1), capped. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

export function mayRetry(call: string, write: boolean | undefined): boolean {
  return write !== true && READ_CALLS.has(call);
}

export async function withRetries<T>(
  call: string,
  write: boolean | undefined,
  operation: () => Promise<T>,
  options: { policy: RetryPolicy; sleep: Sleep; logger?: CpanelLogger },
): Promise<T> {
  const attempts = mayRetry(call, write) ? Math.max(1, options.policy.attempts) : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      const delay = backoffDelay(options.policy, attempt);
      options.logger?.info?.(`${call}: ${(err as Error).message}; retry ${attempt}/${attempts - 1} in ${delay} ms`);
      await options.sleep(delay);
    }
  }
}
