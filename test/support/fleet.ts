/**
 * Test support for the fleet controller: a real PostgreSQL (one cluster per test file, a fresh
 * database per controller), its configuration, and raw signed requests as a server would send them
 * (to replay, forge and tamper with them).
 */
import { request } from 'http';
import { parseFleetConfig, type FleetConfig, type FleetConfigInput } from '../../src/fleet/config';
import { signRequest, type Endpoint } from '../../src/fleet/protocol';
import { startPostgresCluster, type PostgresCluster } from './postgres';

export { startPostgresCluster, type PostgresCluster };

let counter = 0;

export async function fleetDatabase(cluster: PostgresCluster): Promise<string> {
  counter += 1;
  return cluster.createDatabase(`fleet_${process.pid}_${counter}`);
}

/** A controller config for tests: loopback, quick job expiry and polling. */
export function testFleetConfig(url: string, overrides: Partial<FleetConfigInput> = {}): FleetConfig {
  return parseFleetConfig({
    database: { url, poolSize: 5 },
    listen: { host: '127.0.0.1', port: 0 },
    pollSeconds: 1,
    jobs: { expireSeconds: 3, maintenanceSeconds: 1, pollSeconds: 0.5, retryLimit: 5 },
    ...overrides,
  });
}

export interface RawAnswer {
  status: number;
  json: any;
}

/** POST raw bytes to the controller with the given headers. */
export function postRaw(base: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request signed as `serverId` with `privateKeyPem` (which may be another server's key: a forgery). */
export function signedPost(
  base: string,
  endpoint: Endpoint,
  serverId: number,
  privateKeyPem: string,
  body: unknown,
): Promise<RawAnswer & { authorization: string; raw: string }> {
  const raw = JSON.stringify(body);
  const authorization = signRequest({ endpoint, serverId, body: raw, privateKeyPem });
  return postRaw(base, `/api/v1/${endpoint}`, raw, { Authorization: authorization }).then((a) => ({ ...a, authorization, raw }));
}

/**
 * The one address several controller processes stand behind (what a load balancer gives servers):
 * each connection goes to the next backend in turn, and to the one after it when that one is down.
 */
export async function startTcpBalancer(backends: () => string[]): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer, connect } = await import('net');
  let next = 0;
  const sockets = new Set<import('net').Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const list = backends().map((b) => new URL(b));
    const attempt = (tries: number) => {
      if (tries >= list.length) return client.destroy();
      const target = list[next++ % list.length]!;
      const upstream = connect(Number(target.port), target.hostname);
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.resume();
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      upstream.once('error', () => (upstream.listenerCount('connect') ? attempt(tries + 1) : undefined));
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as import('net').AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
