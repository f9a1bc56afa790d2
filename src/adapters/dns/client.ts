/**
 * Our own DNS client over UDP/TCP (messages written and read by queryEncoder.ts and
 * responseDecoder.ts; dns-packet builds the test packets and the demo answerer's). Node's resolver
 * hides what verifying a change needs:
 * which server answered, whether it was authoritative (AA), the response code, every TTL and the
 * exact TXT bytes; and it cannot be pointed at one authoritative server per query.
 *
 * Behaviour: UDP with EDNS(0) offering 4096 bytes (RFC 6891), retransmission with exponential
 * backoff, a retry over TCP when the answer is truncated (RFC 7766 §5), random IDs and strict
 * matching of ID and question (RFC 5452), IPv4 and IPv6, bounded concurrency.
 * Response codes are data (SERVFAIL, REFUSED and NXDOMAIN come back as answers); only "no answer"
 * is an error: TIMEOUT, or DNS_ERROR for a refused port, a broken connection, a bad address.
 */
import { isIP } from 'net';
import { FixEmailAuthError } from '../../errors';
import { totalBudget } from './backoff';
import { createLimiter, type Limiter } from './limiter';
import { buildQuery, randomQueryId, toDnsAnswer } from './packet';
import { tcpExchange } from './tcp';
import type { DnsAnswer, DnsServer, QueryOptions, RecordType } from './types';
import { UdpPool } from './udp';

export interface DnsClientOptions {
  /** Queries in flight at once across all servers; the rest wait their turn. */
  maxInFlight?: number;
  /** UDP sockets per server; queries are multiplexed on them by ID. */
  socketsPerServer?: number;
  /** Close a server's socket after it has been idle this long. */
  idleMs?: number;
  /** Defaults for every query of this client. */
  defaults?: QueryOptions;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_RETRIES = 2;

export class DnsClient {
  private readonly limiter: Limiter;
  private readonly udp: UdpPool;
  private readonly defaults: QueryOptions;
  private readonly hasDefaults: boolean;

  constructor(options: DnsClientOptions = {}) {
    this.limiter = createLimiter(options.maxInFlight ?? 64);
    this.udp = new UdpPool({ socketsPerServer: options.socketsPerServer ?? 4, idleMs: options.idleMs ?? 5000 });
    this.defaults = options.defaults ?? {};
    this.hasDefaults = Object.keys(this.defaults).length > 0;
  }

  query(server: DnsServer, name: string, type: RecordType, options: QueryOptions = {}): Promise<DnsAnswer> {
    const opts = this.hasDefaults ? { ...this.defaults, ...options } : options;
    const endpoint = { address: server.address, port: server.port ?? 53 };
    if (isIP(endpoint.address) === 0) {
      return Promise.reject(
        new FixEmailAuthError('DNS_ERROR', `"${server.address}" is not an IP address (resolve nameserver names before querying them)`, {
          step: 'verify',
        }),
      );
    }
    if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
      return Promise.reject(new FixEmailAuthError('DNS_ERROR', `Bad DNS port ${endpoint.port}`, { step: 'verify' }));
    }
    let built: ReturnType<typeof buildQuery>;
    try {
      built = buildQuery(randomQueryId(), name, type, opts);
    } catch (err) {
      return Promise.reject(
        new FixEmailAuthError('DNS_ERROR', `Cannot build a DNS query for ${JSON.stringify(name)} ${type}: ${(err as Error).message}`, {
          step: 'verify',
          cause: err,
        }),
      );
    }
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const attempts = (opts.retries ?? DEFAULT_RETRIES) + 1;
    // TCP gets the whole budget UDP would have had: it is a single attempt, retransmission is TCP's job.
    const tcpBudget = totalBudget(timeoutMs, attempts);

    const overTcp = () =>
      tcpExchange(endpoint, built, tcpBudget, opts.signal).then((decoded) => toDnsAnswer(decoded, built, endpoint, 'tcp'));
    return this.limiter.run(() => {
      if (opts.tcp) return overTcp();
      return this.udp.exchange(endpoint, built, timeoutMs, attempts, opts.signal).then((viaUdp) =>
        // Truncated: the answer did not fit; ask again over TCP for all of it (RFC 2181 §9).
        viaUdp.flags.tc ? overTcp() : toDnsAnswer(viaUdp, built, endpoint, 'udp'),
      );
    });
  }

  /** UDP sockets open right now (for leak checks). */
  get openSockets(): number {
    return this.udp.openSockets;
  }

  /** Close every socket; queries still waiting fail with DNS_ERROR. */
  close(): void {
    this.udp.close();
  }
}

let shared: DnsClient | null = null;

/** The process-wide client: its sockets are unref'd and close when idle, so sharing it is safe. */
export function sharedDnsClient(): DnsClient {
  shared ??= new DnsClient();
  return shared;
}

/** One query through the shared client. */
export function query(server: DnsServer, name: string, type: RecordType, options?: QueryOptions): Promise<DnsAnswer> {
  return sharedDnsClient().query(server, name, type, options);
}
