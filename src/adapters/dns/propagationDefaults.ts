/**
 * The parts of a propagation check that come from the configuration (`dns` section), so callers
 * write `checkPropagation({ ...propagationDefaults(config.dns), zone, name, expectedTxt, now })`:
 * NS and address lookups through the configured resolvers (or the system's), nameserver addresses
 * from `dns.nameserverAddresses` first, the port override, timeouts and retries.
 */
import type { Config } from '../../config';
import { createAddressLookup } from './nameservers';
import type { PropagationInput } from './propagation';
import { createResolver, type ClosableResolver } from './resolver';

export type PropagationDefaults = Required<Pick<PropagationInput, 'resolver' | 'addressOf' | 'port' | 'timeoutMs' | 'retries'>> & {
  resolver: ClosableResolver;
};

export function propagationDefaults(dns: Config['dns']): PropagationDefaults {
  const resolver = createResolver(dns);
  return {
    resolver,
    addressOf: createAddressLookup(dns, resolver),
    port: dns.port,
    timeoutMs: dns.timeoutMs,
    retries: dns.retries,
  };
}
