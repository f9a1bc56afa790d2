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
import { readFileSync } from 'fs';
import { join } from 'path';
import type { DomainInfo, DomainType } from '../../ports';
import { assignZones, type DomainRow } from '../cpanel/zoneMap';
import { readCpanelUserFileSync, type CpanelUserFile } from './cpanelUsers';
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
  /** cPanel's DKIM public keys (`/var/cpanel/domain_keys/public/<domain>`), read with the zone. */
  dkimDir?: string;
}

export interface FileScanSource {
  readonly kind: 'files';
  listDomains(): Promise<DomainInfo[]>;
  readZone(zone: string): Promise<{ bytes: Buffer }>;
  dkimPublicKey?(domain: string): Promise<string | undefined>;
}

/**
 * Small files are read with blocking reads, in batches with a pause for the event loop between them:
 * for a file of a few hundred bytes the promise API's open/stat/read/close round trips cost several
 * times the CPU of the read itself, and a server has tens of thousands of them.
 */
async function readInBatches<T, R>(items: readonly T[], fn: (item: T) => R, batch = 500): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += batch) {
    for (const item of items.slice(i, i + batch)) out.push(fn(item));
    if (i + batch < items.length) await new Promise((r) => setImmediate(r));
  }
  return out;
}

const KEY_FILE = /^[a-z0-9._-]+$/;

/** The DKIM key file of a domain, or undefined (no key, or a name that is not a file name). */
function readDkimKey(dir: string, domain: string): string | undefined {
  if (!KEY_FILE.test(domain) || domain.startsWith('.')) return undefined;
  try {
    return readFileSync(join(dir, domain), 'utf8');
  } catch {
    return undefined;
  }
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
      const files = await readInBatches(users, (user) => readCpanelUserFileSync(paths.cpanelUsers, user));
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
    ...(options.dkimDir !== undefined ? { dkimPublicKey: async (domain: string) => readDkimKey(options.dkimDir as string, domain) } : {}),
  };
}
