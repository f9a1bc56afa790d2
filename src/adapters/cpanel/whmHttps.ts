/**
 * WHM API 1 over HTTPS (docs/reference/cpanel-api.md §1, §2): `https://host:2087/json-api/<fn>?api.version=1&…` with
 * `Authorization: whm <user>:<token>`. Reads are GETs; writes (and anything whose query would be long)
 * are POSTed as a form, because mass_edit calls can outgrow a query string (§2). `api.version=1` is always
 * sent: without it WHM may answer in the legacy API 0 shape (§4.4).
 */
import { encodeForm, type ListStyle } from './params';
import { httpsRequest } from './httpsRequest';
import { jsonFromHttp } from './httpAnswer';
import { assertApiName } from './names';
import type { TlsPolicy } from './tls';
import type { CallOptions, Params, RawAnswer, WhmTransport } from './types';

export interface HttpsEndpoint {
  /** `https://host:port` (a path prefix is kept, for a proxy in front of cpsrvd). */
  baseUrl: string;
  user: string;
  token: string;
  tls: TlsPolicy;
  timeoutMs: number;
  listStyle?: ListStyle;
}

/** Longer query strings go in a POST body instead (request-line limits of proxies and cpsrvd). */
export const MAX_GET_QUERY = 2000;

export function apiUrl(baseUrl: string, path: string, query?: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = query ? `?${query}` : '';
  return url;
}

export class WhmHttpsTransport implements WhmTransport {
  readonly description: string;

  constructor(private readonly endpoint: HttpsEndpoint) {
    this.description = `WHM API 1 at ${new URL(endpoint.baseUrl).origin}`;
  }

  async callWhm(fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
    assertApiName('function', fn);
    const form = encodeForm({ 'api.version': 1, ...params }, this.endpoint.listStyle);
    const post = options.write === true || form.length > MAX_GET_QUERY;
    const url = apiUrl(this.endpoint.baseUrl, `/json-api/${fn}`, post ? undefined : form);
    const what = `WHM ${fn}`;
    const answer = await httpsRequest({
      url,
      method: post ? 'POST' : 'GET',
      headers: { Authorization: `whm ${this.endpoint.user}:${this.endpoint.token}` },
      body: post ? form : undefined,
      timeoutMs: this.endpoint.timeoutMs,
      tls: this.endpoint.tls,
      step: options.step,
      what,
    });
    return jsonFromHttp(answer, { what, where: url.origin, step: options.step });
  }
}
