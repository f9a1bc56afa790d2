/**
 * Accounts as root (or a reseller) through WHM API 1 (docs/reference/cpanel-api.md §7): every domain from one
 * `get_domain_info` call, owners and suspension from `listaccts`, zones from `listzones` (mapping rule in
 * zoneMap.ts), local authority from `has_local_authority`. Plus the typed `listAccounts` / `listZones`.
 */
import type { Accounts, DomainInfo, DomainType, LocalAuthority } from '../../ports';
import { currentCallScope, withCallScope } from './callScope';
import { normalizeDomain } from '../../zone/model';
import { assignZones, hiddenAddonSubdomains, type DomainRow } from './zoneMap';
import { toLocalAuthority } from './localAuthority';
import {
  featureCheckDataSchema,
  getDomainInfoDataSchema,
  listacctsDataSchema,
  listzonesDataSchema,
  readPayload,
  whmLocalAuthorityDataSchema,
} from './schemas';
import type { WhmApi } from './whmApi';

export interface AccountQuery {
  /** listaccts `searchtype` (§7.1). */
  searchType?: 'user' | 'domain' | 'owner' | 'ip' | 'package' | 'domain_and_user';
  /** A regular expression unless `exact`. */
  search?: string;
  exact?: boolean;
  /** Only these fields (listaccts `want`); `user` is always added. */
  want?: readonly string[];
}

export interface CpanelAccount {
  user: string;
  domain?: string;
  owner?: string;
  suspended?: boolean;
  suspendReason?: string;
  plan?: string;
  email?: string;
  ip?: string;
  theme?: string;
  /** Every field listaccts returned, as it returned it. */
  fields: Record<string, unknown>;
}

export interface ZoneListing {
  zone: string;
  zonefile: string;
}

const DOMAIN_TYPES: ReadonlySet<string> = new Set<DomainType>(['main', 'addon', 'parked', 'sub']);

export interface DomainMapOptions {
  /**
   * How long the server's domain map (get_domain_info + listaccts + listzones) is reused, ms; 0 = ask
   * every time. Every page of every user needs it, and it costs three whole-server WHM calls.
   */
  cacheMs?: number;
  now?: () => number;
}

interface DomainMap {
  all: DomainInfo[];
  visible: DomainInfo[];
}

export class WhmAccounts implements Accounts {
  /** The last map fetched in full, and when its fetch began. */
  private settled: { at: number; map: DomainMap } | null = null;
  /** A fetch for pages under way, shared by the pages that arrive meanwhile. */
  private pending: Promise<DomainMap> | null = null;
  /** Bumped by `invalidate`: a fetch that began before it does not become the cached map. */
  private generation = 0;

  constructor(
    private readonly whm: WhmApi,
    private readonly options: DomainMapOptions = {},
  ) {}

  /** Forget the domain map: after our own zone writes and when a hook says accounts changed. */
  invalidate(): void {
    this.settled = null;
    this.pending = null;
    this.generation++;
  }

  /** cPanel's own feature check for an account (`verify_user_has_feature`, `Cpanel/Features/Check.pm`). */
  async userHasFeature(user: string, feature: string): Promise<boolean> {
    const result = await this.whm.call('verify_user_has_feature', { user, feature }, { step: 'read' });
    return readPayload(featureCheckDataSchema, result.data, 'verify_user_has_feature', 'read').has_feature === 1;
  }

  async listAccounts(query: AccountQuery = {}): Promise<CpanelAccount[]> {
    const want = query.want ? [...new Set(['user', ...query.want])].join(',') : undefined;
    const result = await this.whm.call(
      'listaccts',
      { searchtype: query.searchType, search: query.search, searchmethod: query.exact ? 'exact' : undefined, want },
      { step: 'read' },
    );
    const data = readPayload(listacctsDataSchema, result.data, 'listaccts', 'read');
    return (data?.acct ?? []).map((row) => {
      const account: CpanelAccount = { user: row.user, fields: { ...row } };
      if (row.domain !== undefined) account.domain = normalizeDomain(row.domain);
      if (row.owner !== undefined) account.owner = row.owner;
      if (row.suspended !== undefined) account.suspended = row.suspended === 1;
      if (row.suspendreason !== undefined) account.suspendReason = row.suspendreason;
      if (row.plan !== undefined) account.plan = row.plan;
      if (row.email !== undefined) account.email = row.email;
      if (row.ip !== undefined) account.ip = row.ip;
      if (row.theme !== undefined) account.theme = row.theme;
      return account;
    });
  }

