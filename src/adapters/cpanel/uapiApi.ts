/**
 * UAPI calls as one cPanel user, over whichever transport (HTTPS with the user's token, WHM
 * `uapi_cpanel`, or the `uapi` CLI), with rate limit, read retries and the envelope of that transport
 * (docs/reference/cpanel-api.md §4.1, §4.2, §2.1 — including the inner-status gotcha of uapi_cpanel).
 */
import { expectUapi, type UapiResult } from './envelope';
import { DEFAULT_RETRY_POLICY, realSleep, withRetries, type RetryPolicy, type Sleep } from './retry';
import type { ApiOptions } from './whmApi';
import type { CallOptions, Params, UapiTransport } from './types';

export class UapiApi {
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(
    readonly transport: UapiTransport,
    private readonly options: ApiOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
  }

  get user(): string {
    return this.transport.user;
  }

  call(module: string, fn: string, params: Params, options: CallOptions): Promise<UapiResult> {
    const name = `${module}::${fn}`;
    return withRetries(
      name,
      options.write,
      async () => {
        await this.options.limiter?.acquire();
        const raw = await this.transport.callUapi(module, fn, params, options);
        return expectUapi(raw.body, this.transport.envelope, { call: name, step: options.step }, this.transport.user);
      },
      { policy: this.policy, sleep: this.sleep, logger: this.options.logger },
    );
  }
}
