/**
 * The journal holds every DNS record we ever removed from a customer's zone, so only root may read
 * it (docs/design.md "Identity and trust": the database file is readable by root only). Before SQLite opens the file we make sure
 * that the path is a plain file we own, mode 0600, in a directory we created 0700.
 *
 * Why refuse symlinks: the daemon runs as root; a symlink planted at the journal path would make it
 * write (and chmod) whatever the link points to. The check-then-open window is not exploitable as
 * long as the directory is root's 0700 directory, which is what we create.
 */
import { chmodSync, closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, type Stats } from 'fs';
import { dirname } from 'path';
import { storeError } from './store-error';

export const DATABASE_FILE_MODE = 0o600;
export const DATABASE_DIR_MODE = 0o700;

/** SQLite's side files; it creates them with the database file's mode, but they must not be links either. */
const SIDE_FILE_SUFFIXES = ['-wal', '-shm', '-journal'];

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Create every missing directory on the way with mode exactly 0700 (chmod after mkdir: a umask like 0277 would leave 0500). */
function ensureDirectory(dir: string): void {
  const existing = lstatOrUndefined(dir);
  if (existing) {
    if (!existing.isDirectory()) throw storeError('UNSAFE_VALUE', `Journal directory ${dir} exists and is not a directory`);
    // An existing directory is left as it is: it may be shared (e.g. a tmp dir); the file itself is 0600.
    return;
  }
  ensureDirectory(dirname(dir));
  mkdirSync(dir, { mode: DATABASE_DIR_MODE });
  chmodSync(dir, DATABASE_DIR_MODE);
}

function refuseUnsafeExisting(path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) throw storeError('UNSAFE_VALUE', `Refusing to open the journal ${path}: it is a symbolic link`);
  if (!stats.isFile()) throw storeError('UNSAFE_VALUE', `Refusing to open the journal ${path}: it is not a regular file`);
  const euid = process.geteuid?.();
  if (euid !== undefined && stats.uid !== euid) {
    throw storeError(
      'UNSAFE_VALUE',
      `Refusing to open the journal ${path}: it belongs to uid ${stats.uid}, not to this process (uid ${euid})`,
    );
  }
}

/**
 * Make `path` safe to hand to SQLite: parent directories created 0700, the file created 0600 (or an
 * existing one checked and tightened to 0600), no symlink at the file or its side files.
 */
export function prepareDatabaseFile(path: string): void {
  ensureDirectory(dirname(path));
  for (const suffix of SIDE_FILE_SUFFIXES) {
    const side = lstatOrUndefined(path + suffix);
    if (side) refuseUnsafeExisting(path + suffix, side);
  }
  const existing = lstatOrUndefined(path);
  if (existing) {
    refuseUnsafeExisting(path, existing);
    if ((existing.mode & 0o777) !== DATABASE_FILE_MODE) chmodSync(path, DATABASE_FILE_MODE);
    for (const suffix of SIDE_FILE_SUFFIXES) {
      const side = lstatOrUndefined(path + suffix);
      if (side && (side.mode & 0o777) !== DATABASE_FILE_MODE) chmodSync(path + suffix, DATABASE_FILE_MODE);
    }
    return;
  }
  // O_EXCL|O_NOFOLLOW: if something appears at the path between lstat and here, fail instead of following it.
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, DATABASE_FILE_MODE);
  try {
    fchmodSync(fd, DATABASE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}
