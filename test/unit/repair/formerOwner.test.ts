/**
 * Only the domain's owner *now* acts on its changes: after a domain moves to another account, the
 * account that made a change can neither undo it nor restore its backup, the new owner can, and root
 * always can. Checked inside the use case, so a rollback job queued before the move is refused too.
 */
import { openStore } from '../../../src/adapters/store';
import { createJobRunner, registerChangeJobs } from '../../../src/usecases/jobs';
import { repairDomain, restoreFromBackup, rollbackChange } from '../../../src/usecases/repair';
import { ACTOR, FAST_VERIFY, makeHarness } from './harness';

/** other.org (bob's) repaired by bob, then moved to carol's account. */
async function movedAfterRepair() {
  const h = makeHarness();
  const repaired = await repairDomain(h.ctx, { domain: 'other.org', actor: ACTOR, asUser: 'bob', verifyOptions: FAST_VERIFY });
  expect(repaired.status).toBe('verified');
  const entry = h.cpanel.domains.find((d) => d.domain === 'other.org')!;
  entry.user = 'carol';
  return { h, changeId: repaired.changeId!, fixed: h.cpanel.text('other.org') };
}

describe('a change whose domain moved to another account', () => {
  it('when its former owner asks to undo it, then it is refused as not found and the zone is not written', async () => {
    const { h, changeId, fixed } = await movedAfterRepair();
    const writes = h.cpanel.writes.length;
    await expect(rollbackChange(h.ctx, { changeId, actor: ACTOR, asUser: 'bob', verifyOptions: FAST_VERIFY })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(restoreFromBackup(h.ctx, { changeId, actor: ACTOR, asUser: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(h.cpanel.writes).toHaveLength(writes);
    expect(h.backups.restored).toEqual([]);
    expect(h.cpanel.text('other.org')).toBe(fixed);
    expect(h.store.getChange(changeId)!.status).toBe('verified');
  });

  it('when the new owner undoes it, then it is undone and the undo is recorded under the new owner', async () => {
    const { h, changeId } = await movedAfterRepair();
    const undone = await rollbackChange(h.ctx, { changeId, actor: ACTOR, asUser: 'carol', verifyOptions: FAST_VERIFY });
    expect(undone.status).toBe('verified');
    expect(undone.rollback).toMatchObject({ user: 'carol', domain: 'other.org', rollbackOf: changeId });
  });

  it('when root undoes it, then it is undone', async () => {
    const { h, changeId } = await movedAfterRepair();
    expect((await rollbackChange(h.ctx, { changeId, actor: ACTOR, verifyOptions: FAST_VERIFY })).status).toBe('verified');
  });

  it('when the domain moved into another zone, then even an owner of the same name may not undo the change', async () => {
    const { h, changeId } = await movedAfterRepair();
    const entry = h.cpanel.domains.find((d) => d.domain === 'other.org')!;
    entry.user = 'bob';
    entry.zone = 'example.com';
    await expect(rollbackChange(h.ctx, { changeId, actor: ACTOR, asUser: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('when a rollback job was queued before the move and runs after it, then its item fails and the zone is not written', async () => {
    const h = makeHarness();
    const store = openStore(':memory:');
    const runner = createJobRunner({ queue: store });
    registerChangeJobs(runner, { context: () => h.ctx });
    const repaired = await repairDomain(h.ctx, { domain: 'other.org', actor: ACTOR, asUser: 'bob', verifyOptions: FAST_VERIFY });
    const writes = h.cpanel.writes.length;
    // The route checked bob's ownership and queued the job; the domain moves before a worker takes it.
    const job = runner.startJob('rollback', ['other.org'], { changeId: repaired.changeId, asUser: 'bob' }, { kind: 'user', name: 'bob' });
    h.cpanel.domains.find((d) => d.domain === 'other.org')!.user = 'carol';
    await runner.settled(job.id);
    expect(store.listJobItems(job.id).map((i) => [i.status, (i.result as any)?.error?.code])).toEqual([['failed', 'NOT_FOUND']]);
    expect(h.cpanel.writes).toHaveLength(writes);
    store.close();
  });
});
