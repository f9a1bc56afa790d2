/**
 * What a bulk job asks cPanel about accounts, asked once per job instead of once per domain.
 *
 * A single repair asks WHM who owns the domain (`get_domain_info` + `listaccts` + `listzones`: three
 * calls) and whether the world uses this server (`has_local_authority`) before it reads the zone.
 * Over 10 000 domains that is 40 000 calls before any work, at `cpanel.rateLimitPerSecond`. Here the
 * domain list is read once for the job and the authority answers are fetched 100 domains at a time,
 * in the job's order, as the items reach them. A domain missing from the list (added after the job
 * started, or a hidden addon sub-domain the list leaves out) is asked about the usual way.
 */
import type { Accounts, DomainInfo, LocalAuthority } from '../../ports';

const AUTHORITY_BATCH = 100;

export interface JobDirectory {
  accounts: Pick<Accounts, 'findDomain' | 'localAuthority'>;
  /** The zone of a domain as the job's list has it (for the zone lock), or null. */
  zoneOf(domain: string): Promise<string | null>;
}

export function jobDirectory(
  live: Pick<Accounts, 'listDomains' | 'findDomain' | 'localAuthority'>,
  keys: () => Promise<readonly string[]>,
): JobDirectory {
  let listing: Promise<Map<string, DomainInfo>> | undefined;
  const byDomain = (): Promise<Map<string, DomainInfo>> => {
    listing ??= live.listDomains().then((all) => new Map(all.map((d) => [d.domain, d])));
    // A failed listing is asked again by the next item.
    listing.catch(() => (listing = undefined));
    return listing;
  };

  const authority = new Map<string, Promise<LocalAuthority | undefined>>();
  let order: Promise<readonly string[]> | undefined;
  const fetchBatchFrom = async (domain: string): Promise<void> => {
    order ??= keys();
    const all = await order;
    const start = Math.max(0, all.indexOf(domain));
    const batch = all
      .slice(start)
      .filter((d) => !authority.has(d))
      .slice(0, AUTHORITY_BATCH);
    if (!batch.includes(domain)) batch.unshift(domain);
    const answer = live.localAuthority(batch).then(
      (rows) => new Map(rows.map((r) => [r.domain, r])),
      () => new Map<string, LocalAuthority>(),
    );
    for (const d of batch)
      authority.set(
        d,
        answer.then((m) => m.get(d)),
      );
  };

  return {
    accounts: {
      async findDomain(domain) {
        const known = (await byDomain().catch(() => new Map<string, DomainInfo>())).get(domain);
        return known ?? live.findDomain(domain);
      },
      async localAuthority(domains) {
        const out: LocalAuthority[] = [];
        for (const d of domains) {
          if (!authority.has(d)) await fetchBatchFrom(d);
          const a = await authority.get(d);
          if (a) out.push(a);
        }
        return out;
      },
    },
    async zoneOf(domain) {
      const known = (await byDomain().catch(() => new Map<string, DomainInfo>())).get(domain);
      return known?.zone ?? null;
    },
  };
}
