/**
 * The shapes our own DNS client speaks. They keep what a propagation check needs and the
 * `dns.promises` API hides: the response code, the AA and TC flags, every section and every TTL,
 * and TXT character-strings as the exact bytes the server sent (zones may hold arbitrary bytes,
 * docs/reference/cpanel-api.md §5.3).
 */

/** Record types the client decodes into structured data; any other type number works too. */
export type RecordType = 'A' | 'AAAA' | 'NS' | 'CNAME' | 'SOA' | 'PTR' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'ANY' | (string & {});

/** A server to ask: an IPv4 or IPv6 literal and its port (53 unless told). */
export interface DnsServer {
  address: string;
  port?: number;
}

export interface QueryOptions {
  /** Wait for the first attempt's answer; later attempts wait twice as long each (RFC 1035 §4.2.1). */
  timeoutMs?: number;
  /** Extra attempts after a timeout (so `retries: 2` sends up to three datagrams). */
  retries?: number;
  /** Add an EDNS(0) OPT record offering a 4096-byte UDP payload (RFC 6891 §6.2.5). Default true. */
  edns?: boolean;
  /** RD bit: true for recursive resolvers, false (default) for authoritative servers. */
  recursionDesired?: boolean;
  signal?: AbortSignal;
  /** Skip UDP and ask over TCP at once (RFC 7766); used after truncation and by tests. */
  tcp?: boolean;
}

export interface SoaData {
  mname: string;
  rname: string;
  /** Serial as a decimal string: serials are compared as strings (docs/reference/cpanel-api.md §9.5) and by RFC 1982. */
  serial: string;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

interface RecordBase {
  /** Owner name, lower-cased, without the trailing dot (as on the wire, minus the root). */
  name: string;
  ttl: number;
  class: string;
}

export type DnsRecord =
  | (RecordBase & { type: 'A' | 'AAAA' | 'NS' | 'CNAME' | 'PTR'; data: string })
  | (RecordBase & { type: 'MX'; data: { preference: number; exchange: string } })
  /** TXT: one Buffer per character-string, exactly as sent (RFC 1035 §3.3.14). */
  | (RecordBase & { type: 'TXT'; data: Buffer[] })
  | (RecordBase & { type: 'SOA'; data: SoaData })
  | (RecordBase & { type: 'SRV'; data: { priority: number; weight: number; port: number; target: string } })
  | (RecordBase & { type: 'CAA'; data: { flags: number; tag: string; value: string } })
  /** Anything else: the raw RDATA. */
  | (RecordBase & { type: 'OTHER'; rrtype: string; data: Buffer });

export type ResponseCode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED' | (string & {});

export interface DnsAnswer {
  /** The server that answered (after a TCP retry, the same server). */
  server: { address: string; port: number };
  /** The question as asked. */
  question: { name: string; type: string };
  rcode: ResponseCode;
  flags: { aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean };
  answers: DnsRecord[];
  authority: DnsRecord[];
  /** Additional section without the EDNS OPT pseudo-record. */
  additional: DnsRecord[];
  /** The UDP payload size the server offered in its OPT record, when it sent one. */
  ednsUdpSize: number | null;
  transport: 'udp' | 'tcp';
}
