/**
 * UDP transport: a few long-lived connected sockets per server, many queries multiplexed on each by
 * query ID. Reusing sockets avoids a bind and a close per query (the cost that makes naive DNS
 * clients slow); connecting them makes the kernel drop datagrams from any other source and report
 * "port unreachable" as ECONNREFUSED at once instead of a silent timeout.
 *
 * A retransmission reuses the same ID and socket, so a late answer to an earlier attempt still
 * completes the query (RFC 1035 §4.2.1 leaves retransmission strategy to the client; RFC 1536 §1
 * recommends exponential backoff: attempt i waits timeoutMs × 2^i).
 *
 * Timeouts: one timer per socket, set to the earliest deadline of its outstanding queries, rather
 * than a timer per query — with hundreds in flight that is most of the per-query cost saved.
 */
import * as dgram from 'dgram';
import { performance } from 'perf_hooks';
import { FixEmailAuthError } from '../../errors';
import { attemptTimeout } from './backoff';
import { formatEndpoint } from './endpoint';
import { matchResponse, randomQueryId, type BuiltQuery } from './packet';
import type { DecodedResponse } from './responseDecoder';

export interface Endpoint {
  address: string;
  port: number;
}

/** One outstanding query: plain fields, no closures, because there are thousands of them. */
class Pending {
  attempt = 0;
  onAbort: (() => void) | null = null;
  constructor(
    readonly query: BuiltQuery,
    readonly resolve: (decoded: DecodedResponse) => void,
    readonly reject: (err: Error) => void,
    readonly timeoutMs: number,
    readonly attempts: number,
    public deadline: number,
    readonly signal: AbortSignal | undefined,
  ) {}
}

function abortError(query: BuiltQuery, where: string, signal: AbortSignal | undefined): FixEmailAuthError {
  return new FixEmailAuthError('DNS_ERROR', `DNS query for ${query.name} ${query.type} to ${where} was aborted`, {
    step: 'verify',
    cause: signal?.reason,
  });
}

