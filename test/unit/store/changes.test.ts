import Database from 'better-sqlite3';
import { CHANGE_STATUSES, allowedNext, openStore, type ChangeStatus, type Store } from '../../../src/adapters/store';
import { isFixEmailAuthError } from '../../../src/errors';
import { useTempStore, newRepair, repairPlan, staleLockdownRecord, steppingClock } from './store-fixtures';

const FAIL = { code: 'API_ERROR', step: 'apply', message: 'cPanel said no' };

/** Walk a change along the happy path up to `status`. */
function bringTo(store: Store, status: 'backed_up' | 'applying' | 'applied' | 'verified'): number {
  const { id } = store.createChange(newRepair());
  store.advance(id, 'backed_up', {
    backup: { kind: 'jetbackup', accountId: 'acc1', user: 'exampleuser', queuedAt: '2024-06-01T12:00:00Z' },
  });
  if (status === 'backed_up') return id;
  store.advance(id, 'applying');
  if (status === 'applying') return id;
  store.advance(id, 'applied', { serialAfter: '2024060102' });
  if (status === 'applied') return id;
  store.advance(id, 'verified', { verification: { nameservers: [{ host: 'ns1.example.net', ok: true }] } });
  return id;
}

describe('change journal', () => {
  let path: string;
  let store: Store;
  useTempStore({ clock: steppingClock() }, (opened, at) => {
    store = opened;
    path = at;
  });

  it('when a change is created, then it is planned, holds what was given, and an audit row says so', () => {
    const change = store.createChange(newRepair({ domain: 'Example.COM.' }));
    expect(change).toMatchObject({
      id: 1,
      status: 'planned',
      kind: 'repair',
      domain: 'example.com',
      zone: 'example.com',
      user: 'exampleuser',
      serialBefore: '2024060101',
    });
    expect(change.createdAt).toBe('2024-06-01T12:00:01.000Z');
    expect(store.getChange(change.id)).toEqual(change);
    const audit = store.listAudit({ changeId: change.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'change.planned', actor: { kind: 'user', name: 'exampleuser' }, domain: 'example.com' });
  });

  it('when TXT data holds quotes, backslashes, markup, NUL and bytes 0x80–0xFF, then it comes back byte for byte after a re-open', () => {
    const every = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const nasty = ['v=mc1 auth="x\\"y"', '\\065\\\\;', '<script>alert(1)</script>', every, '\u00e9\u00ff\u0080', ''];
    const removed = [staleLockdownRecord({ data: nasty, dname: '_mailchannels\u00ff', name: '_mailchannels\u00ff.example.com.' })];
    const plan = repairPlan();
    plan.edit[0]!.data = ['kept \u00fe foreign'];
    const change = store.createChange(
      newRepair({ removed, plan, added: [{ dname: 'x\u0000y', ttl: 300, record_type: 'TXT', data: [every] }] }),
    );
    store.close();
    store = openStore(path);
    const back = store.getChange(change.id)!;
    expect(back.removed).toEqual(removed);
    expect(Buffer.from(back.removed[0]!.data[3]!, 'latin1')).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    expect(back.plan).toEqual(plan);
    expect(back.added[0]!.dname).toBe('x\u0000y');
    expect(back.added[0]!.data[0]).toBe(every);
  });

  it('when the stored record data is read raw, then it is base64 of the bytes (not re-encoded text)', () => {
    store.createChange(newRepair({ removed: [staleLockdownRecord({ data: ['\u00ff<'] })] }));
    const raw = new Database(path);
    const { removed_json } = raw.prepare('SELECT removed_json FROM changes').get() as { removed_json: string };
    raw.close();
    expect(JSON.parse(removed_json)[0].data_b64).toEqual([Buffer.from([0xff, 0x3c]).toString('base64')]);
  });

  it('when a record string holds a char above 0xFF (decoded text, not bytes), then it is refused rather than truncated', () => {
    expect(() => store.createChange(newRepair({ removed: [staleLockdownRecord({ data: ['€'] })] }))).toThrow(/not a binary string/);
    expect(store.listChanges()).toEqual([]);
  });

  it('when the verification report holds binary strings, then they round-trip too', () => {
    const id = bringTo(store, 'applied');
    const report = { answers: ['v=mc1 \u0000\u00ff "q"'] };
    store.advance(id, 'verified', { verification: report });
    expect(store.getChange(id)?.verification).toEqual(report);
  });

  it('when walked along the happy path, then each step is recorded with its data and an audit row', () => {
    const id = bringTo(store, 'verified');
    const change = store.getChange(id)!;
    expect(change.status).toBe('verified');
    expect(change.serialAfter).toBe('2024060102');
    expect(change.backup).toEqual({ kind: 'jetbackup', accountId: 'acc1', user: 'exampleuser', queuedAt: '2024-06-01T12:00:00Z' });
    expect(change.verification).toEqual({ nameservers: [{ host: 'ns1.example.net', ok: true }] });
    expect(store.listAudit({ changeId: id }).map((a) => a.action)).toEqual([
      'change.verified',
      'change.applied',
      'change.applying',
      'change.backed_up',
      'change.planned',
    ]);
  });

  it('when the backup is skipped, then planned may go straight to applying with the warning kept', () => {
    const { id } = store.createChange(newRepair());
    expect(store.transition(id, 'planned', 'applying', { backup: { skipped: true, warning: 'JetBackup not installed' } })).toBe(true);
    expect(store.getChange(id)?.backup).toEqual({ skipped: true, warning: 'JetBackup not installed' });
  });

  it.each<[ChangeStatus, ChangeStatus]>([
    ['planned', 'applied'],
    ['planned', 'verified'],
    ['planned', 'rolled_back'],
    ['backed_up', 'applied'],
    ['applying', 'verified'],
    ['applying', 'backed_up'],
    ['verified', 'failed'],
    ['verified', 'applied'],
    ['rolled_back', 'applied'],
    ['rolled_back', 'failed'],
    ['failed', 'applied'],
  ])('when asked to go from %s to %s, then it refuses with CONFLICT', (from, to) => {
    expect(allowedNext(from)).not.toContain(to);
    let error: unknown;
    try {
      store.transition(1, from, to, { serialAfter: '2', error: FAIL });
    } catch (err) {
      error = err;
    }
    expect(isFixEmailAuthError(error, 'CONFLICT')).toBe(true);
  });

  it('when a change is in any state before verified, then it may be marked failed', () => {
    for (const from of CHANGE_STATUSES.filter((s) => !['verified', 'failed', 'rolled_back'].includes(s)))
      expect(allowedNext(from)).toContain('failed');
  });

  it('when a change actually in another state is moved, then the transition from a stale status returns false and changes nothing', () => {
    const id = bringTo(store, 'applying');
    expect(store.transition(id, 'backed_up', 'applying')).toBe(false);
    expect(store.getChange(id)?.status).toBe('applying');
    expect(store.listAudit({ changeId: id, action: 'change.applying' })).toHaveLength(1);
  });

  it('when two processes race to settle the same applying change, then exactly one wins', () => {
    const id = bringTo(store, 'applying');
    const other = openStore(path);
    try {
      const first = store.transition(id, 'applying', 'applied', { serialAfter: '2024060102' });
      const second = other.transition(id, 'applying', 'failed', { error: FAIL });
      expect([first, second]).toEqual([true, false]);
      expect(other.getChange(id)).toMatchObject({ status: 'applied', serialAfter: '2024060102' });
      expect(other.getChange(id)?.error).toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('when marked failed without an error, or applied without the new serial, then it is refused', () => {
    const id = bringTo(store, 'applying');
    expect(() => store.advance(id, 'failed')).toThrow(/needs an error/);
    expect(() => store.advance(id, 'applied')).toThrow(/serialAfter/);
    expect(store.getChange(id)?.status).toBe('applying');
  });

  it('when failed with an error, then the error is kept', () => {
    const id = bringTo(store, 'applying');
    store.advance(id, 'failed', { error: FAIL });
    expect(store.getChange(id)).toMatchObject({ status: 'failed', error: FAIL });
  });

  it('when cPanel answers Stale, then applying goes back to planned with the fresh snapshot, and only a re-plan may change the snapshot', () => {
    const id = bringTo(store, 'applying');
    const fresh = {
      serialBefore: '2024060105',
      removed: [staleLockdownRecord({ lineIndex: 30 })],
      added: [],
      plan: repairPlan('2024060105'),
    };
    expect(() => store.advance(id, 'planned')).toThrow(/replan/);
    store.advance(id, 'planned', { replan: fresh });
    expect(store.getChange(id)).toMatchObject({ status: 'planned', serialBefore: '2024060105', removed: fresh.removed });
    expect(() => store.advance(id, 'failed', { error: FAIL, replan: fresh })).toThrow(/re-plan/);
    const raw = new Database(path);
    expect(() => raw.prepare("UPDATE changes SET status = 'applying', removed_json = '[]' WHERE id = ?").run(id)).toThrow(/re-plan/);
    raw.close();
  });

  it('when the plan does not carry the serial read, then the change is refused', () => {
    expect(() => store.createChange(newRepair({ serialBefore: '1', plan: repairPlan('2') }))).toThrow(/serial/);
  });

  it('when listed with filters, then it returns matching changes newest first with paging', () => {
    store.createChange(newRepair());
    store.createChange(
      newRepair({ domain: 'other.org', zone: 'other.org', user: 'otheruser', plan: repairPlan('2024060101', 'other.org') }),
    );
    const third = store.createChange(newRepair());
    store.advance(third.id, 'failed', { error: FAIL });
    expect(store.listChanges().map((c) => c.id)).toEqual([3, 2, 1]);
    expect(store.listChanges({ domain: 'EXAMPLE.com' }).map((c) => c.id)).toEqual([3, 1]);
    expect(store.listChanges({ user: 'otheruser' }).map((c) => c.id)).toEqual([2]);
    expect(store.listChanges({ status: 'failed' }).map((c) => c.id)).toEqual([3]);
    expect(store.listChanges({ status: ['planned'], zone: 'example.com' }).map((c) => c.id)).toEqual([1]);
    expect(store.listChanges({ limit: 1, before: 3 }).map((c) => c.id)).toEqual([2]);
  });

  it('when some changes are left applying, then findApplying returns exactly those, oldest first', () => {
    const a = bringTo(store, 'applying');
    bringTo(store, 'applied');
    const c = bringTo(store, 'applying');
    expect(store.findApplying().map((ch) => ch.id)).toEqual([a, c]);
  });

  it('when an applied change is rolled back, then the rollback is a change of its own and both move in one transaction', () => {
    const original = bringTo(store, 'verified');
    const before = store.getChange(original)!;
    const rollback = store.createChange({
      actor: { kind: 'admin', name: 'root' },
      domain: before.domain,
      zone: before.zone,
      user: before.user,
      rollbackOf: original,
      serialBefore: '2024060102',
      removed: [staleLockdownRecord({ data: ['v=mc1 auth=webhostingm'], ttl: 300 })],
      added: before.removed.map((r) => ({ dname: r.dname, ttl: r.ttl, record_type: r.type, data: r.data })),
      plan: {
        zone: 'example.com',
        serial: '2024060102',
        remove: [],
        edit: [{ line_index: 21, dname: '_mailchannels', ttl: 14400, record_type: 'TXT', data: ['v=mc1 auth=oldhost'] }],
        add: [],
      },
    });
    expect(rollback.kind).toBe('rollback');
    store.advance(rollback.id, 'applying');
    store.transaction(() => {
      store.advance(rollback.id, 'applied', { serialAfter: '2024060103' });
      store.advance(original, 'rolled_back', {}, { by: { kind: 'admin', name: 'root' }, detail: { rollbackChangeId: rollback.id } });
    });
    expect(store.getChange(original)?.status).toBe('rolled_back');
    expect(store.listChanges({ rollbackOf: original }).map((c) => c.id)).toEqual([rollback.id]);
    expect(store.listAudit({ changeId: original, action: 'change.rolled_back' })[0]).toMatchObject({
      actor: { kind: 'admin', name: 'root' },
      detail: { rollbackChangeId: rollback.id },
    });
  });

  it('when a second rollback of the same change is started while one is live, then it is refused', () => {
    const original = bringTo(store, 'applied');
    const rollback = () =>
      store.createChange(newRepair({ rollbackOf: original, serialBefore: '2024060102', plan: repairPlan('2024060102') }));
    const first = rollback();
    expect(() => rollback()).toThrow(/already being rolled back/);
    store.advance(first.id, 'failed', { error: FAIL });
    expect(rollback().rollbackOf).toBe(original);
  });

  it('when a change never reached the zone, then it cannot be rolled back', () => {
    const { id } = store.createChange(newRepair());
    store.advance(id, 'failed', { error: FAIL });
    expect(() => store.advance(id, 'rolled_back')).toThrow(/never reached the zone/);
    expect(() => store.createChange(newRepair({ rollbackOf: id }))).toThrow(/nothing to roll back/);
  });

  it('when a step inside store.transaction throws, then nothing of it is kept', () => {
    const id = bringTo(store, 'applying');
    expect(() =>
      store.transaction(() => {
        store.advance(id, 'applied', { serialAfter: '9' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.getChange(id)?.status).toBe('applying');
    expect(store.listAudit({ changeId: id, action: 'change.applied' })).toEqual([]);
  });

  it('when someone deletes a change or rewrites who made it with raw SQL, then SQLite refuses', () => {
    const { id } = store.createChange(newRepair());
    const raw = new Database(path);
    expect(() => raw.prepare('DELETE FROM changes WHERE id = ?').run(id)).toThrow(/never deleted/);
    expect(() => raw.prepare("UPDATE changes SET domain = 'evil.com' WHERE id = ?").run(id)).toThrow(/fixed/);
    raw.close();
  });

  it('when the added records are located after the edit, then only their line may be recorded, and only once applied', () => {
    const { id } = store.createChange(
      newRepair({ added: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }] }),
    );
    const located = [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'], lineIndex: 40 }];
    expect(() => store.recordAdded(id, located)).toThrow(/not reached the zone/);
    store.advance(id, 'applying');
    store.advance(id, 'applied', { serialAfter: '2024060102' });
    expect(store.recordAdded(id, located).added).toEqual(located);
    expect(() => store.recordAdded(id, [{ ...located[0]!, data: ['v=mc1 auth=evil'] }])).toThrow(/fixed by its plan/);
    expect(() => store.advance(id, 'verified', { added: [] })).toThrow(/fixed by its plan/);
    expect(store.getChange(id)?.added).toEqual(located);
    expect(store.listAudit({ changeId: id, action: 'change.added_located' })[0]?.detail).toMatchObject({ lines: [40] });
  });

  it('when a verification report does not change the status, then it is still kept and audited', () => {
    const id = bringTo(store, 'applied');
    const pending = { state: 'pending', nameservers: [{ host: 'ns2.example.net', serial: '2024060101' }] };
    const change = store.recordVerification(id, pending);
    expect(change).toMatchObject({ status: 'applied', verification: pending });
    expect(store.listAudit({ changeId: id, action: 'change.verification_recorded' })[0]?.detail).toMatchObject({
      status: 'applied',
      state: 'pending',
    });
    const { id: early } = store.createChange(newRepair());
    expect(() => store.recordVerification(early, pending)).toThrow(/not reached the zone/);
  });

  it('when an unknown change is moved, then NOT_FOUND', () => {
    expect(() => store.transition(42, 'planned', 'backed_up')).toThrow(/does not exist/);
    expect(store.getChange(42)).toBeUndefined();
  });
});
