/**
 * The fast path's scan source: the server's own files, read directly (DESIGN.md: "Zone files on disk
 * may be read for a fast scan; writes always go through the API"). Works on a copy of a server's
 * files with no cPanel at all (paths from config, FIX_EMAIL_AUTH_NAMED_DIR / _USERDOMAINS / …).
 *
 * Domains come from /etc/userdomains; each domain's zone is its nearest enclosing zone among the
 * account's `<zone>.db` files (the rule of zoneMap.ts, as for the API). The reseller comes from the
 * cpuser file's OWNER= line; when that file cannot be read, from `owners()` (the API's listaccts)
 * if given, else it is left empty. Not seen by this path: cPanel's DNS-authority answer
 * (DNS_NOT_AUTHORITATIVE) — a repair always asks cPanel before changing anything.
 */
import type { DomainInfo, DomainType } from '../../ports';
import { assignZones, type DomainRow } from '../cpanel/zoneMap';
import { readCpanelUserFile, type CpanelUserFile } from './cpanelUsers';
import { readUserDomains } from './userdomains';
import { listZoneFiles, readZoneFile } from './zoneFiles';

export interface FilePaths {
  namedDir: string;
  userdomains: string;
  /** Directory of cpuser files (`/var/cpanel/users`). */
  cpanelUsers: string;
}

export interface FileScanSourceOptions {
  /** Account → reseller, for accounts whose cpuser file is not readable (WHM listaccts). */
  owners?: () => Promise<Map<string, string>>;
  dkimPublicKey?: (domain: string) => Promise<string | undefined>;
  /** cpuser files read at once. */
  fileConcurrency?: number;
}

export interface FileScanSource {
  readonly kind: 'files';
  listDomains(): Promise<DomainInfo[]>;
  readZone(zone: string): Promise<{ bytes: Buffer }>;
  dkimPublicKey?(domain: string): Promise<string | undefined>;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

function typeOf(domain: string, file: CpanelUserFile | null, zones: ReadonlySet<string>): DomainType {
  if (file?.mainDomain === domain) return 'main';
  if (file?.extraDomains.includes(domain)) return 'addon';
  // Without the cpuser file: a domain with a zone of its own is main/addon/parked, else a sub-domain.
  if (file === null && zones.has(domain)) return 'main';
  return 'sub';
}

export function fileScanSource(paths: FilePaths, options: FileScanSourceOptions = {}): FileScanSource {
  return {
    kind: 'files',
    async listDomains() {
      const [{ domains }, zones] = await Promise.all([readUserDomains(paths.userdomains), listZoneFiles(paths.namedDir)]);
      const users = [...new Set(domains.values())];
      const files = await mapLimited(users, options.fileConcurrency ?? 32, (user) => readCpanelUserFile(paths.cpanelUsers, user));
      const byUser = new Map(users.map((u, i) => [u, files[i] ?? null]));
      let owners: Map<string, string> | undefined;
      if (options.owners && files.some((f) => !f?.owner)) {
        try {
          owners = await options.owners();
        } catch {
          owners = undefined; // owners stay empty; the scan itself does not need them
        }
      }
      const rows: DomainRow[] = [];
      for (const [domain, user] of domains) {
        const file = byUser.get(user) ?? null;
        rows.push({ domain, user, owner: file?.owner ?? owners?.get(user) ?? '', type: typeOf(domain, file, zones) });
      }
      return assignZones(rows, zones);
    },
    readZone: async (zone) => ({ bytes: readZoneFile(paths.namedDir, zone) }),
    ...(options.dkimPublicKey ? { dkimPublicKey: options.dkimPublicKey } : {}),
  };
}
