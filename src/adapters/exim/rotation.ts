/**
 * The rotated generations of a log, oldest first. logrotate names them either by date
 * (`dateext`: `exim_mainlog-20261127`, `-20261127.gz`, with `dateformat` variants like
 * `-2026112713` or `-20261127-1701090000`) or by number (`exim_mainlog.1`, `.2.gz`; higher = older).
 * cPanel compresses rotated Exim logs (docs/reference/jetbackup-and-exim.md §2.1).
 */
import { readdir, stat } from 'fs/promises';
import { basename, dirname, join } from 'path';

export interface LogFileInfo {
  path: string;
  gz: boolean;
  mtimeMs: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Candidate extends LogFileInfo {
  /** Sort key inside its naming scheme, ascending = older first. */
  key: string;
}

/** Rotations of `mainPath` (not including it), oldest first. Missing directory → none. */
export async function listRotations(mainPath: string): Promise<LogFileInfo[]> {
  const dir = dirname(mainPath);
  const base = basename(mainPath);
  const dated = new RegExp(`^${escape(base)}-(\\d{8})(?:-?(\\d{1,12}))?(\\.gz)?$`);
  const numbered = new RegExp(`^${escape(base)}\\.(\\d{1,4})(\\.gz)?$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const byDate: Candidate[] = [];
  const byNumber: Candidate[] = [];
  for (const name of names) {
    const d = dated.exec(name);
    const n = d ? null : numbered.exec(name);
    if (!d && !n) continue;
    const path = join(dir, name);
    let mtimeMs: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      mtimeMs = st.mtimeMs;
    } catch {
      continue;
    }
    if (d) byDate.push({ path, gz: d[3] !== undefined, mtimeMs, key: `${d[1]}-${(d[2] ?? '').padStart(12, '0')}` });
    else if (n && n[1] !== undefined)
      byNumber.push({ path, gz: n[2] !== undefined, mtimeMs, key: String(9999 - Number(n[1])).padStart(4, '0') });
  }
  byDate.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  byNumber.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Each scheme's own order is trusted; only when both exist (a changed logrotate config) do we
  // merge them by modification time.
  const merged: LogFileInfo[] = [];
  let i = 0;
  let j = 0;
  while (i < byDate.length || j < byNumber.length) {
    const a = byDate[i];
    const b = byNumber[j];
    const takeDate = b === undefined || (a !== undefined && a.mtimeMs <= b.mtimeMs);
    const next = takeDate ? a : b;
    if (takeDate) i++;
    else j++;
    if (next) merged.push({ path: next.path, gz: next.gz, mtimeMs: next.mtimeMs });
  }
  return merged;
}
