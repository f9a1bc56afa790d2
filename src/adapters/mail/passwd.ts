/**
 * A Unix account from /etc/passwd, to start the MTA as a cPanel user (cPanel users are ordinary
 * Unix accounts; their home and shell do not matter here, only uid and gid).
 */
import { readFile } from 'fs/promises';

export interface UnixUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The passwd entry named `name`, or null. Lines that are not 7 colon-separated fields are skipped. */
export function findPasswdEntry(passwdText: string, name: string): UnixUser | null {
  for (const line of passwdText.split('\n')) {
    const fields = line.split(':');
    if (fields.length !== 7 || fields[0] !== name) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid < 0 || gid < 0 || fields[2] === '' || fields[3] === '') return null;
    return { name, uid, gid, home: fields[5] ?? '/' };
  }
  return null;
}

export async function lookupUnixUser(name: string, passwdPath = '/etc/passwd'): Promise<UnixUser | null> {
  return findPasswdEntry(await readFile(passwdPath, 'utf8'), name);
}
