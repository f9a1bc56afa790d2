/**
 * `has_local_authority` (docs/reference/cpanel-api.md §7.5), UAPI and WHM: whether this server's zone is the one the
 * world sees. cPanel compares SOAs over live DNS; the simulator answers from the seed
 * (`localAuthority`, `publicNameservers` per zone) so tests can stage "hosted elsewhere".
 */
import type { SimContext } from './context';
import { messages } from './messages';
import { loadZone } from './zoneAccess';
import { isSafeZoneName } from './zoneFiles';

export interface LocalAuthorityRow {
  domain: string;
  zone: string | null;
  local_authority: 0 | 1;
  nameservers: string[];
  /** Only on failure (shape of the failure row unverified). */
  error?: string;
}

/** The zone holding a domain: its account's zone, or a zone file of that exact name (root-only zones). */
async function zoneHolding(ctx: SimContext, domain: string): Promise<string | undefined> {
  const zone = ctx.directory.zoneOfDomain(domain);
  if (zone !== undefined) return zone;
  return isSafeZoneName(domain) && (await ctx.zones.exists(domain)) ? domain : undefined;
}

export async function localAuthorityRows(
  ctx: SimContext,
  domains: readonly string[],
  mayAsk: (zone: string) => Promise<boolean>,
): Promise<LocalAuthorityRow[]> {
  const rows: LocalAuthorityRow[] = [];
  for (const domain of domains) {
    const zone = await zoneHolding(ctx, domain);
    const loaded = zone !== undefined && (await mayAsk(zone)) ? await loadZone(ctx, zone) : null;
    if (zone === undefined || loaded === null) {
      rows.push({ domain, zone: null, local_authority: 0, nameservers: [], error: messages.noSuchDomain(domain) });
      continue;
    }
    const authority = ctx.authority.get(zone) ?? { localAuthority: 1 };
    // Host names without the final dot, as cPanel lists nameservers elsewhere (unverified here).
    const zoneNs = loaded.zone.records
      .filter((r) => r.type === 'NS' && r.name === `${zone}.`)
      .map((r) => (r.data[0] ?? '').replace(/\.$/, ''));
    rows.push({ domain, zone, local_authority: authority.localAuthority, nameservers: authority.publicNameservers ?? zoneNs });
  }
  return rows;
}
