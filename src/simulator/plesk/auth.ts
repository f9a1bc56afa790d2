/**
 * Who is calling the Plesk simulator:
 * - XML API: headers `HTTP_AUTH_LOGIN` + `HTTP_AUTH_PASSWD`, or `KEY: <secret key>`
 *   (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-secret-keys.37121;
 *   plesk/api-php-lib `src/Api/Client.php`). A secret key works only from the IP address it was
 *   made for (https://docs.plesk.com/en-US/obsidian/cli-linux/using-command-line-utilities/secret_key-authentication-in-plesk-xml-api.73880/).
 * - REST: `X-API-Key: <key>` or HTTP Basic; only the administrator may use REST
 *   (https://docs.plesk.com/en-US/obsidian/api-rpc/about-rest-api.79359).
 */
import type { IncomingHttpHeaders } from 'http';
import type { PleskClient } from './model';
import type { PleskState } from './state';

export interface SecretKey {
  key: string;
  login: string;
  ip: string;
  description: string;
}

export class SecretKeys {
  private readonly keys = new Map<string, SecretKey>();

  constructor(keys: readonly SecretKey[] = []) {
    for (const key of keys) this.add(key);
  }

  add(key: SecretKey): void {
    this.keys.set(key.key, { ...key });
  }

  remove(key: string): void {
    this.keys.delete(key);
  }

  lookup(key: string, remoteIp: string): SecretKey | undefined {
    const found = this.keys.get(key);
    return found && sameIp(found.ip, remoteIp) ? found : undefined;
  }
}

function sameIp(a: string, b: string): boolean {
  const strip = (ip: string) => ip.replace(/^::ffff:/, '');
  return strip(a) === strip(b);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** XML API caller, or undefined (→ `<system>` error 1001). */
export function xmlCaller(state: PleskState, keys: SecretKeys, headers: IncomingHttpHeaders, remoteIp: string): PleskClient | undefined {
  const key = header(headers, 'KEY');
  if (key !== undefined) {
    const found = keys.lookup(key, remoteIp);
    return found ? state.clientByLogin(found.login) : undefined;
  }
  const login = header(headers, 'HTTP_AUTH_LOGIN');
  const password = header(headers, 'HTTP_AUTH_PASSWD');
  if (login === undefined || password === undefined) return undefined;
  const client = state.clientByLogin(login);
  return client && client.password === password ? client : undefined;
}

/** REST caller: the administrator only. */
export function restCaller(state: PleskState, keys: SecretKeys, headers: IncomingHttpHeaders, remoteIp: string): PleskClient | undefined {
  const key = header(headers, 'X-API-Key');
  let client: PleskClient | undefined;
  if (key !== undefined) {
    const found = keys.lookup(key, remoteIp);
    client = found ? state.clientByLogin(found.login) : undefined;
  } else {
    const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header(headers, 'Authorization') ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const candidate = state.clientByLogin(decoded.slice(0, colon));
      client = candidate && colon > 0 && candidate.password === decoded.slice(colon + 1) ? candidate : undefined;
    }
  }
  return client?.type === 'admin' ? client : undefined;
}
