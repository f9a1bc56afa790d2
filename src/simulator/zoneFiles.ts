/**
 * The zone files on disk, `<dir>/<zone>.db` like /var/named (docs/reference/cpanel-api.md §5.4). They are the
 * simulator's only truth: every request reads the file again, so a JetBackup-style restore or a
 * test's direct write is seen at once. Text is kept as latin1 (one char per byte) so arbitrary bytes
 * survive a read/write round trip (§5.3).
 */
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';

/** A zone name safe to use as a file name: no slashes, no `..`, nothing but host-name characters. */
const SAFE_ZONE = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

export function isSafeZoneName(zone: string): boolean {
  return zone.length <= 253 && SAFE_ZONE.test(zone);
}

export class ZoneFiles {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  pathOf(zone: string): string {
    if (!isSafeZoneName(zone)) throw new Error(`unsafe zone name ${JSON.stringify(zone)}`);
    return join(this.dir, `${zone}.db`);
  }

  /** The file's bytes as a latin1 string, or null when there is no such zone. */
  async read(zone: string): Promise<string | null> {
    if (!isSafeZoneName(zone)) return null;
    try {
      return (await fs.readFile(this.pathOf(zone))).toString('latin1');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(zone: string): Promise<boolean> {
    return (await this.read(zone)) !== null;
  }

  /** Write through a temp file and rename, so readers (and PowerDNS) never see half a zone. */
  async write(zone: string, text: string): Promise<void> {
    const target = this.pathOf(zone);
    const temp = join(this.dir, `.${zone}.db.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await fs.writeFile(temp, Buffer.from(text, 'latin1'), { mode: 0o644 });
    try {
      await fs.rename(temp, target);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw err;
    }
  }

  async remove(zone: string): Promise<void> {
    await fs.rm(this.pathOf(zone), { force: true });
  }

  /** Every zone with a file, sorted. */
  async list(): Promise<string[]> {
    const names = await fs.readdir(this.dir);
    return names
      .filter((name) => name.endsWith('.db') && !name.startsWith('.'))
      .map((name) => name.slice(0, -3))
      .filter(isSafeZoneName)
      .sort();
  }

  /**
   * Run `fn` with the zone to ourselves, so two edits of one zone never interleave their
   * read-check-write (cPanel holds a lock around a mass edit as well).
   */
  async withLock<T>(zone: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(zone) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(zone, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(zone) === settled) this.locks.delete(zone);
    }
  }
}
