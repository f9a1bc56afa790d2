import { openStore, type ItemOutcome, type Store } from '../../../src/adapters/store';
import { createJobRunner, type ItemContext, type JobRunner } from '../../../src/usecases/jobs';

const admin = { kind: 'admin' as const, name: 'root' };

/** A handler whose items finish only when the test says so. */
function gatedHandler() {
  const waiting = new Map<string, (outcome: ItemOutcome) => void>();
  const started: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const handler = (ctx: ItemContext) =>
    new Promise<ItemOutcome>((resolve) => {
      started.push(ctx.item.key);
      running++;
      maxRunning = Math.max(maxRunning, running);
      ctx.progress('working', { key: ctx.item.key, note: 'first event' });
      waiting.set(ctx.item.key, (outcome) => {
        running--;
        resolve(outcome);
      });
    });
  return {
    handler,
    started,
    maxRunning: () => maxRunning,
    finish: (key: string, outcome: ItemOutcome = { status: 'done', result: { key } }) => {
      const f = waiting.get(key);
      if (!f) throw new Error(`${key} is not running`);
      waiting.delete(key);
      f(outcome);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('job runner', () => {
  let store: Store;
  let runner: JobRunner;
  beforeEach(() => {
    store = openStore(':memory:', { runnerId: 'this-process' });
    runner = createJobRunner({ queue: store });
  });
  afterEach(() => store.close());

  it('when a job is started, then it comes back queued at once and its items are worked in the background to done', async () => {
    runner.register('scan', async ({ item }) => ({ status: 'done', result: { seen: item.key } }));
    const job = runner.startJob('scan', ['a.com', 'b.com'], { users: ['alice'] }, admin);
    expect(job).toMatchObject({ kind: 'scan', status: 'queued', params: { users: ['alice'] } });
    expect(job.progress.pending).toBe(2);
    await runner.settled(job.id);
    expect(store.getJob(job.id)).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
    expect(store.listJobItems(job.id).map((i) => i.result)).toEqual([{ seen: 'a.com' }, { seen: 'b.com' }]);
  });

  it('when a handler throws, then that item is failed with the error and the other items still run', async () => {
    runner.register('bulk-fix', async ({ item }) => {
      if (item.key === 'bad.com') throw new Error('cPanel said no');
      return { status: 'done' };
    });
    const job = runner.startJob('bulk-fix', ['bad.com', 'good.com'], {}, admin);
    await runner.settled(job.id);
    const items = store.listJobItems(job.id);
    expect(items.map((i) => [i.key, i.status])).toEqual([
      ['bad.com', 'failed'],
      ['good.com', 'done'],
    ]);
    expect(items[0]!.result).toMatchObject({ error: { code: 'INTERNAL', message: 'cPanel said no' } });
    expect(store.getJob(job.id)?.status).toBe('done');
  });

  it('when a kind has no handler, then no job is created', () => {
    expect(() => runner.startJob('verify', ['a.com'], {}, admin)).toThrow(/No handler/);
    expect(store.listJobs()).toEqual([]);
  });

  it('when a job runs with concurrency 2, then never more than two items run at once, and progress events are live only while an item runs', async () => {
    const gate = gatedHandler();
    runner.register('bulk-fix', gate.handler, { concurrency: 2 });
    const job = runner.startJob('bulk-fix', ['a', 'b', 'c', 'd'], {}, admin);
    await until(() => gate.started.length === 2, 'two items');
    await tick();
    expect(gate.started).toEqual(['a', 'b']);
    expect(store.listJobItems(job.id, { status: 'running' }).map((i) => [i.key, i.step])).toEqual([
      ['a', 'working'],
      ['b', 'working'],
    ]);
    expect(runner.liveEvents(job.id, 1)).toEqual([{ key: 'a', note: 'first event' }]);
    gate.finish('a');
    await until(() => gate.started.length === 3, 'third item');
    expect(runner.liveEvents(job.id, 1)).toEqual([]);
    gate.finish('b');
    await until(() => gate.started.length === 4, 'fourth item');
    gate.finish('c');
    gate.finish('d');
    await runner.settled(job.id);
    expect(gate.maxRunning()).toBe(2);
    expect(store.getJob(job.id)?.progress).toMatchObject({ done: 4 });
  });

  it('when a job is cancelled, then pending items are cancelled and the running one finishes normally', async () => {
    const gate = gatedHandler();
    runner.register('bulk-fix', gate.handler);
    const job = runner.startJob('bulk-fix', ['a', 'b', 'c'], {}, admin);
    await until(() => gate.started.length === 1, 'first item');
    expect(runner.cancel(job.id, admin)).toBe(true);
    expect(store.getJob(job.id)?.status).toBe('cancelling');
    gate.finish('a');
    await runner.settled(job.id);
    expect(gate.started).toEqual(['a']);
    expect(store.listJobItems(job.id).map((i) => i.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(store.getJob(job.id)?.status).toBe('cancelled');
  });

  it('when draining with items running past the deadline, then no new item is claimed, the job is interrupted, and another process resumes only the unfinished items', async () => {
    const gate = gatedHandler();
    runner.register('bulk-fix', gate.handler);
    const job = runner.startJob('bulk-fix', ['a', 'b', 'c'], {}, admin);
    await until(() => gate.started.length === 1, 'first item');
    const report = await runner.drain(30);
    expect(report).toEqual({ finished: false, interrupted: [job.id] });
    expect(store.getJob(job.id)?.status).toBe('interrupted');
    expect(() => runner.startJob('bulk-fix', ['x'], {}, admin)).toThrow(/shutting down/);
    // The running item ends after the deadline: it is recorded, but nothing new is claimed.
    gate.finish('a');
    await runner.settled(job.id);
    expect(gate.started).toEqual(['a']);
    expect(store.listJobItems(job.id).map((i) => i.status)).toEqual(['done', 'pending', 'pending']);

    const next = createJobRunner({ queue: store });
    const seen: string[] = [];
    next.register('bulk-fix', async ({ item }) => {
      seen.push(item.key);
      return { status: 'done' };
    });
    expect(next.resume(job.id)).toBe(true);
    await next.settled(job.id);
    expect(seen).toEqual(['b', 'c']);
    expect(store.getJob(job.id)?.status).toBe('done');
  });

  it('when draining with nothing running, then it reports finished at once', async () => {
    runner.register('scan', async () => ({ status: 'done' }));
    const job = runner.startJob('scan', ['a'], {}, admin);
    await runner.settled(job.id);
    expect(await runner.drain(1000)).toEqual({ finished: true, interrupted: [] });
  });
});
