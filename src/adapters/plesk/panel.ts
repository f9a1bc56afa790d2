/**
 * PROPOSAL for the `Panel` port (to move into src/ports.ts when the use cases talk to it): what a
 * use case needs of a hosting panel, written so cPanel and Plesk both fit without the use case
 * knowing which one it has.
 *
 * How each panel meets it:
 * | member        | cPanel (src/adapters/cpanel, today's code)                  | Plesk (this folder)                                   |
 * |---------------|-------------------------------------------------------------|-------------------------------------------------------|
 * | listDomains…  | `WhmAccounts` (listaccts + get_domain_info), `UapiAccounts` | `XmlInventory` (domain lists, customers, resellers)   |
 * | readZone      | `ZoneStore.readZone` (parse_dns_zone); version = SOA serial | get_rec by site; version = digest of the records      |
 * | writeChange   | `ZoneStore.massEdit` with `serial: version` → `Stale`       | `applyGuarded`: re-read `expected` by ids and values, |
 * |               | becomes STALE_SERIAL; `expected` is not needed              | add → check ok → del_rec by id → read back            |
 * | authority     | `Accounts.localAuthority` (has_local_authority)             | `XmlAuthority` (zone type/status, primaries)          |
 * | backup        | JetBackup 5 (`JetBackupBackup`, account = cPanel user)      | JetBackup 5 for Plesk, else `plesk bin dns --info`    |
 * |               |                                                             | export of the zone (backup.ts), under backup.policy   |
 *
 * A planned change keeps cPanel's `mass_edit_zone` vocabulary (records addressed by `lineIndex` of
 * the zone the plan was made on, additions as `MassEditAdd`), because the planner already speaks it;
 * Plesk maps `lineIndex` back to its record ids (zone.ts `toZoneModel` keys).
 */
import type { DomainInfo, LocalAuthority } from '../../ports';
import type { MassEditAdd, Zone, ZoneRecord } from '../../zone/model';

export interface PanelDomain extends DomainInfo {
  /** The cPanel account, or the Plesk subscription's main domain. */
  subscription: string;
}

export interface PanelZone {
  /** The zone in the shared model: what the checks and the planner read. */
  model: Zone;
  /** Opaque: cPanel's SOA serial, Plesk's record digest. Changes whenever the zone changes. */
  version: string;
}

export interface PanelChange {
  zone: string;
  /** `PanelZone.version` the change was planned on (cPanel sends it as `serial`). */
  version: string;
  /**
   * Every record at the names the change touches, as read in that zone: the compare-and-set basis
   * for panels without a serial check (Plesk). The planner has them at hand.
   */
  expected: ZoneRecord[];
  /** `lineIndex` of records to remove. */
  remove: number[];
  add: MassEditAdd[];
}

export interface PanelWriteOutcome {
  /** The zone's version after the write. */
  version: string;
  /** The records at the touched names now are exactly the planned ones (always true on cPanel). */
  consistent: boolean;
  /** What a panel could not honour (Plesk's XML API sets no per-record TTL), for the journal. */
  notes: string[];
}

export interface PanelBackupRef {
  kind: string;
  [key: string]: unknown;
}

export interface PanelBackup {
  /** Before a change: a copy of the domain's DNS (and whatever else the tool backs up with it). */
  snapshot(domain: PanelDomain): Promise<PanelBackupRef>;
  /** Undo from that copy: only the DNS. */
  restoreDns(ref: PanelBackupRef): Promise<void>;
}

export interface Panel {
  readonly kind: 'cpanel' | 'plesk';
  /** Every domain the caller may see (root/admin: the whole server). */
  listDomains(): Promise<PanelDomain[]>;
  domainsOfUser(user: string): Promise<PanelDomain[]>;
  findDomain(domain: string): Promise<PanelDomain | null>;
  readZone(zone: string): Promise<PanelZone>;
  /** Apply under the panel's guard; throws STALE_SERIAL (nothing written) when the zone moved. */
  writeChange(change: PanelChange): Promise<PanelWriteOutcome>;
  authority(domains: string[]): Promise<LocalAuthority[]>;
  /** null: no backup tool on this server (backup.policy decides what that means). */
  readonly backup: PanelBackup | null;
}
