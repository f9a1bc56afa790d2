import { join } from 'path';
import { openStore, type ItemResolution, type JobItem, type Store } from '../../../src/adapters/store';
import { makeTempDir, useTempStore, newRepair, steppingClock } from './store-fixtures';

const admin = { kind: 'admin' as const, name: 'root' };
const KEYS = ['a.com', 'b.com', 'c.com', 'd.com'];

describe('job queue', () => {
  let path: string;
  let store: Store;
  useTempStore({ clock: steppingClock(), runnerId: 'first-process' }, (opened, at) => {
    store = opened;
    path = at;
  });

  const bulk = (keys = KEYS, dryRun = false) =>
    store.createJob({ kind: 'bulk-fix', actor: admin, params: { filter: { code: 'LOCKDOWN_STALE' } }, dryRun, keys });

  it('when a job is created, then it is queued with every item pending and progress counted from the items', () => {
    const job = bulk(KEYS, true);
    expect(job).toMatchObject({
      id: 1,
      kind: 'bulk-fix',
      status: 'queued',
      dryRun: true,
      actor: admin,
      params: { filter: { code: 'LOCKDOWN_STALE' } },
    });
    expect(job.progress).toEqual({ total: 4, pending: 4, running: 0, done: 0, failed: 0, skipped: 0, cancelled: 0 });
    expect(store.listJobItems(job.id).map((i) => [i.seq, i.key, i.status])).toEqual([
      [1, 'a.com', 'pending'],
      [2, 'b.com', 'pending'],
      [3, 'c.com', 'pending'],
      [4, 'd.com', 'pending'],
    ]);
    expect(store.listAudit({ jobId: job.id }).map((a) => a.action)).toEqual(['job.created']);
  });

  it('when the same key is listed twice, then no job is created at all', () => {
    expect(() => bulk(['a.com', 'b.com', 'a.com'])).toThrow(/twice/);
    expect(store.listJobs()).toEqual([]);
  });

  it('when a job has no items, then it is done at once', () => {
    expect(bulk([]).status).toBe('done');
  });

  it('when items are claimed, then they come in order, the job starts, and nothing is handed out twice', () => {
    const { id } = bulk();
    const claimed = [store.claimNextItem(id), store.claimNextItem(id)];
    expect(claimed.map((i) => i?.key)).toEqual(['a.com', 'b.com']);
    expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1, startedAt: expect.any(String) });
    expect(store.getJob(id)).toMatchObject({ status: 'running', runner: 'first-process', startedAt: expect.any(String) });
    expect(store.getJob(id)?.progress).toMatchObject({ pending: 2, running: 2 });
  });

  it('when two processes claim from the same job, then each item goes to exactly one of them', () => {
    const { id } = bulk(Array.from({ length: 50 }, (_, i) => `d${i}.com`));
    const other = openStore(path, { runnerId: 'second-process' });
    try {
      const seen: string[] = [];
      for (;;) {
        const a = store.claimNextItem(id);
        const b = other.claimNextItem(id);
        if (!a && !b) break;
        for (const item of [a, b]) if (item) seen.push(item.key);
      }
      expect(seen).toHaveLength(50);
      expect(new Set(seen).size).toBe(50);
    } finally {
      other.close();
    }
  });

  it('when every item is finished, then the job is done and the outcome of each item is kept', () => {
    const { id } = bulk(['a.com', 'b.com', 'c.com']);
    const change = store.createChange(newRepair({ jobId: id }));
    const a = store.claimNextItem(id)!;
    const b = store.claimNextItem(id)!;
    const c = store.claimNextItem(id)!;
    expect(store.finishItem(id, a.seq, { status: 'done', result: { fixed: true }, changeId: change.id })).toBe(true);
    expect(store.finishItem(id, b.seq, { status: 'failed', result: { error: 'STALE_SERIAL' } })).toBe(true);
    expect(store.getJob(id)?.status).toBe('running');
    expect(store.finishItem(id, c.seq, { status: 'skipped', result: { reason: 'already ok' } })).toBe(true);
    const job = store.getJob(id)!;
    expect(job.status).toBe('done');
    expect(job.finishedAt).toBeDefined();
    expect(job.progress).toEqual({ total: 3, pending: 0, running: 0, done: 1, failed: 1, skipped: 1, cancelled: 0 });
    expect(store.listJobItems(id)[0]).toMatchObject({ status: 'done', result: { fixed: true }, changeId: change.id });
    expect(store.listJobItems(id, { status: 'failed' }).map((i) => i.key)).toEqual(['b.com']);
  });

  it('when an item that is not running is finished, then nothing changes', () => {
    const { id } = bulk();
    expect(store.finishItem(id, 1, { status: 'done' })).toBe(false);
    const item = store.claimNextItem(id)!;
    store.finishItem(id, item.seq, { status: 'done', result: 1 });
    expect(store.finishItem(id, item.seq, { status: 'failed', result: 2 })).toBe(false);
    expect(store.listJobItems(id)[0]).toMatchObject({ status: 'done', result: 1 });
  });

  it('when a running item reports its step and its change, then the page can see them', () => {
    const { id } = bulk();
    const item = store.claimNextItem(id)!;
    const change = store.createChange(newRepair({ jobId: id }));
    expect(store.setItemStep(id, item.seq, 'backup')).toBe(true);
    expect(store.setItemChange(id, item.seq, change.id)).toBe(true);
    expect(store.listJobItems(id)[0]).toMatchObject({ step: 'backup', changeId: change.id });
    expect(store.setItemStep(id, 2, 'backup')).toBe(false); // not running
  });

  it('when a job is cancelled, then pending items are cancelled, running ones finish, and then it is cancelled', () => {
    const { id } = bulk();
    const running = store.claimNextItem(id)!;
    expect(store.cancelJob(id, admin)).toBe(true);
    expect(store.getJob(id)?.status).toBe('cancelling');
    expect(store.claimNextItem(id)).toBeUndefined();
    expect(store.getJob(id)?.progress).toMatchObject({ running: 1, cancelled: 3, pending: 0 });
    store.finishItem(id, running.seq, { status: 'done' });
    expect(store.getJob(id)).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String) });
    expect(store.cancelJob(id, admin)).toBe(false);
    expect(store.listAudit({ jobId: id }).map((a) => a.action)).toEqual([
      'job.cancelled',
      'job.cancel_requested',
      'job.running',
      'job.created',
    ]);
  });

  it('when a queued job is cancelled, then it is cancelled at once', () => {
    const { id } = bulk();
    store.cancelJob(id, admin);
    expect(store.getJob(id)?.status).toBe('cancelled');
  });

  it('when a job fails as a whole, then its pending items are cancelled and the error is kept', () => {
    const { id } = bulk();
    store.claimNextItem(id);
    const error = { code: 'AUTHENTICATION', step: 'read', message: 'token refused' };
    expect(store.failJob(id, error, admin)).toBe(true);
    expect(store.getJob(id)).toMatchObject({ status: 'failed', error, progress: { running: 1, cancelled: 3 } });
  });

  it('when jobs are listed, then newest come first and filters apply', () => {
    bulk();
    store.createJob({ kind: 'scan', actor: admin, keys: ['x.com'] });
    expect(store.listJobs().map((j) => j.kind)).toEqual(['scan', 'bulk-fix']);
    expect(store.listJobs({ kind: 'bulk-fix' }).map((j) => j.id)).toEqual([1]);
    expect(store.listJobs({ status: 'queued', limit: 1 }).map((j) => j.id)).toEqual([2]);
  });
});

