import Database from 'better-sqlite3';
import type { Store } from '../../../src/adapters/store';
import { useTempStore, steppingClock } from './store-fixtures';

describe('audit log', () => {
  let path: string;
  let store: Store;
  useTempStore({ clock: steppingClock() }, (opened, at) => {
    store = opened;
    path = at;
  });

  const admin = { kind: 'admin' as const, name: 'root' };

  it('when an entry is appended, then it is listed with its time, actor and detail', () => {
    const entry = store.appendAudit({
      actor: admin,
      action: 'scan.started',
      domain: 'Example.com.',
      detail: { accounts: 12, note: '<b>\u00ff' },
    });
    expect(entry).toEqual({
      id: 1,
      at: '2024-06-01T12:00:01.000Z',
      actor: admin,
      action: 'scan.started',
      domain: 'example.com',
      detail: { accounts: 12, note: '<b>\u00ff' },
    });
    expect(store.listAudit()).toEqual([entry]);
  });

  it('when filtered, then only matching entries come back, newest first', () => {
    store.appendAudit({ actor: admin, action: 'a', domain: 'one.com' });
    store.appendAudit({ actor: { kind: 'user', name: 'bob' }, action: 'b', domain: 'two.com' });
    store.appendAudit({ actor: admin, action: 'a', domain: 'two.com' });
    expect(store.listAudit({ domain: 'two.com' }).map((e) => e.id)).toEqual([3, 2]);
    expect(store.listAudit({ action: 'a' }).map((e) => e.id)).toEqual([3, 1]);
    expect(store.listAudit({ actorName: 'bob' }).map((e) => e.id)).toEqual([2]);
    expect(store.listAudit({ before: 3, limit: 1 }).map((e) => e.id)).toEqual([2]);
  });

  it('when a row is updated or deleted with raw SQL, then SQLite raises and the row is unchanged', () => {
    store.appendAudit({ actor: admin, action: 'change.applied', domain: 'example.com' });
    const raw = new Database(path);
    try {
      expect(() => raw.prepare("UPDATE audit SET action = 'nothing happened'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(store.listAudit().map((e) => e.action)).toEqual(['change.applied']);
  });
});
