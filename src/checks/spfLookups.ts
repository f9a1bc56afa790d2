/** The SPF DNS-lookup limit and its finding, shared by the static check and the evaluator. */
import { finding, type Finding } from './findings';

/** RFC 7208 §4.6.4: more than 10 DNS-querying terms (include, a, mx, ptr, exists, redirect) is a permerror. */
export const SPF_LOOKUP_LIMIT = 10;

export function tooManyLookups(
  domain: string,
  lookups: number,
  records: Finding['records'],
  details: Record<string, unknown> = {},
): Finding {
  return finding(
    'SPF_TOO_MANY_LOOKUPS',
    'spf',
    `Checking the SPF record of ${domain} needs ${lookups} DNS lookups; receivers stop at ${SPF_LOOKUP_LIMIT} (RFC 7208 §4.6.4) and then treat SPF as broken for all its mail. Replace some includes with ip4:/ip6: ranges.`,
    records,
    { lookups, limit: SPF_LOOKUP_LIMIT, ...details },
  );
}
