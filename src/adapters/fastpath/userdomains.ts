/**
 * `/etc/userdomains` (cpanel-api.md §7.6): one `domain: user` line per domain of every account —
 * main, addon, parked and sub-domains — rebuilt by cPanel from /var/cpanel/users. The last line is
 * `*: nobody` (the catch-all of Exim's routing), which is not a domain. Line order is not promised,
 * and a hand-edited or half-written file may hold odd lines: those are skipped, never fatal.
 */
import { readFile } from 'fs/promises';
import { normalizeDomain } from '../../zone/model';

/** cPanel user names (v120: lower-case letter first, letters and digits, at most 16). */
const USER = /^[a-z][a-z0-9_-]{0,31}$/;
/** A host name as cPanel stores it (lower case, no final dot). */
const DOMAIN = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)+$/;

export interface UserDomains {
  /** Domain → cPanel user, in file order. */
  domains: Map<string, string>;
  /** Lines that were neither a domain nor the `*: nobody` catch-all. */
  skipped: number;
}

export function parseUserDomains(text: string): UserDomains {
  const domains = new Map<string, string>();
  let skipped = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const domain = colon > 0 ? normalizeDomain(line.slice(0, colon)) : '';
    const user = colon > 0 ? line.slice(colon + 1).trim() : '';
    if (domain === '*') continue;
    if (!DOMAIN.test(domain) || !USER.test(user)) {
      skipped++;
      continue;
    }
    domains.set(domain, user);
  }
  return { domains, skipped };
}

export async function readUserDomains(path: string): Promise<UserDomains> {
  return parseUserDomains(await readFile(path, 'latin1'));
}
