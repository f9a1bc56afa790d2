/**
 * How the relay double finds `_mailchannels.<domain>`: TXT over DNS from a given server (in tests,
 * the local PowerDNS serving the simulator's zone files), through the project's own DNS client.
 *
 * Result: the TXT records as their character-strings (joined later by the parser with `''`, §5),
 * or an empty list when the name has none. Anything else (timeout, SERVFAIL) throws a
 * `TxtLookupError`: the relay answers 451 and Exim retries, as for any temporary failure.
 */
import { createResolver, type ClosableResolver } from '../../adapters/dns/resolver';
import { formatEndpoint } from '../../adapters/dns/endpoint';

export type TxtLookup = (name: string) => Promise<string[][]>;

export class TxtLookupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * NXDOMAIN and NODATA mean "no record". REFUSED also does here: the test DNS is authoritative only,
 * and refuses names outside its zones (a recipient's or the bounce sender's domain), where a
 * recursive resolver on the internet would answer NXDOMAIN for these test-only names.
 */
const NO_RECORD_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EREFUSED']);

export interface DnsTxtLookupOptions {
  address: string;
  port: number;
  timeoutMs?: number;
  retries?: number;
}

export function dnsTxtLookup(options: DnsTxtLookupOptions): TxtLookup & { close(): void } {
  const resolver: ClosableResolver = createResolver({
    resolvers: [formatEndpoint(options.address, options.port)],
    timeoutMs: options.timeoutMs ?? 1000,
    retries: options.retries ?? 1,
  });
  const lookup = async (name: string): Promise<string[][]> => {
    try {
      return (await resolver(name, 'TXT')) as string[][];
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'EUNKNOWN';
      if (NO_RECORD_CODES.has(code)) return [];
      throw new TxtLookupError(code, `TXT lookup of ${name} failed: ${code}`);
    }
  };
  return Object.assign(lookup, { close: () => resolver.close() });
}
