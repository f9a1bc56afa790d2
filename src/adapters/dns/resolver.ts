/**
 * A `Resolver` (src/ports.ts) with the results and errors of Node's `dns.promises.resolve`, because
 * mailauth and the checks are written against that API: TXT → string[][], MX → {exchange, priority}[],
 * A/AAAA/NS/CNAME/PTR → string[]; failures carry `code` ENOTFOUND (NXDOMAIN), ENODATA (no record of
 * that type), ESERVFAIL, EREFUSED, ETIMEOUT, ECONNREFUSED… plus `syscall` and `hostname`.
 *
 * With `dns.resolvers` configured it asks them with our client (first server first; the next one on
 * SERVFAIL, REFUSED or no answer, as c-ares does); with none it is Node's own resolver over the
 * system's /etc/resolv.conf.
 *
 * TXT strings are binary strings (one char per byte), which is also what Node returns.
 * One deliberate difference: SOA gives a one-element array `[{nsname, hostmaster, serial, …}]`
 * instead of Node's bare object, so every result fits the port's `unknown[]`.
 */
import { promises as dnsPromises } from 'dns';
import type { Config } from '../../config';
import { FixEmailAuthError } from '../../errors';
import type { Resolver } from '../../ports';
import { DnsClient } from './client';
import { parseEndpoint } from './endpoint';
import { assertValidName, txtStrings } from './packet';
import type { DnsAnswer, DnsRecord, DnsServer } from './types';

const SYSCALL: Record<string, string> = {
  A: 'queryA',
  AAAA: 'queryAaaa',
  TXT: 'queryTxt',
  MX: 'queryMx',
  NS: 'queryNs',
  CNAME: 'queryCname',
  PTR: 'queryPtr',
  SOA: 'querySoa',
  SRV: 'querySrv',
  CAA: 'queryCaa',
};

const RCODE_ERROR: Record<string, string> = {
  NXDOMAIN: 'ENOTFOUND',
  SERVFAIL: 'ESERVFAIL',
  REFUSED: 'EREFUSED',
  NOTIMP: 'ENOTIMP',
  FORMERR: 'EFORMERR',
};

export interface NodeStyleDnsError extends Error {
  code: string;
  syscall: string;
  hostname: string;
}

/** An error shaped like the ones `dns.promises` rejects with (`queryTxt ENOTFOUND example.com`). */
export function nodeDnsError(code: string, syscall: string, hostname: string, cause?: unknown): NodeStyleDnsError {
  const err = new Error(`${syscall} ${code} ${hostname}`, cause === undefined ? undefined : { cause }) as NodeStyleDnsError;
  err.code = code;
  err.syscall = syscall;
  err.hostname = hostname;
  return err;
}

/** Follow CNAMEs from the question name through the answer section and keep the records of `type` at the end. */
function recordsFor(answer: DnsAnswer, type: string): DnsRecord[] {
  let name = answer.question.name;
  const seen = new Set<string>();
  while (!seen.has(name)) {
    seen.add(name);
    const here = answer.answers.filter((r) => r.name === name);
    const matching = here.filter((r) => r.type === type);
    if (matching.length > 0 || type === 'CNAME') return matching;
    const cname = here.find((r) => r.type === 'CNAME');
    if (!cname || cname.type !== 'CNAME') return [];
    name = cname.data;
  }
  return [];
}

/** Records in the shapes `dns.promises.resolve(name, type)` returns. */
export function toNodeShape(type: string, records: DnsRecord[]): unknown[] {
  return records.map((r) => {
    switch (r.type) {
      case 'TXT':
        return txtStrings(r);
      case 'MX':
        return { exchange: r.data.exchange, priority: r.data.preference };
      case 'SOA':
        return {
          nsname: r.data.mname,
          hostmaster: r.data.rname,
          serial: Number(r.data.serial),
          refresh: r.data.refresh,
          retry: r.data.retry,
          expire: r.data.expire,
          minttl: r.data.minimum,
        };
      case 'SRV':
        return { name: r.data.target, port: r.data.port, priority: r.data.priority, weight: r.data.weight };
      case 'CAA':
        return { critical: r.data.flags, [r.data.tag]: r.data.value };
      case 'OTHER':
        return r.data;
      default:
        return r.data;
    }
  });
}

