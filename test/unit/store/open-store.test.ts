import Database from 'better-sqlite3';
import { chmodSync, existsSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { APPLICATION_ID, latestVersion, openStore } from '../../../src/adapters/store';
import { isFixEmailAuthError } from '../../../src/errors';
import { makeTempDir, newRepair } from './store-fixtures';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('openStore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('when the directory and file do not exist, then it creates the directory 0700 and the file 0600', () => {
    const path = join(tmp.dir, 'var', 'lib', 'fix-email-auth', 'journal.db');
    const store = openStore(path);
    store.createChange(newRepair()); // forces a WAL write
    expect(mode(join(tmp.dir, 'var', 'lib', 'fix-email-auth'))).toBe(0o700);
    expect(mode(join(tmp.dir, 'var', 'lib'))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(mode(`${path}-wal`)).toBe(0o600);
    store.close();
  });

  it.each([
    ['000', 0o000],
    ['277', 0o277],
  ])('when the umask is %s, then the directory is exactly 0700 and the file and WAL exactly 0600', (_label, umask) => {
    const old = process.umask(umask);
    try {
      const path = join(tmp.dir, 'new', 'journal.db');
      const store = openStore(path);
      store.createChange(newRepair());
      expect(mode(join(tmp.dir, 'new'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      store.close();
    } finally {
      process.umask(old);
    }
  });

  it('when an existing file is readable by others, then it is tightened to 0600', () => {
    const path = join(tmp.dir, 'journal.db');
    openStore(path).close();
    chmodSync(path, 0o644);
    openStore(path).close();
    expect(mode(path)).toBe(0o600);
  });

  it('when the path is a symlink, then it refuses and leaves the target untouched', () => {
    const target = join(tmp.dir, 'target');
    writeFileSync(target, 'not a database');
    chmodSync(target, 0o644);
    const path = join(tmp.dir, 'journal.db');
    symlinkSync(target, path);
    expect(() => openStore(path)).toThrow(/symbolic link/);
    expect(mode(target)).toBe(0o644);
  });

  it('when a WAL side file is a symlink, then it refuses', () => {
    const path = join(tmp.dir, 'journal.db');
    symlinkSync(join(tmp.dir, 'elsewhere'), `${path}-wal`);
    expect(() => openStore(path)).toThrow(/symbolic link/);
  });

  it('when opened, then the file is in WAL mode and stamped with our schema version and application id', () => {
    const path = join(tmp.dir, 'journal.db');
    const store = openStore(path);
    store.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal'); // persistent in the file
    expect(raw.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    raw.close();
  });

  it('when a row points at a change that does not exist, then foreign keys refuse it', () => {
    const store = openStore(join(tmp.dir, 'journal.db'));
    expect(() => store.appendAudit({ actor: { kind: 'cli', name: 'root' }, action: 'test', changeId: 999 })).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('when the file is empty, then every migration runs, and re-opening runs none and keeps the data', () => {
    const path = join(tmp.dir, 'journal.db');
    const first = openStore(path);
    const change = first.createChange(newRepair());
    first.close();
    const second = openStore(path);
    expect(second.getChange(change.id)?.removed).toEqual(change.removed);
    const tables = (
      new Database(path).prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['audit', 'changes', 'job_items', 'jobs', 'log_cursors', 'scan_codes', 'scan_results']));
    second.close();
  });

  it('when the file was written by a newer release, then it refuses with a clear error and does not change it', () => {
    const path = join(tmp.dir, 'journal.db');
    openStore(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestVersion() + 1}`);
    raw.close();
    let error: unknown;
    try {
      openStore(path);
    } catch (err) {
      error = err;
    }
    expect(isFixEmailAuthError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`schema version ${latestVersion() + 1}.*up to ${latestVersion()}`));
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(latestVersion() + 1);
    after.close();
  });

  it('when the file is another program’s SQLite database, then it refuses to migrate it', () => {
    const path = join(tmp.dir, 'other.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE stuff (x)');
    raw.close();
    expect(() => openStore(path)).toThrow(/another program/);
  });

  it('when two stores open the same new file, then both see the same data', () => {
    const path = join(tmp.dir, 'journal.db');
    const a = openStore(path);
    const b = openStore(path);
    const change = a.createChange(newRepair());
    expect(b.getChange(change.id)?.status).toBe('planned');
    a.close();
    b.close();
  });

  it('when opened in memory, then it works without touching the disk', () => {
    const store = openStore(':memory:');
    expect(store.createChange(newRepair()).id).toBe(1);
    store.close();
  });
});
