/**
 * The server's HTTP client to the fleet controller: enroll with a one-time token, then signed pushes
 * and pulls (src/fleet/protocol/signing.ts). The server always calls out; nothing listens for the
 * controller. HTTPS is required except to a loopback address (a controller on the same machine, the
 * tests); the controller's certificate is checked against the system's CAs or the `caFile` given at join.
 */
import { readFileSync } from 'fs';
import { request as httpRequest, type IncomingMessage } from 'http';
import { request as httpsRequest } from 'https';
import { isIP } from 'net';
import { FixEmailAuthError } from '../../errors';
import {
  enrollAnswer,
  errorAnswer,
  pullAnswer,
  pushAnswer,
  signRequest,
  type EnrollAnswer,
  type EnrollBody,
  type Endpoint,
  type PullAnswer,
  type PullBody,
  type PushAnswer,
  type PushBody,
} from '../../fleet/protocol';

export interface FleetLink {
  push(body: PushBody): Promise<PushAnswer>;
  pull(body: PullBody): Promise<PullAnswer>;
}

export interface FleetClientOptions {
  timeoutMs?: number;
  caFile?: string;
}

/** A refusal by the controller, with its stable code (REPLAYED, REVOKED, FORBIDDEN …) and HTTP status. */
export class FleetRefusal extends FixEmailAuthError {
  constructor(
    readonly status: number,
    readonly fleetCode: string,
    message: string,
  ) {
    super(status === 401 || status === 403 ? 'AUTHENTICATION' : 'API_ERROR', `The fleet controller refused: ${message} [${fleetCode}]`, {
      step: 'input',
    });
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The controller's base URL, checked: https, or http to a loopback address only. */
export function controllerBase(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FixEmailAuthError('BAD_INPUT', `“${url.slice(0, 200)}” is not a URL`);
  }
  const host = parsed.hostname.toLowerCase();
  const loopback = LOOPBACK.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new FixEmailAuthError(
      'BAD_INPUT',
      'The fleet controller must be reached over https:// (plain http only on this machine’s loopback).',
    );
  if (parsed.username || parsed.password || parsed.search || parsed.hash)
    throw new FixEmailAuthError('BAD_INPUT', 'The controller URL must not carry a user, password, query or fragment.');
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed;
}

function post(
  base: URL,
  path: string,
  body: string,
  headers: Record<string, string>,
  options: FleetClientOptions,
): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const ca = options.caFile ? readFileSync(options.caFile) : undefined;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
        ...(ca ? { ca } : {}),
        timeout: options.timeoutMs ?? 30_000,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 16 * 1024 * 1024) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', (err) =>
      reject(new FixEmailAuthError('TRANSPORT', `Cannot reach the fleet controller at ${base.origin}: ${err.message}`, { cause: err })),
    );
    req.end(body);
  });
}

function answerOf<T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, answer: { status: number; text: string }): T {
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    throw new FixEmailAuthError('API_ERROR', `The fleet controller answered HTTP ${answer.status} with something that is not JSON`);
  }
  if (answer.status !== 200) {
    const err = errorAnswer.safeParse(json);
    throw new FleetRefusal(
      answer.status,
      err.success ? err.data.error.code : 'HTTP',
      err.success ? err.data.error.message : `HTTP ${answer.status}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new FixEmailAuthError('API_ERROR', 'The fleet controller answered in a shape this server does not understand');
  return parsed.data as T;
}

export async function enrollWithController(
  controllerUrl: string,
  body: EnrollBody,
  options: FleetClientOptions = {},
): Promise<EnrollAnswer> {
  const base = controllerBase(controllerUrl);
  return answerOf(enrollAnswer, await post(base, 'api/v1/enroll', JSON.stringify(body), {}, options));
}

export function createFleetLink(
  credentials: { controllerUrl: string; serverId: number; privateKeyPem: string; caFile?: string },
  options: FleetClientOptions = {},
): FleetLink {
  const base = controllerBase(credentials.controllerUrl);
  const opts = { ...options, ...(credentials.caFile ? { caFile: credentials.caFile } : {}) };
  const signed = async (endpoint: Endpoint, payload: unknown) => {
    const body = JSON.stringify(payload);
    const authorization = signRequest({ endpoint, serverId: credentials.serverId, body, privateKeyPem: credentials.privateKeyPem });
    return post(base, `api/v1/${endpoint}`, body, { Authorization: authorization }, opts);
  };
  return {
    push: async (body) => answerOf(pushAnswer, await signed('push', body)),
    pull: async (body) => answerOf(pullAnswer, await signed('pull', body)),
  };
}