/** One connected socket and the queries waiting on it. */
class UdpChannel {
  private readonly socket: dgram.Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly where: string;
  private connected = false;
  private closed = false;
  private readonly backlog: Buffer[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweepAt = Infinity;
  /** When the last outstanding query finished (for idle close). */
  private lastIdle = 0;

  constructor(
    endpoint: Endpoint,
    private readonly idleMs: number,
    private readonly onClose: (channel: UdpChannel) => void,
  ) {
    this.where = formatEndpoint(endpoint.address, endpoint.port);
    this.socket = dgram.createSocket(endpoint.address.includes(':') ? 'udp6' : 'udp4');
    this.socket.on('message', (msg) => this.receive(msg));
    this.socket.on('error', (err) => this.fail(err));
    // The socket keeps the process alive only while queries wait on it (see exchange/settle), as
    // Node's resolver does; timers are unref'd and never do.
    this.socket.unref();
    this.socket.connect(endpoint.port, endpoint.address, () => {
      this.connected = true;
      for (const packet of this.backlog.splice(0)) this.transmit(packet);
    });
  }

  get load(): number {
    return this.pending.size;
  }

  /**
   * Send `query` and resolve with the first matching response. Attempt i waits `timeoutMs × 2^i`
   * before the datagram is sent again; after `attempts` tries the query fails with TIMEOUT.
   * The query's ID is changed in place when another outstanding query on this socket has it.
   */
  exchange(query: BuiltQuery, timeoutMs: number, attempts: number, signal?: AbortSignal): Promise<DecodedResponse> {
    if (this.closed) return Promise.reject(new FixEmailAuthError('DNS_ERROR', `DNS socket to ${this.where} is closed`, { step: 'verify' }));
    if (signal?.aborted) return Promise.reject(abortError(query, this.where, signal));
    let id = query.id;
    while (this.pending.has(id)) id = randomQueryId();
    if (id !== query.id) {
      query.id = id;
      query.packet.writeUInt16BE(id, 0);
    }
    return new Promise<DecodedResponse>((resolve, reject) => {
      const p = new Pending(query, resolve, reject, timeoutMs, attempts, performance.now() + attemptTimeout(timeoutMs, 0), signal);
      if (signal) {
        p.onAbort = () => this.settle(id, p, abortError(query, this.where, signal));
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      if (this.pending.size === 0) this.socket.ref();
      this.pending.set(id, p);
      this.transmit(query.packet);
      this.armSweep(p.deadline);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    const err = new FixEmailAuthError('DNS_ERROR', `DNS client closed while waiting for ${this.where}`, { step: 'verify' });
    for (const [id, p] of this.pending) this.settle(id, p, err);
    try {
      this.socket.close();
    } catch {
      // already closed by an error
    }
    this.onClose(this);
  }

  private settle(id: number, p: Pending, outcome: DecodedResponse | Error): void {
    if (this.pending.get(id) !== p) return;
    this.pending.delete(id);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
    if (this.pending.size === 0) {
      // The sweep timer stays (unref'd, it finds nothing to do): re-creating timers each time a
      // socket drains would cost more than the rare useless wake-up.
      this.lastIdle = performance.now();
      this.socket.unref();
      this.scheduleIdleClose();
    }
  }

  private armSweep(deadline: number): void {
    if (this.sweepTimer && this.sweepAt <= deadline) return;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepAt = deadline;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(0, Math.ceil(deadline - performance.now())));
    this.sweepTimer.unref();
  }

  /** Retransmit or fail every query whose deadline has passed; re-arm for the next one. */
  private sweep(): void {
    this.sweepTimer = null;
    this.sweepAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, p] of this.pending) {
      if (p.deadline <= now) {
        p.attempt++;
        if (p.attempt >= p.attempts) {
          this.settle(
            id,
            p,
            new FixEmailAuthError(
              'TIMEOUT',
              `No answer from ${this.where} for ${p.query.name} ${p.query.type} after ${p.attempts} attempt(s)`,
              { step: 'verify' },
            ),
          );
          continue;
        }
        this.transmit(p.query.packet);
        p.deadline = now + attemptTimeout(p.timeoutMs, p.attempt);
      }
      if (p.deadline < next) next = p.deadline;
    }
    if (next !== Infinity && !this.closed) this.armSweep(next);
  }

  private transmit(packet: Buffer): void {
    if (this.closed) return;
    if (!this.connected) {
      this.backlog.push(packet);
      return;
    }
    // No callback: Node then sends at once (uv_udp_try_send) instead of queueing a request object
    // per datagram; a failure still arrives as the socket's 'error' event.
    this.socket.send(packet);
  }

  private receive(msg: Buffer): void {
    if (msg.length < 12) return;
    const id = (msg[0]! << 8) | msg[1]!;
    const p = this.pending.get(id);
    if (!p) return; // late, duplicate or forged: not ours
    const decoded = matchResponse(msg, p.query);
    if (decoded) this.settle(id, p, decoded);
  }

  /** A socket error (ECONNREFUSED from an ICMP port-unreachable, …) ends every query on it. */
  private fail(err: Error & { code?: string }): void {
    if (this.closed) return;
    const reason =
      err.code === 'ECONNREFUSED'
        ? `nothing listens on ${this.where} (connection refused)`
        : `socket error talking to ${this.where}: ${err.message}`;
    const wrapped = new FixEmailAuthError('DNS_ERROR', reason, { step: 'verify', cause: err });
    for (const [id, p] of this.pending) this.settle(id, p, wrapped);
    this.close();
  }

  /** Close the socket once it has had nothing to do for `idleMs`; one timer, re-armed only when it fires. */
  private scheduleIdleClose(): void {
    if (this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(
      () => {
        this.idleTimer = null;
        if (this.closed || this.pending.size > 0) return;
        const idleFor = performance.now() - this.lastIdle;
        if (idleFor >= this.idleMs) this.close();
        else this.scheduleIdleClose();
      },
      Math.max(1, this.idleMs - (performance.now() - this.lastIdle)),
    );
    this.idleTimer.unref();
  }
}

/** A small pool of channels per server; queries go to the least loaded one. */
export class UdpPool {
  private readonly channels = new Map<string, UdpChannel[]>();
  private lastAddress = '';
  private lastPort = 0;
  private lastKey = '';
  private lastList: UdpChannel[] | null = null;

  constructor(private readonly options: { socketsPerServer: number; idleMs: number }) {}

  exchange(endpoint: Endpoint, query: BuiltQuery, timeoutMs: number, attempts: number, signal?: AbortSignal): Promise<DecodedResponse> {
    return this.channelFor(endpoint).exchange(query, timeoutMs, attempts, signal);
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
    // Bulk work asks one server many times in a row: remember the last lookup.
    let list: UdpChannel[] | undefined;
    let key: string;
    if (this.lastAddress === endpoint.address && this.lastPort === endpoint.port && this.lastList && this.lastList.length > 0) {
      list = this.lastList;
      key = this.lastKey;
    } else {
      key = `${endpoint.address}|${endpoint.port}`;
      list = this.channels.get(key);
    }
    if (!list) {
      list = [];
      this.channels.set(key, list);
    }
    this.lastAddress = endpoint.address;
    this.lastPort = endpoint.port;
    this.lastKey = key;
    this.lastList = list;
    let best: UdpChannel | undefined;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (!best || c.load < best.load) best = c;
    }
    // Open sockets lazily: one query to a server never pays for a whole pool.
    if (best && (best.load === 0 || list.length >= this.options.socketsPerServer)) return best;
    const channel = new UdpChannel(endpoint, this.options.idleMs, (closed) => this.forget(key, closed));
    list.push(channel);
    return channel;
  }

  private forget(key: string, channel: UdpChannel): void {
    const list = this.channels.get(key);
    if (!list) return;
    const i = list.indexOf(channel);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) {
      this.channels.delete(key);
      if (this.lastList === list) this.lastList = null;
    }
  }
}
