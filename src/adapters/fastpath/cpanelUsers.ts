/**
 * `/var/cpanel/users/<user>` (docs/reference/cpanel-api.md §7.6), the cpuser file: `KEY=value` lines, among them
 * `OWNER=` (the reseller, or root), `DNS=` (the main domain) and `DNS1=`…`DNSn=` (addon and parked
 * domains, which have zones of their own). Root-only; when it cannot be read the caller falls back to
 * the API for owners.
 */
import { readFileSync } from 'fs';
import { readFile } from 'fs/promises';
import { join } from 'path';
import { normalizeDomain } from '../../zone/model';

export interface CpanelUserFile {
  owner?: string;
  mainDomain?: string;
  /** Addon and parked domains (`DNSn=`). */
  extraDomains: string[];
}

const SAFE_USER = /^[a-z][a-z0-9_-]{0,31}$/;

export function parseCpanelUserFile(text: string): CpanelUserFile {
  const out: CpanelUserFile = { extraDomains: [] };
  for (const raw of text.split('\n')) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    const key = raw.slice(0, eq);
    const value = raw.slice(eq + 1).trim();
    if (key === 'OWNER' && value) out.owner = value;
    else if (key === 'DNS' && value) out.mainDomain = normalizeDomain(value);
    else if (/^DNS[0-9]+$/.test(key) && value) out.extraDomains.push(normalizeDomain(value));
  }
  return out;
}

/** The user's cpuser file, or null when it is missing or unreadable (never a path outside `dir`). */
export async function readCpanelUserFile(dir: string, user: string): Promise<CpanelUserFile | null> {
  if (!SAFE_USER.test(user)) return null;
  try {
    return parseCpanelUserFile(await readFile(join(dir, user), 'latin1'));
  } catch {
    return null;
  }
}

/** What a server scan needs of a cpuser file: the reseller and the main domain. */
export interface AccountFacts {
  owner?: string;
  mainDomain?: string;
}

const OWNER_LINE = /^OWNER=(.*)$/m;
const DNS_LINE = /^DNS=(.*)$/m;

/**
 * The reseller and main domain of an account, read with a blocking read and two searches: a server
 * scan reads tens of thousands of these files at once, and splitting each into lines and objects
 * was most of the garbage of listing a server. Null when the file is missing or unreadable.
 */
export function readAccountFactsSync(dir: string, user: string): AccountFacts | null {
  if (!SAFE_USER.test(user)) return null;
  let text: string;
  try {
    text = readFileSync(join(dir, user), 'latin1');
  } catch {
    return null;
  }
  const owner = OWNER_LINE.exec(text)?.[1]?.trim();
  const main = DNS_LINE.exec(text)?.[1]?.trim();
  return { ...(owner ? { owner } : {}), ...(main ? { mainDomain: normalizeDomain(main) } : {}) };
}
