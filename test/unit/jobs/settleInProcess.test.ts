/**
 * A journal write that fails around a zone edit (a locked or full database) must not leave the job
 * `running` until a restart: the runner reads the zone of the item's change, settles the change as
 * start-up reconciliation would, records the item as failed with what the zone holds, and retries
 * recording the item while the store refuses it. Nothing is ever sent twice.
 */
import type { Store } from '../../../src/adapters/store';
import { createJobRunner, registerChangeJobs } from '../../../src/usecases/jobs';
import { reconcileInterruptedChanges, repairDomain, rollbackChange, settleChangeFromZone } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { txtValue } from '../../../src/zone/model';
import { makeHarness } from '../repair/harness';

const USER = { kind: 'user' as const, name: 'alice' };
const noWait = async () => undefined;

/** The store, with the next calls of `method` (whose arguments match `when`) refused like SQLite under a lock. */
function refusing(store: Store, rules: Array<{ method: keyof Store; times: number; when?: (args: unknown[]) => boolean }>): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const rule = rules.find((r) => r.method === prop && r.times > 0 && (r.when?.(args) ?? true));
        if (rule) {
          rule.times--;
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function lockdownValues(text: string): string[] {
  return parseZoneFile(text, 'example.com')
    .records.filter((r) => r.type === 'TXT' && r.name === '_mailchannels.example.com.')
    .map(txtValue);
}

async function runRepairJob(h: ReturnType<typeof makeHarness>, store: Store) {
  const ctx = { ...h.ctx, journal: store };
  const runner = createJobRunner({
    queue: store,
    settleChange: (id) => settleChangeFromZone(ctx, id, { sleep: noWait }),
    sleep: noWait,
  });
  registerChangeJobs(runner, { context: () => ctx });
  const job = runner.startJob('repair', ['example.com'], { asUser: 'alice' }, USER);
  await runner.settled(job.id);
  const [item] = h.store.listJobItems(job.id);
  return { job: h.store.getJob(job.id)!, item: item!, result: item!.result as any };
}

describe('job runner, when the journal fails around the zone edit', () => {
  it('when the write to "applied" and then the item record are refused after the edit landed, then the job ends failed with the zone state and the change is settled as applied', async () => {
    const h = makeHarness();
    const store = refusing(h.store, [
      { method: 'advance', times: 1, when: (args) => args[1] === 'applied' },
      { method: 'finishItem', times: 2 },
    ]);
    const { job, item, result } = await runRepairJob(h, store);

    expect(job.status).toBe('done');
    expect(item.status).toBe('failed');
    expect(result.zone).toMatchObject({ zone: 'landed', recorded: true, serial: '2026112800' });
    expect(result.message).toMatch(/reached zone example\.com \(serial 2026112800\)/);
    const change = h.store.getChange(result.changeId)!;
    expect(change).toMatchObject({ status: 'applied', serialAfter: '2026112800' });
    expect(item.changeId).toBe(change.id);
    expect(h.store.findApplying()).toEqual([]);
    expect(h.cpanel.writes).toHaveLength(1);
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when the write to "applying" is refused, then nothing was sent, the change is closed as failed and the job ends', async () => {
    const h = makeHarness();
    const before = h.cpanel.text('example.com');
    const store = refusing(h.store, [{ method: 'advance', times: 1, when: (args) => args[1] === 'applying' }]);
    const { job, item, result } = await runRepairJob(h, store);

    expect(job.status).toBe('done');
    expect(item.status).toBe('failed');
    expect(result.zone).toMatchObject({ zone: 'not-landed', recorded: true });
    expect(h.store.getChange(result.changeId)!.status).toBe('failed');
    expect(h.cpanel.writes).toHaveLength(0);
    expect(h.cpanel.text('example.com')).toBe(before);
  });

  it('when the zone cannot be read either, then the job still ends, saying the change is settled at the next start', async () => {
    const h = makeHarness();
    const store = refusing(h.store, [{ method: 'advance', times: 1, when: (args) => args[1] === 'applied' }]);
    // The re-read after the edit (to locate the records) works; the settle's read then fails.
    const read = h.cpanel.readZone.bind(h.cpanel);
    let reads = 0;
    h.cpanel.readZone = async (zone) => {
      reads++;
      if (reads > 2) throw new Error('connection refused (test)');
      return read(zone);
    };
    const { job, item, result } = await runRepairJob(h, store);

    expect(job.status).toBe('done');
    expect(item.status).toBe('failed');
    expect(result.zone).toMatchObject({ zone: 'unknown', recorded: false });
    expect(result.message).toMatch(/next starts/);
    // Left for start-up reconciliation, which reads the zone again.
    expect(h.store.findApplying().map((c) => c.id)).toEqual([result.changeId]);
  });

  it('when the store refuses the item record every time, then the worker still stops (no hang) and the item is left for recovery', async () => {
    const h = makeHarness();
    const logs: Array<Record<string, unknown>> = [];
    const store = refusing(h.store, [{ method: 'finishItem', times: 100 }]);
    const runner = createJobRunner({ queue: store, sleep: noWait, finishRetryDelaysMs: [1, 1, 1], log: (e) => logs.push(e) });
    registerChangeJobs(runner, { context: () => ({ ...h.ctx, journal: store }) });
    const job = runner.startJob('repair', ['example.com'], {}, USER);
    await runner.settled(job.id);
    expect(runner.active()).toEqual([]);
    expect(logs.filter((e) => e.msg === 'recording a finished job item failed; trying again')).toHaveLength(3);
    expect(logs.some((e) => e.msg === 'could not record a finished job item')).toBe(true);
  });
});

describe('settling an undo from its zone', () => {
  it('when an undo landed but the process died before recording it, then reconciliation also closes the change it undid', async () => {
    const h = makeHarness();
    const repaired = await repairDomain(h.ctx, { domain: 'example.com', actor: USER, verifyOptions: { waitMs: 0, intervalMs: 1 } });
    h.cpanel.writeFaults = ['hang-after-apply'];
    void rollbackChange(h.ctx, { changeId: repaired.changeId!, actor: USER });
    await new Promise((r) => setTimeout(r, 50));
    const [undo] = h.store.findApplying();
    expect(undo).toMatchObject({ kind: 'rollback', rollbackOf: repaired.changeId });

    const report = await reconcileInterruptedChanges(h.ctx);
    expect(report.applied.map((c) => c.id)).toEqual([undo!.id]);
    expect(h.store.getChange(repaired.changeId!)!.status).toBe('rolled_back');
    expect(lockdownValues(h.cpanel.text('example.com'))).toEqual(['v=mc1 auth=oldhost']);
  });
});
