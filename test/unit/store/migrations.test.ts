import Database from 'better-sqlite3';
import { join } from 'path';
import { migrate, type Migration } from '../../../src/adapters/store/migrations';
import { makeTempDir } from './store-fixtures';

describe('migrate', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Database.Database;
  beforeEach(() => {
    tmp = makeTempDir();
    db = new Database(join(tmp.dir, 'm.db'));
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  const tableNames = () =>
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);

  it('when run twice, then each step runs once and the version is the last step', () => {
    const runs: number[] = [];
    const steps: Migration[] = [
      { version: 1, name: 'a', up: (d) => (runs.push(1), d.exec('CREATE TABLE a (x)')) },
      { version: 2, name: 'b', up: (d) => (runs.push(2), d.exec('CREATE TABLE b (x)')) },
    ];
    expect(migrate(db, 'm.db', steps)).toEqual({ from: 0, to: 2 });
    expect(migrate(db, 'm.db', steps)).toEqual({ from: 2, to: 2 });
    expect(runs).toEqual([1, 2]);
    expect(tableNames()).toEqual(['a', 'b']);
  });

  it('when a step fails half-way, then that step is rolled back and the version stays at the previous step', () => {
    const steps: Migration[] = [
      { version: 1, name: 'a', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'broken',
        up: (d) => {
          d.exec('CREATE TABLE half (x)');
          throw new Error('disk full');
        },
      },
    ];
    expect(() => migrate(db, 'm.db', steps)).toThrow('disk full');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames()).toEqual(['a']);
  });

  it('when a new release adds a step, then only the new step runs on an existing file', () => {
    const runs: string[] = [];
    const v1: Migration[] = [{ version: 1, name: 'a', up: (d) => (runs.push('a'), d.exec('CREATE TABLE a (x)')) }];
    migrate(db, 'm.db', v1);
    migrate(db, 'm.db', [...v1, { version: 2, name: 'b', up: (d) => (runs.push('b'), d.exec('ALTER TABLE a ADD COLUMN y')) }]);
    expect(runs).toEqual(['a', 'b']);
  });

  it('when the list has a gap, then it refuses to run', () => {
    expect(() => migrate(db, 'm.db', [{ version: 2, name: 'x', up: () => undefined }])).toThrow(/out of order/);
  });
});
