/**
 * Who is authoritative for a zone and where to reach them: the zone's NS set (as the world's
 * resolvers see it) and each nameserver's addresses, with the config's `dns.nameserverAddresses`
 * first (servers whose NS names do not resolve from here, tests pointing at loopback ports).
 */
import type { Config } from '../../config';
import { FixEmailAuthError } from '../../errors';
import type { Resolver } from '../../ports';
import { parseEndpoint } from './endpoint';

function hostKey(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function isAbsent(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

/**
 * The zone's nameservers (lower-case, no trailing dot, sorted, unique); [] when the zone has no NS
 * set in DNS (not delegated). Other failures are DNS_ERROR: "we could not ask" is not "there are none".
 */
export async function lookupNameservers(zone: string, resolver: Resolver): Promise<string[]> {
  let rows: unknown[];
  try {
    rows = await resolver(hostKey(zone), 'NS');
  } catch (err) {
    if (isAbsent(err)) return [];
    throw new FixEmailAuthError('DNS_ERROR', `Could not look up the nameservers of ${hostKey(zone)}: ${(err as Error).message}`, {
      step: 'verify',
      cause: err,
    });
  }
  const names = rows.filter((r): r is string => typeof r === 'string').map(hostKey);
  return [...new Set(names)].sort();
}

/** A host's IPv4 and IPv6 addresses through `resolver`; [] when it has none. IP literals are themselves. */
export async function resolveHostAddresses(host: string, resolver: Resolver): Promise<string[]> {
  if (parseEndpoint(host)) return [host.trim()];
  const name = hostKey(host);
  const one = async (type: 'A' | 'AAAA') => {
    try {
      return (await resolver(name, type)).filter((a): a is string => typeof a === 'string');
    } catch (err) {
      if (isAbsent(err)) return [];
      throw new FixEmailAuthError('DNS_ERROR', `Could not look up the ${type} records of ${name}: ${(err as Error).message}`, {
        step: 'verify',
        cause: err,
      });
    }
  };
  const [v4, v6] = await Promise.all([one('A'), one('AAAA')]);
  return [...v4, ...v6];
}

/**
 * `addressOf` for the propagation check: `dns.nameserverAddresses[host]` when configured (entries may
 * carry a port: `127.0.0.1:5300`, `[::1]:5300`), else the host's A and AAAA records.
 */
export function createAddressLookup(
  config: Pick<Config['dns'], 'nameserverAddresses'>,
  resolver: Resolver,
): (host: string) => Promise<string[]> {
  const configured = new Map<string, string[]>();
  for (const [host, addresses] of Object.entries(config.nameserverAddresses)) configured.set(hostKey(host), addresses);
  return async (host) => configured.get(hostKey(host)) ?? resolveHostAddresses(host, resolver);
}
