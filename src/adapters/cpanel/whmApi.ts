/**
 * WHM API 1 calls with everything around the transport: rate limit, read retries, and the envelope
 * (success → `WhmResult`, failure → typed error, docs/reference/cpanel-api.md §4.3).
 */
import { expectWhm, type WhmResult } from './envelope';
import type { RateLimiter } from './rateLimit';
import { DEFAULT_RETRY_POLICY, realSleep, withRetries, type RetryPolicy, type Sleep } from './retry';
import type { CallOptions, CpanelLogger, Params, WhmTransport } from './types';

export interface ApiOptions {
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  logger?: CpanelLogger;
  limiter?: RateLimiter;
}

export class WhmApi {
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(
    readonly transport: WhmTransport,
    private readonly options: ApiOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
  }

  call(fn: string, params: Params, options: CallOptions): Promise<WhmResult> {
    return withRetries(
      fn,
      options.write,
      async () => {
        await this.options.limiter?.acquire();
        const raw = await this.transport.callWhm(fn, params, options);
        return expectWhm(raw.body, { call: fn, step: options.step });
      },
      { policy: this.policy, sleep: this.sleep, logger: this.options.logger },
    );
  }
}
