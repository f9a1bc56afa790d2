/** The DNS adapter's public surface: client, resolver, propagation check, authority findings. */
export { DnsClient, query, sharedDnsClient, type DnsClientOptions } from './client';
export { attemptTimeout, totalBudget } from './backoff';
export { createResolver, createNodeResolver, nodeDnsError, type ClosableResolver, type NodeStyleDnsError } from './resolver';
export { checkPropagation, waitForPropagation } from './propagation';
export type {
  PropagationInput,
  PropagationReport,
  PropagationState,
  ServerReport,
  ServerState,
  NameserverReport,
  WaitOptions,
} from './propagation';
export { lookupNameservers, resolveHostAddresses, createAddressLookup } from './nameservers';
export { compareSerials, parseSerial, type SerialRelation } from './serial';
export { parseEndpoint, formatEndpoint } from './endpoint';
export { createLimiter, type Limiter } from './limiter';
export type { DnsAnswer, DnsRecord, DnsServer, QueryOptions, RecordType, SoaData } from './types';
export { propagationDefaults, type PropagationDefaults } from './propagationDefaults';
