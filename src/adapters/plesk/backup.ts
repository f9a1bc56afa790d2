/**
 * Backups before a change on Plesk, under the same `backup.policy` as cPanel's (config.ts):
 * - JetBackup 5 where it is installed (`backup.jetbackupApi` exists): the same `jetbackup5api`
 *   adapter as on cPanel (src/adapters/jetbackup). JetBackup 5 runs on Plesk (docs/reference/plesk.md
 *   §9); which account name it gives a subscription, and whether its DNS restore writes Plesk's
 *   database, are unverified — the account is the subscription's main domain unless `accountOf` says
 *   otherwise.
 * - Else Plesk's own DNS: Plesk's backup tool has no DNS-only backup and restoring a whole domain
 *   backup would roll back mail and files too (docs/reference/plesk.md §9), so the zone's records are
 *   exported through Plesk's DNS interface (XML get_rec, or `plesk bin dns --info`: the practice the
 *   reference records) into a root-only JSON file, and restored through the same guarded write the
 *   repairs use (guard.ts): delete what is there and was not, add back what was, nothing else.
 */
import { mkdir, readFile, rename, writeFile } from 'fs/promises';
import { join } from 'path';
import { FixEmailAuthError } from '../../errors';
import type { BackupRef, Backup, Clock } from '../../ports';
import { systemClock } from '../../ports';
import { applyGuarded } from './guard';
import type { PanelBackup, PanelBackupRef, PanelDomain } from './panel';
import type { PleskPanel } from './pleskPanel';
import type { NewRecord, PleskRecord } from './types';
import { zoneVersion } from './zone';

export interface PleskDnsBackupRef extends PanelBackupRef {
  kind: 'plesk-dns';
  zone: string;
  file: string;
  takenAt: string;
  version: string;
}

interface ExportFile {
  format: 'fix-email-auth/plesk-dns/1';
  zone: string;
  takenAt: string;
  version: string;
  records: Array<Pick<PleskRecord, 'type' | 'host' | 'value' | 'opt'>>;
}

const content = (r: Pick<PleskRecord, 'type' | 'host' | 'value' | 'opt'>) => `${r.type}\u0000${r.host}\u0000${r.value}\u0000${r.opt}`;

function failed(message: string, cause?: unknown): FixEmailAuthError {
  return new FixEmailAuthError('BACKUP_FAILED', message, { step: 'backup', cause });
}

/** Plesk's own DNS, exported and restored record by record. */
export class PleskDnsExport implements PanelBackup {
  constructor(
    private readonly panel: PleskPanel,
    private readonly dir: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async snapshot(domain: PanelDomain): Promise<PleskDnsBackupRef> {
    try {
      const ref = await this.panel.zoneRef(domain.zone);
      const records = await this.panel.dns.readZone(ref);
      const takenAt = this.clock.now().toISOString();
      const body: ExportFile = {
        format: 'fix-email-auth/plesk-dns/1',
        zone: ref.zone,
        takenAt,
        version: zoneVersion(records),
        records: records.map(({ type, host, value, opt }) => ({ type, host, value, opt })),
      };
      const folder = join(this.dir, ref.zone);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, `${takenAt.replace(/[:.]/g, '-')}.json`);
      await writeFile(`${file}.tmp`, `${JSON.stringify(body, null, 1)}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      return { kind: 'plesk-dns', zone: ref.zone, file, takenAt, version: body.version };
    } catch (err) {
      if (err instanceof FixEmailAuthError && err.code === 'BACKUP_FAILED') throw err;
      throw failed(`Exporting the DNS zone ${domain.zone} from Plesk failed: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }

  async restoreDns(ref: PanelBackupRef): Promise<void> {
    const { kind, file, zone } = ref;
    if (kind !== 'plesk-dns' || typeof file !== 'string' || typeof zone !== 'string') throw failed('Not a Plesk DNS export');
    let saved: ExportFile;
    try {
      saved = JSON.parse(await readFile(file, 'utf8')) as ExportFile;
    } catch (err) {
      throw failed(`Cannot read the DNS export ${file}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
    if (saved.format !== 'fix-email-auth/plesk-dns/1' || saved.zone !== zone || !Array.isArray(saved.records))
      throw failed(`${file} is not the export of ${zone}`);
    const zoneRef = await this.panel.zoneRef(zone);
    const current = await this.panel.dns.readZone(zoneRef);
    const wanted = new Set(saved.records.map(content));
    const present = new Set(current.map(content));
    const remove = current.filter((r) => !wanted.has(content(r)));
    const suffix = `.${zone}.`;
    const add: NewRecord[] = saved.records
      .filter((r) => !present.has(content(r)))
      .map((r) => ({
        type: r.type,
        host: r.host === `${zone}.` ? '' : r.host.endsWith(suffix) ? r.host.slice(0, -suffix.length) : r.host,
        value: r.value,
        opt: r.opt,
      }));
    if (remove.length === 0 && add.length === 0) return;
    const outcome = await applyGuarded(this.panel.dns, { ref: zoneRef, expected: current, remove: remove.map((r) => r.key), add });
    if (!outcome.consistent) throw failed(`The zone ${zone} changed while it was being restored; check it in Plesk`);
  }
}

/** JetBackup 5 on Plesk: the cPanel adapter with the subscription as the account. */
export class JetBackupForPlesk implements PanelBackup {
  constructor(
    private readonly jetbackup: Backup,
    private readonly accountOf: (domain: PanelDomain) => string = (d) => d.subscription,
  ) {}

  async snapshot(domain: PanelDomain): Promise<PanelBackupRef> {
    const ref = await this.jetbackup.snapshot(this.accountOf(domain));
    return { ...ref };
  }

  restoreDns(ref: PanelBackupRef): Promise<void> {
    if (ref.kind !== 'jetbackup') return Promise.reject(failed('Not a JetBackup snapshot'));
    return this.jetbackup.restoreDns(ref as unknown as BackupRef);
  }
}

export interface PanelSnapshotOutcome {
  ref: PanelBackupRef | null;
  warning?: string;
  skipped?: 'off' | 'unavailable';
}

/**
 * `backup.policy` on Plesk, like src/adapters/jetbackup/policy.ts on cPanel: JetBackup first when
 * it is there; if it is missing or fails, Plesk's own DNS export; only when no copy could be taken
 * does the policy decide — required: BACKUP_FAILED, no change; best-effort: a warning; off: no backup.
 */
export function withPleskBackupPolicy(
  sources: { jetbackup: PanelBackup | null; dnsExport: PanelBackup },
  policy: 'required' | 'best-effort' | 'off',
) {
  return {
    async snapshotBeforeChange(domain: PanelDomain): Promise<PanelSnapshotOutcome> {
      if (policy === 'off') return { ref: null, skipped: 'off' };
      const problems: string[] = [];
      for (const backup of [sources.jetbackup, sources.dnsExport]) {
        if (!backup) continue;
        try {
          const ref = await backup.snapshot(domain);
          return problems.length ? { ref, warning: `${problems.join('; ')}; Plesk's DNS export was taken instead` } : { ref };
        } catch (err) {
          problems.push(err instanceof Error ? err.message : String(err));
        }
      }
      const reason = problems.join('; ');
      if (policy === 'required') throw failed(`${reason}; the change was not made (backup policy "required")`);
      return { ref: null, warning: `${reason}; going on without a backup (policy best-effort)` };
    },
  };
}
