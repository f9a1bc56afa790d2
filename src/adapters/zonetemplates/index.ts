/**
 * cPanel's zone templates on disk. cPanel builds every new zone from the first of
 * `/var/cpanel/zonetemplates/<user>_<type>`, `<reseller>_<type>`, `root_<type>`, `<type>`, then its
 * own default `/usr/local/cpanel/etc/zonetemplates/<type>`, for the types `simple`, `standard` and
 * `standardvirtualftp` (cPanel's Cpanel/ZoneFile/Template.pm). Only the editable directory is read
 * and written here; cPanel's own defaults are never touched.
 *
 * A replacement is atomic and careful: the file must still hold exactly what the plan was made from
 * (else CONFLICT, nothing written); the previous file is copied to the backup directory first; the new
 * text goes to a temporary file in the same directory, is flushed to disk and renamed over the old
 * one, keeping its mode; a reader of the template sees the old or the new file, never half of one.
 */
import { constants } from 'fs';
import { copyFile, mkdir, open, readdir, readFile, rename, stat, unlink } from 'fs/promises';
import { join } from 'path';
import { FixEmailAuthError } from '../../errors';
import type { ZoneTemplateFile, ZoneTemplates } from '../../ports';

/** Backups made by this process: two in the same millisecond still get their own file. */
let backups = 0;

export const TEMPLATE_TYPES = ['simple', 'standard', 'standardvirtualftp'] as const;
const NAME = /^(?:([a-z0-9][a-z0-9_-]*)_)?(simple|standard|standardvirtualftp)$/;

export function parseTemplateName(name: string): Pick<ZoneTemplateFile, 'type' | 'owner'> | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { type: m[2]!, owner: m[1] ?? null };
}

export interface TemplateDirs {
  dir: string;
  backupDir: string;
  /** Names the backup copy (default: an ISO-time stamp). */
  now?: () => Date;
}

export function zoneTemplateFiles(dirs: TemplateDirs): ZoneTemplates {
  const pathOf = (name: string): string => {
    if (!parseTemplateName(name)) throw new FixEmailAuthError('BAD_INPUT', `“${name.slice(0, 60)}” is not a cPanel zone template name.`);
    return join(dirs.dir, name);
  };
  return {
    async list() {
      let names: string[];
      try {
        names = await readdir(dirs.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const out: ZoneTemplateFile[] = [];
      for (const name of names.sort()) {
        const parsed = parseTemplateName(name);
        if (!parsed) continue;
        const info = await stat(join(dirs.dir, name)).catch(() => null);
        if (info?.isFile()) out.push({ name, ...parsed, path: join(dirs.dir, name) });
      }
      return out;
    },
    read: async (name) => readFile(pathOf(name), 'latin1'),
    async replace(name, expected, next) {
      const path = pathOf(name);
      const current = await readFile(path, 'latin1');
      if (current !== expected) {
        throw new FixEmailAuthError('CONFLICT', `The zone template ${name} changed since it was read; look at it again before repairing.`, {
          step: 'apply',
        });
      }
      const { mode } = await stat(path);
      await mkdir(dirs.backupDir, { recursive: true, mode: 0o700 });
      const stamp = (dirs.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
      const backupPath = join(dirs.backupDir, `${name}.${stamp}.${process.pid}-${++backups}`);
      await copyFile(path, backupPath, constants.COPYFILE_EXCL);
      const temp = join(dirs.dir, `.${name}.fix-email-auth-${process.pid}`);
      const handle = await open(temp, 'wx', mode & 0o7777);
      try {
        await handle.writeFile(next, 'latin1');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temp, path);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
      return { backupPath };
    },
  };
}
