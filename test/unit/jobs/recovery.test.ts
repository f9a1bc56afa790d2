import { openStore, type Store } from '../../../src/adapters/store';
import { reconcileItemFromJournal } from '../../../src/usecases/jobs';
import { newRepair, repairPlan, staleLockdownRecord } from '../store/store-fixtures';

const admin = { kind: 'admin' as const, name: 'root' };
const dead = { isRunnerAlive: () => false };

describe('job recovery from the journal', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:', { runnerId: 'crashed-process' });
  });
  afterEach(() => store.close());

  /** A bulk job whose items a.com…d.com were all claimed by a process that then died. */
  function crashedJob() {
    const job = store.createJob({ kind: 'bulk-fix', actor: admin, keys: ['a.com', 'b.com', 'c.com', 'd.com'] });
    for (let i = 0; i < 4; i++) store.claimNextItem(job.id);
    const change = (domain: string) =>
      store.createChange(
        newRepair({
          domain,
          zone: domain,
          jobId: job.id,
          plan: repairPlan('2024060101', domain),
          removed: [staleLockdownRecord({ name: `_mailchannels.${domain}.` })],
        }),
      );
    const applied = change('a.com');
    store.advance(applied.id, 'applying');
    store.advance(applied.id, 'applied', { serialAfter: '2024060102' });
    const backedUp = change('b.com');
    store.advance(backedUp.id, 'backed_up', { backup: { skipped: true, warning: 'off' } });
    const uncertain = change('c.com');
    store.advance(uncertain.id, 'applying');
    return { job, applied, backedUp, uncertain };
  }

  it("when an item's change reached the zone, then the item is done; when it never was sent, then the change is closed and the item runs again; when it is still uncertain, then the item stays unresolved", async () => {
    const { job, applied, backedUp, uncertain } = crashedJob();
    const report = await store.recoverInterrupted(reconcileItemFromJournal(store), dead);
    const items = store.listJobItems(job.id);
    expect(items.map((i) => [i.key, i.status])).toEqual([
      ['a.com', 'done'],
      ['b.com', 'pending'],
      ['c.com', 'running'],
      ['d.com', 'pending'],
    ]);
    expect(items[0]).toMatchObject({ changeId: applied.id, result: { status: 'applied', recovered: true } });
    expect(store.getChange(backedUp.id)).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(store.getChange(uncertain.id)?.status).toBe('applying');
    expect(report.unresolved.map((u) => u.item.key)).toEqual(['c.com']);
    expect(report.unresolved[0]!.error).toMatch(new RegExp(`change ${uncertain.id}`));
  });

  it('when the job was a dry run, then every item is simply worked again', async () => {
    const job = store.createJob({ kind: 'bulk-fix', actor: admin, keys: ['a.com'], dryRun: true });
    store.claimNextItem(job.id);
    await store.recoverInterrupted(reconcileItemFromJournal(store), dead);
    expect(store.listJobItems(job.id).map((i) => i.status)).toEqual(['pending']);
  });
});