/** No answer at all: ETIMEOUT when the server stayed silent, else ECONNREFUSED (c-ares: "could not contact"). */
function failureCode(err: unknown): string {
  return err instanceof FixEmailAuthError && err.code === 'TIMEOUT' ? 'ETIMEOUT' : 'ECONNREFUSED';
}

/** The configured resolvers as endpoints; a malformed entry is a config error, reported at once. */
export function resolverEndpoints(resolvers: string[]): DnsServer[] {
  return resolvers.map((text) => {
    const parsed = parseEndpoint(text);
    if (!parsed)
      throw new FixEmailAuthError('CONFIG_INVALID', `dns.resolvers: "${text}" is not an IP address (optionally with :port)`, {
        step: 'config',
      });
    return { address: parsed.address, port: parsed.port ?? 53 };
  });
}

export type ClosableResolver = Resolver & { close(): void };

/**
 * `createResolver(config.dns)`. The returned function also has `close()` to release its sockets
 * early (they are unref'd and close when idle anyway).
 */
export function createResolver(config: Pick<Config['dns'], 'resolvers' | 'timeoutMs' | 'retries'>, client?: DnsClient): ClosableResolver {
  if (config.resolvers.length === 0) return createNodeResolver(config);
  const servers = resolverEndpoints(config.resolvers);
  const ownClient = client ?? new DnsClient({ defaults: { timeoutMs: config.timeoutMs, retries: config.retries, recursionDesired: true } });

  const resolve = async (name: string, rrtype: string): Promise<unknown[]> => {
    const type = rrtype.toUpperCase();
    const syscall = SYSCALL[type];
    if (!syscall) {
      const err = new TypeError(`The argument 'rrtype' is invalid. Received '${rrtype}'`) as TypeError & { code: string };
      err.code = 'ERR_INVALID_ARG_VALUE';
      throw err;
    }
    const hostname = name;
    try {
      assertValidName(name);
    } catch (err) {
      throw nodeDnsError('EBADNAME', syscall, hostname, err);
    }
    let lastError: NodeStyleDnsError | null = null;
    for (const server of servers) {
      let answer: DnsAnswer;
      try {
        answer = await ownClient.query(server, name, type, { recursionDesired: true });
      } catch (err) {
        lastError = nodeDnsError(failureCode(err), syscall, hostname, err);
        continue;
      }
      if (answer.rcode === 'NOERROR') {
        const records = recordsFor(answer, type);
        if (records.length === 0) throw nodeDnsError('ENODATA', syscall, hostname);
        return toNodeShape(type, records);
      }
      if (answer.rcode === 'NXDOMAIN') throw nodeDnsError('ENOTFOUND', syscall, hostname);
      // SERVFAIL, REFUSED, …: this server cannot help; another might.
      lastError = nodeDnsError(RCODE_ERROR[answer.rcode] ?? 'EBADRESP', syscall, hostname);
    }
    throw lastError ?? nodeDnsError('ECONNREFUSED', syscall, hostname);
  };
  return Object.assign(resolve, { close: () => (client ? undefined : ownClient.close()) });
}

/**
 * Node's resolver with SOA wrapped in an array like ours; the system's servers unless `servers`
 * (in `dns.setServers` form) are given.
 */
export function createNodeResolver(config: Pick<Config['dns'], 'timeoutMs' | 'retries'>, servers?: string[]): ClosableResolver {
  const resolver = new dnsPromises.Resolver({ timeout: config.timeoutMs, tries: config.retries + 1 });
  if (servers) resolver.setServers(servers);
  const resolve = async (name: string, rrtype: string): Promise<unknown[]> => {
    const result: unknown = await resolver.resolve(name, rrtype.toUpperCase() as 'TXT');
    return Array.isArray(result) ? (result as unknown[]) : [result];
  };
  return Object.assign(resolve, { close: () => resolver.cancel() });
}
