/**
 * DEMO AND TEST ONLY. A DNS listener on loopback: UDP and TCP on the same port, each message handed
 * to `handle`, whose reply (none, one or several messages) is sent back. TCP messages are framed
 * with a two-byte length (RFC 1035 §4.2.2) and a connection may carry several queries (RFC 7766 §6.2.1).
 */
import * as dgram from 'dgram';
import * as net from 'net';

export type Transport = 'udp' | 'tcp';
export type MessageHandler = (message: Buffer, transport: Transport) => Buffer | Buffer[] | null | Promise<Buffer | Buffer[] | null>;

export interface DnsListener {
  address: string;
  port: number;
  /** Messages received so far, by transport. */
  readonly stats: { udp: number; tcp: number };
  stop(): Promise<void>;
}

export interface ListenOptions {
  /** 127.0.0.1 (default) or ::1; never a public address. */
  address?: string;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  /** Serve TCP too (default true). */
  tcp?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);
const TCP_IDLE_MS = 10_000;

function asList(reply: Buffer | Buffer[] | null): Buffer[] {
  if (!reply) return [];
  return Array.isArray(reply) ? reply : [reply];
}

function bindUdp(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function listenTcp(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function listenDns(handle: MessageHandler, options: ListenOptions = {}): Promise<DnsListener> {
  const address = options.address ?? '127.0.0.1';
  if (!LOOPBACK.has(address)) throw new Error(`The demo DNS listener binds loopback only, not ${address}`);
  const withTcp = options.tcp ?? true;
  const stats = { udp: 0, tcp: 0 };
  const connections = new Set<net.Socket>();

  const tcpServer = net.createServer((conn) => {
    connections.add(conn);
    conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    let buffered = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const message = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        stats.tcp++;
        Promise.resolve()
          .then(() => handle(message, 'tcp'))
          .then((reply) => {
            for (const out of asList(reply)) {
              if (conn.destroyed) return;
              const prefix = Buffer.alloc(2);
              prefix.writeUInt16BE(out.length, 0);
              conn.write(Buffer.concat([prefix, out]));
            }
          })
          .catch(() => conn.destroy());
      }
    });
  });

  // UDP and TCP must share one port; when the TCP side of a free UDP port is taken, try another.
  let udp: dgram.Socket | null = null;
  for (let attempt = 0; attempt < 20 && !udp; attempt++) {
    const candidate = await bindUdp(address, options.port ?? 0);
    if (!withTcp) {
      udp = candidate;
      break;
    }
    try {
      await listenTcp(tcpServer, address, candidate.address().port);
      udp = candidate;
    } catch (err) {
      candidate.close();
      if (options.port !== undefined) throw err;
    }
  }
  if (!udp) throw new Error('Could not find a free port for UDP and TCP');
  const socket = udp;
  socket.on('message', (msg, rinfo) => {
    stats.udp++;
    Promise.resolve()
      .then(() => handle(msg, 'udp'))
      .then((reply) => {
        for (const out of asList(reply)) socket.send(out, rinfo.port, rinfo.address);
      })
      // A handler failure or a reply after stop() is dropped, as a real server drops a bad packet.
      .catch(() => undefined);
  });

  return {
    address,
    port: socket.address().port,
    stats,
    async stop() {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      if (withTcp) {
        for (const conn of connections) conn.destroy();
        await new Promise<void>((resolve) => tcpServer.close(() => resolve()));
      }
    },
  };
}
