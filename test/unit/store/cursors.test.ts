import { join } from 'path';
import { openStore, type LogCursor } from '../../../src/adapters/store';
import { makeTempDir } from './store-fixtures';

describe('log cursors', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const cursor: LogCursor = {
    dev: '2049',
    ino: '18446744073709551557', // above 2^53: must survive as written
    size: 2_147_483_648 + 17,
    offset: 2_147_483_600,
    headHash: 'ab12'.repeat(16),
    headLength: 4096,
    open: [['1sXyZa-000123-AB', 'user@example.com H=mail.example.com [192.0.2.1] P=esmtpsa A=dovecot_login:user@example.com \u00ff']],
    updatedAt: '2024-06-01T12:00:00.000Z',
  };

  it('when a cursor is saved, then it reads back identical after a re-open, with its open arrivals', () => {
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
    const rotated = { dev: '2049', ino: '7', size: 10, offset: 0, headHash: 'cd', headLength: 4096 };
    store.logCursors.set('a', rotated);
    expect(store.logCursors.get('a')).toEqual(rotated);
    expect(store.logCursors.get('b')?.offset).toBe(1);
    store.close();
  });
});
