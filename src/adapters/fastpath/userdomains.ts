/**
 * `/etc/userdomains` (docs/reference/cpanel-api.md §7.6): one `domain: user` line per domain of every account —
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

/**
 * Lean on purpose (a server lists tens of thousands of domains, and this map is most of what a scan
 * holds): the text is walked line by line without splitting it, names already in normal form are
 * kept as slices of the text, and each user name is stored once however many domains it has.
 */
export function parseUserDomains(text: string): UserDomains {
  const domains = new Map<string, string>();
  const users = new Map<string, string>();
  let skipped = 0;
  for (let pos = 0; pos < text.length;) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const end = eol > pos && text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol;
    const colon = text.indexOf(':', pos);
    const start = pos;
    pos = eol + 1;
    if (end === start || text.slice(start, end).trim() === '') continue;
    if (colon < 0 || colon >= end) {
      skipped++;
      continue;
    }
    const raw = text.slice(start, colon);
    const domain = /[A-Z\s]|\.$/.test(raw) ? normalizeDomain(raw) : raw;
    const userText = text.slice(colon + 1, end).trim();
    if (domain === '*') continue;
    if (!DOMAIN.test(domain) || !USER.test(userText)) {
      skipped++;
      continue;
    }
    let user = users.get(userText);
    if (user === undefined) users.set(userText, (user = userText));
    domains.set(domain, user);
  }
  return { domains, skipped };
}

export async function readUserDomains(path: string): Promise<UserDomains> {
  return parseUserDomains(await readFile(path, 'latin1'));
}
