/**
 * One HTTPS request with a hard deadline (connect + TLS + answer), through `openVerifiedSocket` so the
 * request is written only to a verified server. Returns status and body text; failures become typed
 * errors: TIMEOUT when the deadline passes, TRANSPORT when the connection is refused, reset or dropped.
 */
import * as https from 'https';
import type { Step } from '../../errors';
import { FixEmailAuthError } from '../../errors';
import { cpanelError } from './failures';
import { openVerifiedSocket, type TlsPolicy } from './tls';

export interface HttpsCall {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls: TlsPolicy;
  step: Step;
  /** What is being called, for messages (`WHM parse_dns_zone`); never contains the token. */
  what: string;
}

export interface HttpsAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** An answer bigger than this is not a cPanel API answer we want to hold in memory. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function httpsRequest(call: HttpsCall): Promise<HttpsAnswer> {
  if (call.url.protocol !== 'https:') {
    return Promise.reject(
      new FixEmailAuthError(
        'CONFIG_INVALID',
        `Only https:// URLs are used for the cPanel APIs (got ${call.url.origin}): the token must not travel in clear text`,
        {
          step: 'config',
        },
      ),
    );
  }
  const host = call.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(call.url.port || 443);
  const where = `${call.url.protocol}//${call.url.host}`;

  return new Promise<HttpsAnswer>((resolve, reject) => {
    let settled = false;
    let socket: import('tls').TLSSocket | undefined;
    const settle = (err: Error | null, answer?: HttpsAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        socket?.destroy();
        reject(err);
      } else resolve(answer!);
    };

    const timer = setTimeout(() => {
      settle(
        cpanelError('TIMEOUT', `${call.what}: no complete answer from ${where} within ${call.timeoutMs} ms`, {
          step: call.step,
          upstream: { url: redact(call.url), timeoutMs: call.timeoutMs },
        }),
      );
    }, call.timeoutMs);

    const headers: Record<string, string | number> = { Accept: 'application/json', ...call.headers };
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = Buffer.byteLength(call.body);
    }

    const req = https.request({
      protocol: 'https:',
      host,
      port,
      method: call.method,
      path: `${call.url.pathname}${call.url.search}`,
      headers,
      createConnection: (_opts: unknown, oncreate: (err: Error | null, s?: import('net').Socket) => void) => {
        socket = openVerifiedSocket(call.tls, { host, port, step: call.step }, (err, verified) =>
          err ? oncreate(err) : oncreate(null, verified),
        );
        return undefined;
      },
    } as https.RequestOptions);

    req.on('error', (err: NodeJS.ErrnoException) => settle(err instanceof FixEmailAuthError ? err : connectionError(err, call, where)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          settle(
            cpanelError('TRANSPORT', `${call.what}: answer from ${where} exceeds ${MAX_BODY_BYTES} bytes`, {
              step: call.step,
              retryable: false,
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err: NodeJS.ErrnoException) => settle(connectionError(err, call, where)));
      // A connection cut mid-body may end without 'error'; an incomplete answer is never handed on.
      res.on('close', () => {
        if (!res.complete)
          settle(
            connectionError(
              Object.assign(new Error('connection closed before the answer was complete'), { code: 'ECONNRESET' }),
              call,
              where,
            ),
          );
      });
      res.on('end', () => {
        if (!res.complete) {
          settle(
            connectionError(
              Object.assign(new Error('connection closed before the answer was complete'), { code: 'ECONNRESET' }),
              call,
              where,
            ),
          );
          return;
        }
        settle(null, {
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    if (call.body !== undefined) req.end(call.body);
    else req.end();
  });
}

function connectionError(err: NodeJS.ErrnoException, call: HttpsCall, where: string): FixEmailAuthError {
  const code = err.code ?? 'ERROR';
  return cpanelError('TRANSPORT', `${call.what}: connection to ${where} failed (${code}: ${err.message})`, {
    step: call.step,
    cause: err,
    upstream: { url: redact(call.url), code },
    // A host name that does not resolve will not resolve on the next try either.
    retryable: code !== 'ENOTFOUND',
  });
}

/** The URL for logs: origin and path only (the query of a GET may carry record data). */
export function redact(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
