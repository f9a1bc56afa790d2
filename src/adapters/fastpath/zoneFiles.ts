/**
 * `/var/named/<zone>.db` (docs/reference/cpanel-api.md §5.4): the zone files cPanel writes. The fast path only
 * reads them — every write goes through the API, which bumps the serial, validates and replicates
 * (docs/design.md "Writing DNS safely").
 */
import { constants, readFileSync } from 'fs';
import { access, readdir, stat } from 'fs/promises';
import { join } from 'path';
import { FixEmailAuthError } from '../../errors';

/** cPanel zones are kilobytes; a bigger file is refused unread rather than parsed. */
export const MAX_ZONE_FILE_BYTES = 16 * 1024 * 1024;

const ZONE_NAME = /^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$/;

/** Names of the zones with a `<zone>.db` file (lower case). */
export async function listZoneFiles(namedDir: string): Promise<Set<string>> {
  const zones = new Set<string>();
  for (const name of await readdir(namedDir)) {
    if (!name.endsWith('.db')) continue;
    const zone = name.slice(0, -3).toLowerCase();
    if (ZONE_NAME.test(zone) && !zone.includes('..')) zones.add(zone);
  }
  return zones;
}

/**
 * One zone file's bytes. Read synchronously on purpose: a zone file is a few KB from the page cache,
 * and the promise API's open/stat/read/close round trips cost about three times the CPU of one
 * blocking read — the scan's main thread would spend more on them than on the reading.
 */
export function readZoneFile(namedDir: string, zone: string): Buffer {
  if (!ZONE_NAME.test(zone) || zone.includes('..'))
    throw new FixEmailAuthError('BAD_INPUT', `“${zone.slice(0, 100)}” is not a zone name`, { step: 'read' });
  const path = join(namedDir, `${zone}.db`);
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_ZONE_FILE_BYTES)
      throw new FixEmailAuthError('ZONE_PARSE', `${path} is ${bytes.length} bytes; that is not a cPanel zone file`, { step: 'read' });
    return bytes;
  } catch (err) {
    if (err instanceof FixEmailAuthError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new FixEmailAuthError('NOT_FOUND', `Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, {
      step: 'read',
      cause: err,
    });
  }
}

/** Whether the fast path can work here: the zone directory and the domain list are readable. */
export async function filesReadable(namedDir: string, userdomains: string): Promise<boolean> {
  try {
    const [dir, list] = await Promise.all([stat(namedDir), stat(userdomains)]);
    if (!dir.isDirectory() || !list.isFile()) return false;
    await Promise.all([access(namedDir, constants.R_OK | constants.X_OK), access(userdomains, constants.R_OK)]);
    return true;
  } catch {
    return false;
  }
}
