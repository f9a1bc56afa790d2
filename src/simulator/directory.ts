/**
 * Who owns what on the simulated server: accounts, their domains, resellers, features. Zones are
 * not here — the files on disk are their truth (zoneFiles.ts); this only says which zone names an
 * account may own (its main, addon and parked domains: docs/reference/cpanel-api.md §5.1, §7.2).
 */
import type { AccountSpec, DomainSpec, Seed } from './seed';

export type DomainKind = 'main' | 'addon' | 'parked' | 'sub';

/** The features the seed's `features` list switches on one by one (the zone editors' and emailauth). */
const SEED_LISTED_FEATURES: ReadonlySet<string> = new Set(['zoneedit', 'simplezoneedit', 'changemx', 'emailauth']);

export interface DomainEntry {
  domain: string;
  user: string;
  owner: string;
  type: DomainKind;
  /**
   * get_domain_info's `parent_domain`: the main domain for main/parked/sub domains; for an addon
   * its hidden backing sub-domain, as /etc/userdatadomains records it (unverified for the API).
   */
  parent: string;
  /** The hidden sub-domain behind an addon domain (§7.2, §7.4): in get_domain_info, not in list_domains. */
  hiddenAddonBacking: boolean;
  /** Document root, for get_domain_info. */
  docroot: string;
}

/** Which WHM caller is asking: root sees everything, a reseller the accounts it owns (§5.1, §7). */
export interface WhmCaller {
  user: string;
  /** cPanel's `hasroot()`: root (or a reseller with `all`) whose token, if limited, lists `all`. */
  isRoot: boolean;
  /** The token's ACL list; undefined = full access. */
  acls?: readonly string[];
}

/**
 * A WHM caller as cpsrvd builds it (cPanel 11.120 `Whostmgr/ACLS.pm` `_acls`): root has `all`; a
 * token with an ACL list keeps ONLY those ACLs (`APITokens/Object/whostmgr.pm` `filter_acls`), so a
 * root token listing `list-accts edit-dns …` without `all` loses `hasroot()` and root is then scoped
 * like a reseller: it sees only the accounts it owns.
 */
export function whmCaller(user: string, acls?: readonly string[]): WhmCaller {
  const fullToken = acls === undefined || acls.includes('all');
  return { user, isRoot: user === 'root' && fullToken, ...(acls ? { acls: [...acls] } : {}) };
}

/** The caller holds this ACL: `all` holds every one (root without a limited token has `all`). */
export function hasAcl(caller: WhmCaller, acl: string): boolean {
  if (caller.acls) return caller.acls.includes('all') || caller.acls.includes(acl);
  return caller.isRoot;
}

export class Directory {
  private readonly accounts = new Map<string, AccountSpec>();
  /** uid of each account, given at creation and never reused (a removed account's uid stays taken). */
  private readonly uids = new Map<string, number>();
  private nextUid = 1000;
  readonly resellers: Set<string>;

  constructor(seed: Pick<Seed, 'accounts' | 'resellers'>) {
    this.resellers = new Set(seed.resellers);
    for (const account of seed.accounts) this.create(account);
  }

  private create(account: AccountSpec): void {
    this.accounts.set(account.user, structuredClone(account));
    this.uids.set(account.user, this.nextUid++);
  }

  addAccount(account: AccountSpec): void {
    if (this.accounts.has(account.user)) throw new Error(`account ${account.user} exists`);
    const taken = new Set(this.allDomains().map((d) => d.domain));
    for (const d of [account.domain, ...account.domains.map((x) => x.domain)]) {
      if (taken.has(d)) throw new Error(`domain ${d} already belongs to an account`);
    }
    this.create(account);
  }

  /** WHM `removeacct`: the account and its domains are gone; the user name may be created again. */
  removeAccount(user: string): AccountSpec {
    const account = this.requireAccount(user);
    this.accounts.delete(user);
    return account;
  }

  /** A stable uid per account: 1000 + order of creation (like useradd's next uid); -1 for no account. */
  uidOf(user: string): number {
    return this.accounts.has(user) ? (this.uids.get(user) ?? -1) : -1;
  }

  account(user: string): AccountSpec | undefined {
    return this.accounts.get(user);
  }

  /** Accounts sorted by user name (listaccts order; cPanel's default order is unverified). */
  allAccounts(): AccountSpec[] {
    return [...this.accounts.values()].sort((a, b) => a.user.localeCompare(b.user));
  }

  visibleAccounts(caller: WhmCaller): AccountSpec[] {
    return this.allAccounts().filter((account) => this.canSee(caller, account.user));
  }

