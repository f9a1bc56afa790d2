/**
 * The interfaces through which every side effect enters the use cases (docs/design.md "Layers").
 * Adapters implement them; tests pass real servers or recording fakes. Types only: nothing here
 * does I/O, so every layer may import it.
 */
import type { MassEditParams, Zone } from '../zone/model';

export type DomainType = 'main' | 'addon' | 'parked' | 'sub';

/** One domain of the server and where it lives (get_domain_info + zone mapping). */
export interface DomainInfo {
  domain: string;
  user: string;
  /** Reseller (or `root`) that owns the account. */
  owner: string;
  type: DomainType;
  /** The zone that holds the domain's records (a sub-domain lives in its parent's zone). */
  zone: string;
  /** The account is suspended (WHM `listaccts`); absent when the caller cannot tell (UAPI as the user). */
  suspended?: boolean;
}

export interface LocalAuthority {
  domain: string;
  zone: string;
  /** true/false from cPanel's SOA comparison; null when cPanel could not tell. */
  local: boolean | null;
  nameservers: string[];
  error?: string;
}

/** Reading and writing zones (UAPI as a user or WHM as root). */
export interface ZoneStore {
  readZone(zone: string): Promise<Zone>;
  /** mass_edit_zone with the serial read before; throws STALE_SERIAL on a concurrent change. */
  massEdit(params: MassEditParams): Promise<{ newSerial: string }>;
}

/** Who owns what. */
export interface Accounts {
  /** Every domain visible to the caller (root: the whole server). */
  listDomains(): Promise<DomainInfo[]>;
  domainsOfUser(user: string): Promise<DomainInfo[]>;
  /** The domain, or null when no account has it. */
  findDomain(domain: string): Promise<DomainInfo | null>;
  localAuthority(domains: string[]): Promise<LocalAuthority[]>;
}

/** A DNS resolver in the shape mailauth and the checks expect (like dns.promises.resolve). */
export type Resolver = (name: string, rrtype: string) => Promise<unknown[]>;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Where a JetBackup snapshot taken before a change can be found again. */
export interface BackupRef {
  kind: 'jetbackup';
  /** JetBackup account `_id` of the cPanel user. */
  accountId: string;
  user: string;
  /** When the on-demand backup was queued (ISO time); used to find this run's snapshot. */
  queuedAt: string;
  /** Snapshot (`parent_id`) and its DNS item, when JetBackup listed them. */
  snapshotId?: string;
  dnsItemId?: string;
}

/** Snapshots before a change (JetBackup), and restore of only the DNS item for a rollback. */
export interface Backup {
  /** Take an on-demand backup of the account and wait until it has ended; throws BACKUP_FAILED. */
  snapshot(user: string): Promise<BackupRef>;
  /** Restore only the DNS zones item of a snapshot; throws BACKUP_FAILED. */
  restoreDns(ref: BackupRef): Promise<void>;
}

/** One of cPanel's zone templates (`/var/cpanel/zonetemplates/<name>`). */
export interface ZoneTemplateFile {
  /** File name: `standard`, `simple`, `standardvirtualftp`, or `<reseller|root>_<type>`. */
  name: string;
  /** `simple`, `standard` or `standardvirtualftp`. */
  type: string;
  /** `root`, a reseller or a user for `<owner>_<type>` files; null for the server-wide file. */
  owner: string | null;
  path: string;
}

/** cPanel's zone templates: read them, and replace one atomically when it still holds what was read. */
export interface ZoneTemplates {
  list(): Promise<ZoneTemplateFile[]>;
  read(name: string): Promise<string>;
  /**
   * Write `next` in place of `expected`; throws CONFLICT (changing nothing) when the file no longer
   * holds `expected`. The previous file is kept; its copy's path is returned.
   */
  replace(name: string, expected: string, next: string): Promise<{ backupPath: string }>;
}

export * from './journal';
