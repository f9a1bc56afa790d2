/**
 * A tiny HTTPS server on 127.0.0.1 with a self-signed certificate (selfsigned), recording what it
 * receives, for the TLS and HTTPS transport tests. Each test gives the handler.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import { createCertificate } from '../../../src/simulator/tls';

export interface LocalCertificate {
  certPem: string;
  keyPem: string;
  fingerprint256: string;
}

const cache = new Map<string, Promise<LocalCertificate>>();

/**
 * A self-signed certificate per test file (RSA generation is slow). `loopback` (default) names
 * localhost and 127.0.0.1; `hostname-only` names only `host.cpanel.test`, like a real cPanel server's
 * certificate reached through 127.0.0.1.
 */
export function localCertificate(kind: 'loopback' | 'hostname-only' = 'loopback'): Promise<LocalCertificate> {
  let pending = cache.get(kind);
  if (!pending) {
    pending = createCertificate('host.cpanel.test', { loopback: kind === 'loopback' });
    cache.set(kind, pending);
  }
  return pending;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: SeenRequest, res: ServerResponse, socket: Socket) => void;

export interface LocalHttps {
  baseUrl: string;
  port: number;
  cert: LocalCertificate;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startLocalHttps(handler: Handler, certificate: 'loopback' | 'hostname-only' = 'loopback'): Promise<LocalHttps> {
  const cert = await localCertificate(certificate);
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      handler(seen, res, req.socket);
    });
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    port,
    cert,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
