/**
 * DEMO ONLY. The zones of a directory of cPanel zone files (`<zone>.db`, docs/reference/cpanel-api.md §5.4), read
 * on demand and read again when a file changes (mtime, size or inode), so an edit through the cPanel
 * simulator is visible to the next query the way `rndc reload` / `pdns_control` makes it visible on
 * a real server.
 */
import { readFileSync, statSync } from 'fs';
import { join } from 'path';
import { parseZoneFile } from '../../zone/bindReader';
import type { Zone } from '../../zone/model';
import type { ZoneFinder } from './lookup';

interface Cached {
  stamp: string;
  result: { zone: Zone } | { error: string };
}

/** Only plain host-name characters may become a file name: a query must never walk the file system. */
const SAFE_ZONE_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

export class ZoneDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly only: Set<string> | null;

  constructor(
    private readonly dir: string,
    zones?: string[],
  ) {
    this.only = zones ? new Set(zones.map((z) => z.toLowerCase().replace(/\.$/, ''))) : null;
  }

  /** The zone for `name` by longest match, an error when its file does not parse, or null. */
  readonly find: ZoneFinder = (name) => {
    const labels = name.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length; i++) {
      const candidate = labels.slice(i).join('.');
      if (!SAFE_ZONE_NAME.test(candidate)) continue;
      if (this.only && !this.only.has(candidate)) continue;
      const found = this.load(candidate);
      if (found) return found;
    }
    return null;
  };

  private load(zoneName: string): Cached['result'] | null {
    const path = join(this.dir, `${zoneName}.db`);
    let stamp: string;
    try {
      const st = statSync(path);
      if (!st.isFile()) return null;
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      this.cache.delete(zoneName);
      return null;
    }
    const cached = this.cache.get(zoneName);
    if (cached && cached.stamp === stamp) return cached.result;
    let result: Cached['result'];
    try {
      result = { zone: parseZoneFile(readFileSync(path), zoneName) };
    } catch (err) {
      // Like a real server that fails to load a zone: SERVFAIL for its names, not a crash.
      result = { error: (err as Error).message };
    }
    this.cache.set(zoneName, { stamp, result });
    return result;
  }
}
