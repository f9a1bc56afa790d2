/**
 * Plesk behind the `Panel` port (src/ports/panel.ts), so the use cases that repair cPanel zones repair
 * Plesk zones with the same code:
 * - `accounts`: the domain inventory (customers as users, resellers as owners) and zone authority;
 * - `zones`: the zone in the shared model, its version (a digest of the records: Plesk exposes no
 *   serial, docs/reference/plesk.md §2.4) and `massEdit` as the compare-and-set Plesk lacks — the whole
 *   zone is read again and must still have the version the plan was made on (the same test cPanel's
 *   serial check makes), then guard.ts re-reads the touched names right before adding, adds, checks
 *   each `ok`, deletes the old records by id and reads back. An `edit` (cPanel's in-place change) is
 *   an add of the new record and a delete of the old one: Plesk has no update (§2.3);
 * - `backup`: JetBackup where installed, else Plesk's own DNS export (backup.ts).
 */
import { FixEmailAuthError } from '../../errors';
import type { Accounts, Backup, BackupRef, DomainInfo, LocalAuthority, Panel, ZoneStore } from '../../ports';
import type { MassEditParams, Zone } from '../../zone/model';
import { PleskDnsExport, type PleskDnsBackupRef } from './backup';
import type { PleskCli } from './cli';
import type { PleskPanel } from './pleskPanel';
import { PleskDnsTemplate } from './template';
import { toZoneModel, zoneVersion } from './zone';

class PleskAccounts implements Accounts {
  constructor(private readonly plesk: PleskPanel) {}
  listDomains(): Promise<DomainInfo[]> {
    return this.plesk.listDomains();
  }
  domainsOfUser(user: string): Promise<DomainInfo[]> {
    return this.plesk.domainsOfUser(user);
  }
  findDomain(domain: string): Promise<DomainInfo | null> {
    return this.plesk.findDomain(domain);
  }
  localAuthority(domains: string[]): Promise<LocalAuthority[]> {
    return this.plesk.authority(domains);
  }
}

class PleskZones implements ZoneStore {
  constructor(private readonly plesk: PleskPanel) {}

  async readZone(zone: string): Promise<Zone> {
    return (await this.plesk.readZone(zone)).model;
  }

  async massEdit(params: MassEditParams): Promise<{ newSerial: string }> {
    const ref = await this.plesk.zoneRef(params.zone);
    const records = await this.plesk.dns.readZone(ref);
    const version = zoneVersion(records);
    if (version !== params.serial)
      throw new FixEmailAuthError('STALE_SERIAL', `The zone ${ref.zone} changed in Plesk since it was read; nothing was written`, {
        step: 'apply',
      });
    const model = toZoneModel({ name: ref.zone, version, records });
    const outcome = await this.plesk.writeChange({
      zone: ref.zone,
      version,
      expected: model.records,
      remove: [...params.remove, ...params.edit.map((e) => e.line_index)],
      add: [...params.edit.map(({ line_index: _line, ...add }) => add), ...params.add],
    });
    return { newSerial: outcome.version };
  }
}

/**
 * Plesk's DNS export as the account-wide backup the port asks for: one file per zone of the
 * customer's domains, like JetBackup's DNS item holding every zone of a cPanel account.
 */
export class PleskAccountDnsBackup implements Backup {
  private readonly perZone: PleskDnsExport;

  constructor(
    private readonly plesk: PleskPanel,
    dir: string,
    clock?: ConstructorParameters<typeof PleskDnsExport>[2],
  ) {
    this.perZone = new PleskDnsExport(plesk, dir, clock);
  }

  async snapshot(user: string): Promise<BackupRef> {
    // Zones of their own only: a subdomain lives in its parent's zone, an alias may have none.
    const own = (await this.plesk.pleskDomains()).filter((d) => d.user === user && d.zone !== null && d.zoneRef !== null);
    const unique = [...new Map(own.map((d) => [d.zone, { ...d, zone: d.zone! }])).values()];
    // Zones Plesk does not serve (switched off, secondary, an alias without DNS) are never edited here.
    const served = new Set((await this.plesk.authority(unique.map((d) => d.domain))).filter((a) => a.local !== false).map((a) => a.domain));
    const zones = unique.filter((d) => served.has(d.domain));
    if (zones.length === 0)
      throw new FixEmailAuthError('BACKUP_FAILED', `The Plesk customer ${user} has no DNS zone to export`, { step: 'backup' });
    const taken: PleskDnsBackupRef[] = [];
    for (const domain of zones) taken.push(await this.perZone.snapshot(domain));
    return {
      kind: 'plesk-dns',
      accountId: user,
      user,
      queuedAt: taken[0]!.takenAt,
      exports: taken.map((t) => ({ zone: t.zone, file: t.file })),
    };
  }

  async restoreDns(ref: BackupRef): Promise<void> {
    if (ref.kind !== 'plesk-dns' || !ref.exports?.length)
      throw new FixEmailAuthError('BACKUP_FAILED', 'Not a Plesk DNS export', { step: 'rollback' });
    for (const { zone, file } of ref.exports) await this.perZone.restoreDns({ kind: 'plesk-dns', zone, file });
  }
}

/** JetBackup first where it works (account = the customer login: unverified on Plesk), else the DNS export. */
export class PleskBackup implements Backup {
  constructor(
    private readonly jetbackup: Backup | null,
    private readonly dnsExport: Backup,
  ) {}

  async snapshot(user: string): Promise<BackupRef> {
    if (this.jetbackup) {
      try {
        return await this.jetbackup.snapshot(user);
      } catch {
        // JetBackup missing or failing: Plesk's own export is still a backup of the DNS.
      }
    }
    return this.dnsExport.snapshot(user);
  }

  restoreDns(ref: BackupRef): Promise<void> {
    if (ref.kind === 'jetbackup' && this.jetbackup) return this.jetbackup.restoreDns(ref);
    return this.dnsExport.restoreDns(ref);
  }
}

export interface PleskPortOptions {
  /** `plesk bin` on this server, for the server DNS template (template.ts); none: no template check. */
  cli?: PleskCli;
  /** Where DNS exports are written (config `paths.pleskDnsBackups`); null: no DNS export. */
  exportDir: string | null;
  jetbackup?: Backup | null;
  clock?: ConstructorParameters<typeof PleskDnsExport>[2];
}

export function pleskAsPanel(plesk: PleskPanel, options: PleskPortOptions): Panel {
  const dnsExport = options.exportDir ? new PleskAccountDnsBackup(plesk, options.exportDir, options.clock) : null;
  const jetbackup = options.jetbackup ?? null;
  return {
    kind: 'plesk',
    accounts: new PleskAccounts(plesk),
    zones: new PleskZones(plesk),
    backup: dnsExport ? new PleskBackup(jetbackup, dnsExport) : jetbackup,
    ...(options.cli ? { dnsTemplate: new PleskDnsTemplate(options.cli) } : {}),
  };
}
