/**
 * UAPI over HTTPS as the cPanel user (docs/reference/cpanel-api.md §1, §2): `https://host:2083/execute/<Module>/<fn>`
 * with `Authorization: cpanel <user>:<token>`. No `cpsess` prefix with token auth. The answer is the
 * bare UAPI result object (§4.1).
 */
import { encodeForm } from './params';
import { httpsRequest } from './httpsRequest';
import { jsonFromHttp } from './httpAnswer';
import { assertApiName, assertUserName } from './names';
import { apiUrl, MAX_GET_QUERY, type HttpsEndpoint } from './whmHttps';
import type { CallOptions, Params, RawAnswer, UapiTransport } from './types';

export class UapiHttpsTransport implements UapiTransport {
  readonly description: string;
  readonly envelope = 'bare' as const;
  readonly user: string;

  constructor(private readonly endpoint: HttpsEndpoint) {
    assertUserName(endpoint.user);
    this.user = endpoint.user;
    this.description = `UAPI as ${endpoint.user} at ${new URL(endpoint.baseUrl).origin}`;
  }

  async callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('module', module);
    assertApiName('function', fn);
    const form = encodeForm(params, this.endpoint.listStyle);
    const post = options.write === true || form.length > MAX_GET_QUERY;
    const url = apiUrl(this.endpoint.baseUrl, `/execute/${module}/${fn}`, post ? undefined : form);
    const what = `UAPI ${module}::${fn} as ${this.user}`;
    const answer = await httpsRequest({
      url,
      method: post ? 'POST' : 'GET',
      headers: { Authorization: `cpanel ${this.user}:${this.endpoint.token}` },
      body: post ? form : undefined,
      timeoutMs: this.endpoint.timeoutMs,
      tls: this.endpoint.tls,
      step: options.step,
      what,
    });
    return jsonFromHttp(answer, { what, where: url.origin, step: options.step });
  }
}
