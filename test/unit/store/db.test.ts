import { join } from 'path';
import { BUSY_TIMEOUT_MS, openDatabase, withRelaxedDurability } from '../../../src/adapters/store/db';
import { makeTempDir } from './store-fixtures';

const FULL = 2;
const NORMAL = 1;

describe('openDatabase', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  it('when opened, then the connection has WAL, foreign keys, a busy timeout and FULL durability', () => {
    const db = openDatabase(join(tmp.dir, 'j.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    db.close();
  });

  it('when cache data is written with relaxed durability, then NORMAL applies only during the write, and never inside a transaction', () => {
    const db = openDatabase(join(tmp.dir, 'j.db'));
    expect(withRelaxedDurability(db, () => db.pragma('synchronous', { simple: true }))).toBe(NORMAL);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    const inside = db.transaction(() => withRelaxedDurability(db, () => db.pragma('synchronous', { simple: true })))();
    expect(inside).toBe(FULL);
    expect(() =>
      withRelaxedDurability(db, () => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    db.close();
  });
});