  async listZones(): Promise<ZoneListing[]> {
    const result = await this.whm.call('listzones', {}, { step: 'read' });
    const data = readPayload(listzonesDataSchema, result.data, 'listzones', 'read');
    return (data?.zone ?? []).map((row) => ({
      zone: normalizeDomain(row.domain),
      zonefile: row.zonefile ?? `${normalizeDomain(row.domain)}.db`,
    }));
  }

  async listDomains(): Promise<DomainInfo[]> {
    const { visible } = await this.allDomains();
    return visible;
  }

  async domainsOfUser(user: string): Promise<DomainInfo[]> {
    return (await this.listDomains()).filter((d) => d.user === user);
  }

  async findDomain(domain: string): Promise<DomainInfo | null> {
    const name = normalizeDomain(domain);
    const { all } = await this.allDomains();
    return all.find((d) => d.domain === name) ?? null;
  }

  async localAuthority(domains: string[]): Promise<LocalAuthority[]> {
    if (domains.length === 0) return [];
    const result = await this.whm.call('has_local_authority', { domain: domains.map(normalizeDomain) }, { step: 'read' });
    const data = readPayload(whmLocalAuthorityDataSchema, result.data, 'has_local_authority', 'read');
    return (data?.records ?? []).map(toLocalAuthority);
  }

  /**
   * The domain map. Callers whose call scope allows it (pages that only show: callScope.ts) take the
   * last complete map while it is fresh, else share one fetch for pages. Everyone else (a change, an
   * ownership check before one, a job, the CLI) fetches anew, which also refreshes the cached map.
   * Pages never wait on such a fetch: it runs in its caller's share of WHM's budget, and a page must
   * not queue behind another tenant's calls. A failed fetch is not kept.
   */
  private allDomains(): Promise<DomainMap> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.cacheMs ?? 0;
    if (ttl <= 0) return this.fetchDomainMap();
    const mayReuse = currentCallScope()?.cachedDomainMapOk === true;
    if (!mayReuse) return this.fetchAndKeep(now);
    if (this.settled && now - this.settled.at < ttl) return Promise.resolve(this.settled.map);
    if (!this.pending) {
      // Shared by every page that arrives meanwhile: its calls wait in a queue of their own (not the
      // first asker's), and no asker's hang-up cancels it for the others.
      const pending = withCallScope({ key: 'domain-map' }, () => this.fetchAndKeep(now));
      this.pending = pending;
      const clear = () => {
        if (this.pending === pending) this.pending = null;
      };
      pending.then(clear, clear);
    }
    return this.pending;
  }

  private fetchAndKeep(startedAt: number): Promise<DomainMap> {
    const generation = this.generation;
    const map = this.fetchDomainMap();
    return map.then((value) => {
      if (generation === this.generation && (!this.settled || this.settled.at <= startedAt)) this.settled = { at: startedAt, map: value };
      return value;
    });
  }

  /** Every domain with its zone (`all`), and the same without hidden addon sub-domains (`visible`). */
  private async fetchDomainMap(): Promise<DomainMap> {
    const [domainResult, accounts, zones] = await Promise.all([
      this.whm.call('get_domain_info', {}, { step: 'read' }),
      this.listAccounts({ want: ['owner', 'suspended'] }),
      this.listZones(),
    ]);
    const data = readPayload(getDomainInfoDataSchema, domainResult.data, 'get_domain_info', 'read');
    const byUser = new Map(accounts.map((a) => [a.user, a]));
    const rows: DomainRow[] = [];
    for (const row of data?.domains ?? []) {
      if (!DOMAIN_TYPES.has(row.domain_type)) continue;
      const account = byUser.get(row.user);
      const entry: DomainRow = {
        domain: row.domain,
        user: row.user,
        owner: row.user_owner ?? account?.owner ?? '',
        type: row.domain_type as DomainType,
      };
      if (row.parent_domain) entry.parent = row.parent_domain;
      if (row.docroot) entry.docroot = row.docroot;
      if (account?.suspended !== undefined) entry.suspended = account.suspended;
      rows.push(entry);
    }
    const all = assignZones(rows, new Set(zones.map((z) => z.zone)));
    const hidden = hiddenAddonSubdomains(rows);
    return { all, visible: all.filter((d) => !hidden.has(d.domain)) };
  }
}
