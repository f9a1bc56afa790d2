/**
 * One HTTPS request to Plesk (port 8443) with a hard deadline, written only after the server is
 * verified: by the system CAs (default), by `caFile`, or — Plesk's own certificate is usually
 * self-signed for its host name while the daemon connects to 127.0.0.1 — by the pinned SHA-256
 * fingerprint, compared on `secureConnect` before the API key is written to the socket.
 * Failures: TIMEOUT after the deadline; TRANSPORT for refused, reset or unverified connections.
 */
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import { FixEmailAuthError, type Step } from '../../errors';

export interface PleskTls {
  /** PEM trusted instead of the system store. */
  ca?: string;
  /** `AA:BB:…` (Node's fingerprint256 form). */
  fingerprint?: string;
  insecure?: boolean;
}

export interface PleskHttpsCall {
  url: URL;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls: PleskTls;
  step: Step;
  what: string;
}

export interface PleskHttpsAnswer {
  status: number;
  text: string;
}

const MAX_BODY = 64 * 1024 * 1024;

function transport(what: string, message: string, step: Step, cause?: unknown): FixEmailAuthError {
  return new FixEmailAuthError('TRANSPORT', `${what}: ${message}`, { step, cause });
}

function connect(
  call: PleskHttpsCall,
  host: string,
  port: number,
  done: (err: Error | null, socket?: tls.TLSSocket) => void,
): tls.TLSSocket {
  const pinned = call.tls.fingerprint !== undefined;
  const socket = tls.connect({
    host,
    port,
    ...(net.isIP(host) ? {} : { servername: host }),
    ...(call.tls.ca !== undefined ? { ca: call.tls.ca } : {}),
    rejectUnauthorized: !call.tls.insecure && !(pinned && call.tls.ca === undefined),
    ...(pinned ? { checkServerIdentity: () => undefined } : {}),
  });
  socket.once('secureConnect', () => {
    const actual = socket.getPeerCertificate().fingerprint256;
    if (pinned && actual !== call.tls.fingerprint) {
      socket.destroy();
      done(
        transport(
          call.what,
          `the certificate's SHA-256 fingerprint ${actual ?? '(none)'} is not the pinned plesk.fingerprint; the API key was not sent`,
          call.step,
        ),
      );
    } else done(null, socket);
  });
  socket.once('error', (err: NodeJS.ErrnoException) =>
    done(transport(call.what, `TLS connection to ${host}:${port} failed (${err.code ?? err.message})`, call.step, err)),
  );
  return socket;
}

export function pleskHttps(call: PleskHttpsCall): Promise<PleskHttpsAnswer> {
  if (call.url.protocol !== 'https:') {
    return Promise.reject(
      new FixEmailAuthError(
        'CONFIG_INVALID',
        `Plesk's API is reached over https:// only (got ${call.url.origin}): the API key must not travel in clear text`,
        { step: 'config' },
      ),
    );
  }
  const host = call.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(call.url.port || 8443);
  return new Promise((resolve, reject) => {
    let settled = false;
    let socket: tls.TLSSocket | undefined;
    const settle = (err: Error | null, answer?: PleskHttpsAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        socket?.destroy();
        reject(err);
      } else resolve(answer as PleskHttpsAnswer);
    };
    const timer = setTimeout(
      () =>
        settle(
          new FixEmailAuthError('TIMEOUT', `${call.what}: no answer from ${call.url.host} within ${call.timeoutMs} ms`, {
            step: call.step,
          }),
        ),
      call.timeoutMs,
    );
    const headers: Record<string, string | number> = { ...call.headers };
    if (call.body !== undefined) headers['Content-Length'] = Buffer.byteLength(call.body);
    const req = https.request({
      host,
      port,
      method: call.method,
      path: `${call.url.pathname}${call.url.search}`,
      headers,
      createConnection: (_opts: unknown, oncreate: (err: Error | null, s?: net.Socket) => void) => {
        socket = connect(call, host, port, (err, verified) => (err ? oncreate(err) : oncreate(null, verified)));
        return undefined;
      },
    } as https.RequestOptions);
    req.on('error', (err) =>
      settle(
        err instanceof FixEmailAuthError
          ? err
          : transport(
              call.what,
              `connection to ${call.url.host} failed (${(err as NodeJS.ErrnoException).code ?? err.message})`,
              call.step,
              err,
            ),
      ),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) settle(transport(call.what, `the answer exceeds ${MAX_BODY} bytes`, call.step));
        else chunks.push(chunk);
      });
      res.on('error', (err) => settle(transport(call.what, `the answer broke off (${err.message})`, call.step, err)));
      res.on('close', () => {
        if (!res.complete) settle(transport(call.what, 'the connection closed before the answer was complete', call.step));
      });
      res.on('end', () => settle(null, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(call.body);
  });
}
