/**
 * The hosting panel the use cases work on: cPanel/WHM or Plesk. A use case never knows which one it
 * has; it reads and writes through these members, each one a port of its own (ports/index.ts):
 *
 * | member    | cPanel (src/adapters/cpanel/panel.ts)                  | Plesk (src/adapters/plesk/ports.ts)                        |
 * |-----------|--------------------------------------------------------|------------------------------------------------------------|
 * | accounts  | WHM listaccts + get_domain_info; has_local_authority    | XML API domain lists, customers, resellers; zone type/status |
 * | zones     | parse_dns_zone; mass_edit_zone with the SOA serial      | get_rec; version = digest of the records; the guarded write  |
 * |           | (`Stale` → STALE_SERIAL)                                | (re-read, compare, add → check → delete by id → read back)   |
 * | backup    | JetBackup 5 (account = cPanel user)                     | JetBackup 5 where installed, else Plesk's DNS export         |
 * | mailboxes | UAPI Email::list_pops                                   | — (tenant mode is not offered on Plesk)                      |
 *
 * Both write paths take the same `MassEditParams` (records addressed by the `lineIndex` of the zone
 * they were read from, `serial` = the zone's version), so the planner, the journal and undo are the
 * same code for both panels. docs/reference/plesk.md §2.3 says why Plesk's guard is built by hand.
 */
import type { Accounts, Backup, ZoneStore } from './index';

export type PanelKind = 'cpanel' | 'plesk';

export interface Panel {
  readonly kind: PanelKind;
  /** Who owns what, and whether this server is authoritative for a domain. */
  readonly accounts: Accounts;
  /** Zone reads with a version, and writes refused (STALE_SERIAL, nothing written) when it moved. */
  readonly zones: ZoneStore;
  /** The backup tool before a change; null when none can be used here (`backup.policy` decides). */
  readonly backup: Backup | null;
  /** The account's mailbox logins (tenant mode, `lockdown.mode`); absent when the panel has none to offer. */
  readonly mailboxesOf?: (user: string) => Promise<string[]>;
  /** The server DNS template (Plesk); absent where the panel has none the tool manages (cPanel). */
  readonly dnsTemplate?: DnsTemplate;
}

/**
 * A panel's server-wide DNS template: its records are copied into every new domain's zone, so a stale
 * `_mailchannels` record there re-infects each domain created later (docs/reference/plesk.md §6.1).
 */
export interface DnsTemplate {
  /** The values of the template's `_mailchannels.<domain>` TXT records. */
  lockdownValues(): Promise<string[]>;
  /** Add `value` (unless there), then remove each of `stale` by its exact value. */
  replaceLockdown(stale: readonly string[], value: string): Promise<void>;
}