  /** Root sees every account; a reseller the accounts it owns and its own (§7.1). */
  canSee(caller: WhmCaller, user: string): boolean {
    const account = this.accounts.get(user);
    if (!account) return false;
    return caller.isRoot || account.owner === caller.user || account.user === caller.user;
  }

  /** The account's mailbox logins, in creation order. */
  mailboxesOf(user: string): string[] {
    return [...(this.accounts.get(user)?.mailboxes ?? [])];
  }

  addMailbox(user: string, login: string): void {
    this.requireAccount(user).mailboxes.push(login);
  }

  /** False when the account had no such mailbox. */
  removeMailbox(user: string, login: string): boolean {
    const account = this.requireAccount(user);
    const before = account.mailboxes.length;
    account.mailboxes = account.mailboxes.filter((m) => m !== login);
    return account.mailboxes.length < before;
  }

  setFeatures(user: string, features: readonly string[]): void {
    this.requireAccount(user).features = [...features];
  }

  hasFeature(user: string, feature: string): boolean {
    return this.accounts.get(user)?.features.includes(feature) ?? false;
  }

  /**
   * cPanel's answer for any feature (`verify_user_has_feature`): the zone-editing features the seed
   * lists are on only when listed (`hasFeature`); every other feature is on unless switched off.
   */
  featureEnabled(user: string, feature: string): boolean {
    const account = this.accounts.get(user);
    if (!account) return false;
    if (SEED_LISTED_FEATURES.has(feature)) return account.features.includes(feature);
    return !account.disabledFeatures.includes(feature);
  }

  setFeatureEnabled(user: string, feature: string, enabled: boolean): void {
    const account = this.requireAccount(user);
    account.disabledFeatures = account.disabledFeatures.filter((f) => f !== feature);
    if (!enabled) account.disabledFeatures.push(feature);
  }

  /** Every domain of the account: main first, then the seed's order, each addon followed by its backing sub. */
  domainsOf(user: string): DomainEntry[] {
    const account = this.accounts.get(user);
    if (!account) return [];
    const home = `/home/${account.user}`;
    const entry = (domain: string, type: DomainKind, parent: string, docroot: string, hidden = false): DomainEntry => ({
      domain,
      user: account.user,
      owner: account.owner,
      type,
      parent,
      hiddenAddonBacking: hidden,
      docroot,
    });
    const out: DomainEntry[] = [entry(account.domain, 'main', account.domain, `${home}/public_html`)];
    for (const d of account.domains) {
      if (d.type === 'addon') {
        const backing = addonBackingSubdomain(d, account.domain);
        out.push(entry(d.domain, 'addon', backing, `${home}/${d.domain}`));
        out.push(entry(backing, 'sub', account.domain, `${home}/${d.domain}`, true));
      } else if (d.type === 'parked') {
        out.push(entry(d.domain, 'parked', account.domain, `${home}/public_html`));
      } else {
        out.push(entry(d.domain, 'sub', d.parent ?? account.domain, `${home}/${d.domain}`));
      }
    }
    return out;
  }

  allDomains(): DomainEntry[] {
    return this.allAccounts().flatMap((account) => this.domainsOf(account.user));
  }

  findDomain(domain: string): DomainEntry | undefined {
    return this.allDomains().find((d) => d.domain === domain);
  }

  /** Zone names the account may own: its main, addon and parked domains (sub-domains have none, §5.1). */
  zoneNamesOf(user: string): string[] {
    return this.domainsOf(user)
      .filter((d) => d.type !== 'sub')
      .map((d) => d.domain);
  }

  /** The account whose main/addon/parked domain is this zone, if any. */
  ownerOfZone(zone: string): AccountSpec | undefined {
    return this.allAccounts().find((account) => this.zoneNamesOf(account.user).includes(zone));
  }

  /** The zone that holds a domain's records: the longest of the account's zone names it falls under. */
  zoneOfDomain(domain: string): string | undefined {
    const entry = this.findDomain(domain);
    if (!entry) return undefined;
    const candidates = this.zoneNamesOf(entry.user).filter((zone) => domain === zone || domain.endsWith(`.${zone}`));
    return candidates.sort((a, b) => b.length - a.length)[0];
  }

  private requireAccount(user: string): AccountSpec {
    const account = this.accounts.get(user);
    if (!account) throw new Error(`no account ${user}`);
    return account;
  }
}

/** `addon.tld` with main `alice.example` → `addon.alice.example` (label overridable in the seed). */
export function addonBackingSubdomain(addon: DomainSpec, mainDomain: string): string {
  const label = addon.subdomain ?? addon.domain.split('.')[0] ?? addon.domain;
  return `${label}.${mainDomain}`;
}
