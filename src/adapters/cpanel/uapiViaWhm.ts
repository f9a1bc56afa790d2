/**
 * UAPI as a cPanel user through WHM's `uapi_cpanel` (docs/reference/cpanel-api.md §2.1): root (or the owning reseller)
 * runs the user's UAPI function setuid as that user, so the user's zones and feature list apply. Works
 * over any WHM transport (HTTPS or `whmapi1`). The UAPI result comes back nested under `data.uapi`; the
 * outer `metadata.result` is 1 even when the UAPI call failed, which `uapiApi.ts` handles.
 */
import { FixEmailAuthError } from '../../errors';
import { assertApiName, assertUserName } from './names';
import type { CallOptions, Params, RawAnswer, UapiTransport, WhmTransport } from './types';

export class UapiViaWhmTransport implements UapiTransport {
  readonly description: string;
  readonly envelope = 'uapi_cpanel' as const;

  constructor(
    private readonly whm: WhmTransport,
    readonly user: string,
  ) {
    assertUserName(user);
    this.description = `UAPI as ${user} through uapi_cpanel (${whm.description})`;
  }

  callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('module', module);
    assertApiName('function', fn);
    for (const key of Object.keys(params)) {
      if (key.startsWith('cpanel.'))
        throw new FixEmailAuthError('BAD_INPUT', `Parameter “${key}” is reserved by uapi_cpanel`, { step: options.step });
    }
    return this.whm.callWhm(
      'uapi_cpanel',
      { 'cpanel.user': this.user, 'cpanel.module': module, 'cpanel.function': fn, ...params },
      options,
    );
  }
}
