/**
 * UDP transport: a few long-lived connected sockets per server, many queries multiplexed on each by
 * query ID. Reusing sockets avoids a bind and a close per query (the cost that makes naive DNS
 * clients slow); connecting them makes the kernel drop datagrams from any other source and report
 * "port unreachable" as ECONNREFUSED at once instead of a silent timeout.
 *
 * A retransmission reuses the same ID and socket, so a late answer to an earlier attempt still
 * completes the query (RFC 1035 §4.2.1 leaves retransmission strategy to the client; RFC 1536 §1
 * recommends exponential backoff, which the caller's `timeouts` list expresses).
 */
import * as dgram from 'dgram';
import { isIPv6 } from 'net';
import { FixEmailAuthError } from '../../errors';
import { matchResponse, randomQueryId, type BuiltQuery } from './packet';

type Decoded = NonNullable<ReturnType<typeof matchResponse>>;

interface Pending {
  query: BuiltQuery;
  resolve(decoded: Decoded): void;
  reject(err: Error): void;
}

export interface Endpoint {
  address: string;
  port: number;
}

function describe(endpoint: Endpoint): string {
  return isIPv6(endpoint.address) ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

/** One connected socket and the queries waiting on it. */
class UdpChannel {
  private readonly socket: dgram.Socket;
  private readonly pending = new Map<number, Pending>();
  private connected = false;
  private closed = false;
  private readonly backlog: Buffer[] = [];
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly idleMs: number,
    private readonly onClose: (channel: UdpChannel) => void,
  ) {
    this.socket = dgram.createSocket(isIPv6(endpoint.address) ? 'udp6' : 'udp4');
    this.socket.on('message', (msg) => this.receive(msg));
    this.socket.on('error', (err) => this.fail(err));
    // A client left open must never keep the process alive.
    this.socket.unref();
    this.socket.connect(endpoint.port, endpoint.address, () => {
      this.connected = true;
      for (const packet of this.backlog.splice(0)) this.transmit(packet);
    });
  }

  get load(): number {
    return this.pending.size;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Send `query` and resolve with the first matching response. `timeouts[i]` is how long attempt
   * i waits before the datagram is sent again; after the last one the query fails with TIMEOUT.
   */
  exchange(query: BuiltQuery, timeouts: number[], signal?: AbortSignal): Promise<Decoded> {
    // A fresh ID that no other outstanding query on this socket uses.
    let id = randomQueryId();
    while (this.pending.has(id)) id = randomQueryId();
    const ours: BuiltQuery = { ...query, id, packet: Buffer.from(query.packet) };
    ours.packet.writeUInt16BE(id, 0);

    return new Promise<Decoded>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | null = null;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        this.scheduleIdleClose();
      };
      const onAbort = () => {
        cleanup();
        reject(new FixEmailAuthError('DNS_ERROR', `DNS query for ${query.name} ${query.type} to ${describe(this.endpoint)} was aborted`, { step: 'verify', cause: signal?.reason }));
      };
      const arm = () => {
        timer = setTimeout(() => {
          attempt++;
          if (attempt < timeouts.length) {
            this.transmit(ours.packet);
            arm();
            return;
          }
          cleanup();
          reject(
            new FixEmailAuthError('TIMEOUT', `No answer from ${describe(this.endpoint)} for ${query.name} ${query.type} after ${timeouts.length} attempt(s)`, {
              step: 'verify',
            }),
          );
        }, timeouts[attempt]);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.idleTimer) {
        clearTimeout(this.idleTimer);
        this.idleTimer = null;
      }
      this.pending.set(id, {
        query: ours,
        resolve: (decoded) => {
          cleanup();
          resolve(decoded);
        },
        reject: (err) => {
          cleanup();
          reject(err);
        },
      });
      this.transmit(ours.packet);
      arm();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const err = new FixEmailAuthError('DNS_ERROR', `DNS client closed while waiting for ${describe(this.endpoint)}`, { step: 'verify' });
    for (const p of [...this.pending.values()]) p.reject(err);
    try {
      this.socket.close();
    } catch {
      // already closed by an error
    }
    this.onClose(this);
  }

  private transmit(packet: Buffer): void {
    if (this.closed) return;
    if (!this.connected) {
      this.backlog.push(packet);
      return;
    }
    this.socket.send(packet, (err) => {
      if (err) this.fail(err);
    });
  }

  private receive(msg: Buffer): void {
    if (msg.length < 12) return;
    const p = this.pending.get(msg.readUInt16BE(0));
    if (!p) return; // late, duplicate or forged: not ours
    const decoded = matchResponse(msg, p.query);
    if (decoded) p.resolve(decoded);
  }

  /** A socket error (ECONNREFUSED from an ICMP port-unreachable, …) ends every query on it. */
  private fail(err: Error & { code?: string }): void {
    if (this.closed) return;
    const reason =
      err.code === 'ECONNREFUSED' ? `nothing listens on ${describe(this.endpoint)} (connection refused)` : `socket error talking to ${describe(this.endpoint)}: ${err.message}`;
    const wrapped = new FixEmailAuthError('DNS_ERROR', reason, { step: 'verify', cause: err });
    for (const p of [...this.pending.values()]) p.reject(wrapped);
    this.close();
  }

  private scheduleIdleClose(): void {
    if (this.pending.size > 0 || this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref();
  }
}

/** A small pool of channels per server; queries go to the least loaded one. */
export class UdpPool {
  private readonly channels = new Map<string, UdpChannel[]>();

  constructor(private readonly options: { socketsPerServer: number; idleMs: number }) {}

  exchange(endpoint: Endpoint, query: BuiltQuery, timeouts: number[], signal?: AbortSignal): Promise<Decoded> {
    return this.channelFor(endpoint).exchange(query, timeouts, signal);
  }

  /** Sockets currently open (tests check that nothing leaks). */
  get openSockets(): number {
    let n = 0;
    for (const list of this.channels.values()) n += list.length;
    return n;
  }

  close(): void {
    for (const list of [...this.channels.values()]) for (const ch of [...list]) ch.close();
    this.channels.clear();
  }

  private channelFor(endpoint: Endpoint): UdpChannel {
    const key = describe(endpoint);
    let list = this.channels.get(key);
    if (!list) {
      list = [];
      this.channels.set(key, list);
    }
    if (list.length < this.options.socketsPerServer) {
      // Open sockets lazily: a single query to a server never pays for a whole pool.
      const idle = list.find((c) => c.load === 0);
      if (idle) return idle;
      const channel = new UdpChannel(endpoint, this.options.idleMs, (closed) => this.forget(key, closed));
      list.push(channel);
      return channel;
    }
    let best = list[0]!;
    for (const c of list) if (c.load < best.load) best = c;
    return best;
  }

  private forget(key: string, channel: UdpChannel): void {
    const list = this.channels.get(key);
    if (!list) return;
    const i = list.indexOf(channel);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.channels.delete(key);
  }
}
