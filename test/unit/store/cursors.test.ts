import { join } from 'path';
import { openStore, type LogCursor } from '../../../src/adapters/store';
import { makeTempDir } from './store-fixtures';

describe('log cursors', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const cursor: LogCursor = { dev: 2049, ino: 2 ** 60 + 1024, size: 2_147_483_648 + 17, offset: 2_147_483_600, headHash: 'sha256:ab12', updatedAt: '2024-06-01T12:00:00.000Z' };

  it('when a cursor is saved, then it reads back identical after a re-open, large inode and offset included', () => {
    const path = join(tmp.dir, 'journal.db');
    const store = openStore(path);
    expect(store.logCursors.get('/var/log/exim_mainlog')).toBeUndefined();
    store.logCursors.set('/var/log/exim_mainlog', cursor);
    store.close();
    const again = openStore(path);
    expect(again.logCursors.get('/var/log/exim_mainlog')).toEqual(cursor);
    again.close();
  });

  it('when a cursor is saved again, then the newer one replaces it and other keys are untouched', () => {
    const store = openStore(':memory:');
    store.logCursors.set('a', cursor);
    store.logCursors.set('b', { ...cursor, offset: 1 });
    store.logCursors.set('a', { ...cursor, ino: 7, offset: 0, size: 10 });
    expect(store.logCursors.get('a')).toEqual({ ...cursor, ino: 7, offset: 0, size: 10 });
    expect(store.logCursors.get('b')?.offset).toBe(1);
    store.close();
  });
});
