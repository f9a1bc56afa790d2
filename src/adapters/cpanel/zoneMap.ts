/**
 * Which zone holds each domain's records (docs/reference/cpanel-api.md §5.1, §7.2, gotcha §9.14), and which domains
 * to list at all.
 *
 * The rule:
 * 1. A user's zones are the zones named like one of the user's domains: with WHM, those of the user's
 *    domains (any type) that `listzones` shows; as the user (no zone list), the main, addon and parked
 *    domains, which always have a zone of their own, while cPanel-created sub-domains never do (§5.1).
 * 2. A domain's zone is the nearest enclosing zone among the user's zones: the domain itself, else its
 *    parent, grandparent, … (walking up one label at a time). So `shop.alice.example` lives in
 *    `alice.example`, and an addon `blog.alice.example` without a zone of its own would too.
 * 3. Without any match (e.g. the zone lives only on a DNS-cluster peer): a sub-domain falls back to its
 *    `parent_domain`, the others to themselves.
 * 4. An addon domain is built on a hidden sub-domain of the main domain (`addon.alice.example` behind
 *    `addon.tld`, §7.2) sharing the addon's document root. UAPI `list_domains` leaves it out (§7.4); from
 *    `get_domain_info` we drop a `sub` row of the same user whose docroot equals an addon's, or which an
 *    addon names as its `parent_domain` (as /etc/userdatadomains records it; unverified for the API), so
 *    the addon is not counted twice. `findDomain` still finds it.
 */
import { normalizeDomain } from '../../zone/model';
import type { DomainInfo, DomainType } from '../../ports';

/** The domain itself or its nearest ancestor that is in `zones`; null when none is. */
export function nearestZone(domain: string, zones: ReadonlySet<string>): string | null {
  let name = normalizeDomain(domain);
  for (;;) {
    if (zones.has(name)) return name;
    const dot = name.indexOf('.');
    if (dot < 0) return null;
    name = name.slice(dot + 1);
  }
}

export interface DomainRow {
  domain: string;
  user: string;
  owner: string;
  type: DomainType;
  parent?: string;
  docroot?: string;
  suspended?: boolean;
}

const OWN_ZONE_TYPES: ReadonlySet<DomainType> = new Set(['main', 'addon', 'parked']);

/** Names (lower-case) of the hidden sub-domains behind addon domains (rule 4). */
export function hiddenAddonSubdomains(rows: readonly DomainRow[]): Set<string> {
  const addons = rows.filter((r) => r.type === 'addon');
  const key = (user: string, value: string) => `${user}\u0000${value}`;
  const addonRoots = new Set(addons.filter((r) => r.docroot).map((r) => key(r.user, r.docroot as string)));
  const addonParents = new Set(addons.filter((r) => r.parent).map((r) => key(r.user, normalizeDomain(r.parent as string))));
  const hidden = rows.filter(
    (r) =>
      r.type === 'sub' &&
      ((r.docroot && addonRoots.has(key(r.user, r.docroot))) || addonParents.has(key(r.user, normalizeDomain(r.domain)))),
  );
  return new Set(hidden.map((r) => normalizeDomain(r.domain)));
}

/**
 * DomainInfo for every row, with its zone (rules 1–3). `serverZones` = the names from `listzones`, or
 * null when acting as the user (rule 1, second half).
 */
export function assignZones(rows: readonly DomainRow[], serverZones: ReadonlySet<string> | null): DomainInfo[] {
  const zonesByUser = new Map<string, Set<string>>();
  for (const row of rows) {
    const name = normalizeDomain(row.domain);
    const owned = serverZones === null ? OWN_ZONE_TYPES.has(row.type) : serverZones.has(name);
    if (!owned) continue;
    const set = zonesByUser.get(row.user) ?? new Set<string>();
    set.add(name);
    zonesByUser.set(row.user, set);
  }
  return rows.map((row) => {
    const domain = normalizeDomain(row.domain);
    const fallback = row.type === 'sub' && row.parent ? normalizeDomain(row.parent) : domain;
    const zone = nearestZone(domain, zonesByUser.get(row.user) ?? new Set()) ?? fallback;
    const info: DomainInfo = { domain, user: row.user, owner: row.owner, type: row.type, zone };
    if (row.suspended !== undefined) info.suspended = row.suspended;
    return info;
  });
}
