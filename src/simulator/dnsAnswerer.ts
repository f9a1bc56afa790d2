/**
 * DEMO ONLY: a minimal authoritative DNS server over a directory of cPanel zone files, for
 * `npm start` on machines without PowerDNS. Production servers run PowerDNS or BIND
 * (docs/reference/cpanel-plugins.md §9); the integration tests use real PowerDNS (test/support/pdns.ts).
 *
 * UDP and TCP on one loopback port; A, AAAA, NS, MX, TXT, SOA, CNAME (and SRV, CAA) with AA=1;
 * NXDOMAIN/NODATA with the SOA in the authority section; REFUSED outside its zones; TC=1 over UDP
 * when the answer does not fit, the full answer over TCP. A zone file is read again when it changes.
 */
import { ZoneDirectory } from './dnsAnswerer/zoneDirectory';
import { respond } from './dnsAnswerer/respond';
import { listenDns } from './dnsAnswerer/server';

export interface DnsAnswererOptions {
  /** Directory of `<zone>.db` files (cPanel's /var/named layout). */
  zonesDir: string;
  /** Serve only these zones; by default every `<zone>.db` in the directory. */
  zones?: string[];
  /** 127.0.0.1 (default) or ::1. */
  address?: string;
  /** A fixed port; by default a free one. */
  port?: number;
}

export interface DnsAnswerer {
  address: string;
  port: number;
  /** Messages received so far, by transport. */
  readonly stats: { udp: number; tcp: number };
  stop(): Promise<void>;
}

export async function startDnsAnswerer(options: DnsAnswererOptions): Promise<DnsAnswerer> {
  const zones = new ZoneDirectory(options.zonesDir, options.zones);
  const listen: { address?: string; port?: number } = {};
  if (options.address !== undefined) listen.address = options.address;
  if (options.port !== undefined) listen.port = options.port;
  return listenDns((message, transport) => respond(message, zones.find, transport), listen);
}
