/**
 * The fast path's scan source: the server's own files, read directly (docs/design.md: "Zone files on disk
 * may be read for a fast scan; writes always go through the API"). Works on a copy of a server's
 * files with no cPanel at all (paths from config, FIX_EMAIL_AUTH_NAMED_DIR / _USERDOMAINS / …).
 *
 * Domains come from /etc/userdomains; each domain's zone is its nearest enclosing zone among the
 * account's `<zone>.db` files (the rule of adapters/cpanel/zoneMap.ts, as for the API). The reseller comes from the
 * cpuser file's OWNER= line; when that file cannot be read, from `owners()` (the API's listaccts)
 * if given, else it is left empty. Not seen by this path: cPanel's DNS-authority answer
 * (DNS_NOT_AUTHORITATIVE) — a repair always asks cPanel before changing anything.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { DomainInfo, DomainType } from '../../ports';
import { readAccountFactsSync, type AccountFacts } from './cpanelUsers';
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

/**
 * The zone of a domain by zoneMap.ts's rule, without building per-account zone sets (a server has
 * tens of thousands of accounts): the domain itself or its nearest parent that has a zone file and
 * belongs to the same account; else the domain itself (its zone file is then reported missing).
 */
function zoneOf(domain: string, user: string, zones: ReadonlySet<string>, userOf: ReadonlyMap<string, string>): string {
  for (let name = domain; ;) {
    if (zones.has(name) && userOf.get(name) === user) return name;
    const dot = name.indexOf('.');
    if (dot < 0) return domain;
    name = name.slice(dot + 1);
  }
}

function typeOf(domain: string, zone: string, facts: AccountFacts | null): DomainType {
  if (facts?.mainDomain === domain) return 'main';
  if (zone !== domain) return 'sub';
  // A zone of its own: the main domain without a cpuser file to say so, else an addon or parked domain.
  return facts === null ? 'main' : 'addon';
}

export function fileScanSource(paths: FilePaths, options: FileScanSourceOptions = {}): FileScanSource {
  return {
    kind: 'files',
    // Lean on purpose: the list is the one thing a scan holds for the whole server at once.
    async listDomains() {
      const [{ domains: userOf }, zones] = await Promise.all([readUserDomains(paths.userdomains), listZoneFiles(paths.namedDir)]);
      const users = [...new Set(userOf.values())];
      const facts = new Map<string, AccountFacts | null>();
      await readInBatches(users, (user) => facts.set(user, readAccountFactsSync(paths.cpanelUsers, user)));
      let owners: Map<string, string> | undefined;
      if (options.owners && [...facts.values()].some((f) => f?.owner === undefined)) {
        try {
          owners = await options.owners();
        } catch {
          owners = undefined; // owners stay empty; the scan itself does not need them
        }
      }
      const out: DomainInfo[] = [];
      for (const [domain, user] of userOf) {
        const account = facts.get(user) ?? null;
        const zone = zoneOf(domain, user, zones, userOf);
        out.push({ domain, user, owner: account?.owner ?? owners?.get(user) ?? '', type: typeOf(domain, zone, account), zone });
      }
      return out;
    },
    readZone: async (zone) => ({ bytes: readZoneFile(paths.namedDir, zone) }),
    ...(options.dkimDir !== undefined ? { dkimPublicKey: async (domain: string) => readDkimKey(options.dkimDir as string, domain) } : {}),
  };
}
