/**
 * Live diagnosis through the configured cPanel connection: which zone holds each domain, who owns
 * it, whether the world asks this server, then every check. Read-only; used by `diagnose`, the
 * pages and the hooks. A user may only inspect their own account's domains.
 */
import type { Accounts, DomainInfo, LocalAuthority } from '../ports';
import type { Zone } from '../zone/model';
import { diagnoseInZone } from './repair/repair';
import { resolveOwnedDomain } from './repair/ownership';
import type { RepairContext } from './repair/context';
import type { DomainReport } from './report';

export type InspectContext = Pick<RepairContext, 'config' | 'zones' | 'resolver' | 'dkimPublicKey'> & { accounts: Pick<Accounts, 'findDomain' | 'localAuthority' | 'domainsOfUser'> };

export interface InspectedDomain extends DomainReport {
  user: string;
  type: DomainInfo['type'];
  owner: string;
  authority?: LocalAuthority;
}

async function authorities(ctx: InspectContext, domains: string[]): Promise<Map<string, LocalAuthority>> {
  const map = new Map<string, LocalAuthority>();
  if (domains.length === 0) return map;
  try {
    for (const a of await ctx.accounts.localAuthority(domains)) map.set(a.domain, a);
  } catch {
    // cPanel could not tell: diagnose without the authority finding rather than not at all.
  }
  return map;
}

/** Diagnose the given domains, reading each zone once (sub-domains share their parent's zone). */
export async function inspectDomains(ctx: InspectContext, infos: DomainInfo[], options: { keepForeign?: boolean } = {}): Promise<InspectedDomain[]> {
  const zones = new Map<string, Promise<Zone>>();
  const authority = await authorities(ctx, infos.map((i) => i.domain));
  const out: InspectedDomain[] = [];
  for (const info of infos) {
    let zone = zones.get(info.zone);
    if (!zone) {
      zone = ctx.zones.readZone(info.zone);
      zones.set(info.zone, zone);
    }
    const a = authority.get(info.domain);
    const report = await diagnoseInZone(ctx, info, await zone, a, options.keepForeign);
    out.push({ ...report, user: info.user, type: info.type, owner: info.owner, ...(a ? { authority: a } : {}) });
  }
  return out;
}

export async function inspectDomain(ctx: InspectContext, domain: string, options: { asUser?: string; keepForeign?: boolean } = {}): Promise<InspectedDomain> {
  const info = await resolveOwnedDomain(ctx.accounts, domain, options.asUser);
  const [report] = await inspectDomains(ctx, [info], options);
  return report!;
}

const TYPE_ORDER: Record<DomainInfo['type'], number> = { main: 0, addon: 1, parked: 2, sub: 3 };

/** Every domain of one cPanel account: main, addon, parked, then sub-domains. */
export async function inspectUser(ctx: InspectContext, user: string, options: { keepForeign?: boolean } = {}): Promise<InspectedDomain[]> {
  const infos = (await ctx.accounts.domainsOfUser(user)).slice().sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.domain.localeCompare(b.domain));
  return inspectDomains(ctx, infos, options);
}