describe('job recovery after a crash', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let path: string;
  beforeEach(() => {
    tmp = makeTempDir();
    path = join(tmp.dir, 'journal.db');
  });
  afterEach(() => tmp.cleanup());

  /**
   * The crashed process: a.com finished, b.com applied its change then died, c.com claimed but died
   * before any change, d.com and e.com never started.
   */
  function crashMidJob(): { jobId: number; appliedChangeId: number } {
    const crashed = openStore(path, { runnerId: 'dead-process' });
    const { id: jobId } = crashed.createJob({ kind: 'bulk-fix', actor: admin, keys: ['a.com', 'b.com', 'c.com', 'd.com', 'e.com'] });
    const a = crashed.claimNextItem(jobId)!;
    crashed.finishItem(jobId, a.seq, { status: 'done', result: { fixed: true } });
    const b = crashed.claimNextItem(jobId)!;
    const change = crashed.transaction(() => {
      const c = crashed.createChange(newRepair({ domain: 'b.com', zone: 'b.com', plan: { ...newRepair().plan, zone: 'b.com' }, jobId }));
      crashed.setItemChange(jobId, b.seq, c.id);
      return c;
    });
    crashed.advance(change.id, 'applying');
    crashed.claimNextItem(jobId); // c.com
    crashed.close(); // no interruptRunningJobs: the process died
    return { jobId, appliedChangeId: change.id };
  }

  it('when the daemon restarts, then only the unfinished items are reconciled, and resume neither repeats nor skips a zone', async () => {
    const { jobId, appliedChangeId } = crashMidJob();
    const store = openStore(path, { runnerId: 'new-daemon' });
    try {
      const asked: JobItem[] = [];
      const report = await store.recoverInterrupted((item): ItemResolution => {
        asked.push(item);
        if (item.changeId === undefined) return { status: 'pending' }; // no change: nothing was sent to cPanel
        // the repair layer read the zone: the edit is there
        store.advance(item.changeId, 'applied', { serialAfter: '2024060102' }, { by: { kind: 'system', name: 'reconcile' } });
        return { status: 'done', result: { reconciled: 'applied' } };
      });
      expect(asked.map((i) => [i.key, i.changeId])).toEqual([
        ['b.com', appliedChangeId],
        ['c.com', undefined],
      ]);
      expect(report.requeued.map((i) => i.key)).toEqual(['c.com']);
      expect(report.finished.map((i) => [i.key, i.status])).toEqual([['b.com', 'done']]);
      expect(report.jobs.map((j) => [j.id, j.status])).toEqual([[jobId, 'interrupted']]);
      expect(store.getChange(appliedChangeId)?.status).toBe('applied');

      expect(store.claimNextItem(jobId)).toBeUndefined(); // not before an explicit resume
      expect(store.resumeJob(jobId)).toBe(true);
      const order: string[] = [];
      for (let item = store.claimNextItem(jobId); item; item = store.claimNextItem(jobId)) {
        order.push(item.key);
        store.finishItem(jobId, item.seq, { status: 'done' });
      }
      expect(order).toEqual(['c.com', 'd.com', 'e.com']);
      const job = store.getJob(jobId)!;
      expect(job).toMatchObject({ status: 'done', runner: 'new-daemon', progress: { total: 5, done: 5 } });
      expect(store.listJobItems(jobId).find((i) => i.key === 'c.com')?.attempts).toBe(2);
    } finally {
      store.close();
    }
  });

  it('when the runner of a job is still alive, then recovery leaves its work alone', async () => {
    const { jobId } = crashMidJob();
    const store = openStore(path, { runnerId: 'new-daemon' });
    try {
      const reconcile = jest.fn((): ItemResolution => ({ status: 'pending' }));
      const report = await store.recoverInterrupted(reconcile, { isRunnerAlive: () => true });
      expect(reconcile).not.toHaveBeenCalled();
      expect(report.jobs).toEqual([]);
      expect(store.getJob(jobId)?.status).toBe('running');
    } finally {
      store.close();
    }
  });

  it('when reconciling an item fails, then it stays running and the job cannot be resumed until a later recovery settles it', async () => {
    const { jobId } = crashMidJob();
    const store = openStore(path, { runnerId: 'new-daemon' });
    try {
      const report = await store.recoverInterrupted((item) => {
        if (item.key === 'b.com') throw new Error('cPanel unreachable');
        return { status: 'pending' };
      });
      expect(report.unresolved.map((u) => [u.item.key, u.error])).toEqual([['b.com', 'cPanel unreachable']]);
      expect(() => store.resumeJob(jobId)).toThrow(/outcome is unknown/);
      const again = await store.recoverInterrupted(() => ({ status: 'failed', result: { error: 'not applied' } }));
      expect(again.finished.map((i) => i.key)).toEqual(['b.com']);
      expect(store.resumeJob(jobId)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('when the job was being cancelled at the crash, then unfinished items are cancelled, not requeued, and the job ends cancelled', async () => {
    const crashed = openStore(path, { runnerId: 'dead-process' });
    const { id } = crashed.createJob({ kind: 'bulk-fix', actor: admin, keys: ['a.com', 'b.com'] });
    crashed.claimNextItem(id);
    crashed.cancelJob(id, admin);
    crashed.close();
    const store = openStore(path, { runnerId: 'new-daemon' });
    try {
      await store.recoverInterrupted(() => ({ status: 'pending' }));
      expect(store.getJob(id)).toMatchObject({ status: 'cancelled', progress: { cancelled: 2 } });
    } finally {
      store.close();
    }
  });

  it('when the daemon shuts down gracefully, then its running jobs are interrupted and resumable after the restart', async () => {
    const daemon = openStore(path, { runnerId: 'old-daemon' });
    const { id } = daemon.createJob({ kind: 'scan', actor: admin, keys: ['a.com', 'b.com'] });
    const a = daemon.claimNextItem(id)!;
    daemon.finishItem(id, a.seq, { status: 'done' });
    expect(daemon.interruptRunningJobs()).toEqual([id]);
    expect(daemon.getJob(id)?.status).toBe('interrupted');
    daemon.close();
    const store = openStore(path, { runnerId: 'new-daemon' });
    try {
      const report = await store.recoverInterrupted(() => ({ status: 'pending' }));
      expect(report.jobs.map((j) => [j.id, j.status])).toEqual([[id, 'interrupted']]);
      store.resumeJob(id);
      expect(store.claimNextItem(id)?.key).toBe('b.com');
    } finally {
      store.close();
    }
  });
});
