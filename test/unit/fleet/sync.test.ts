/**
 * A server's side of the fleet on a real SQLite store: the triggers feed the outbox only while
 * enrolled, entries are pushed in order and dropped only once acknowledged, a failed push loses
 * nothing, a controller that lost data gets everything again, and repair requests are decided once.
 */
import { openStore, type Store } from '../../../src/adapters/store';
import type { FleetLink } from '../../../src/adapters/fleet';
import type { OutboxEntry, PullAnswer, PushBody, RepairRequest } from '../../../src/fleet/protocol';
import { syncWithController, type SyncDeps } from '../../../src/usecases/fleet';
import type { DomainDiagnosis } from '../../../src/usecases/inspect';
import { domainReport } from '../../../src/usecases/report';
import { finding } from '../../../src/checks/findings';
import { newRepair } from '../store/store-fixtures';

const clock = { now: () => new Date('2026-01-02T03:04:05.000Z') };

function scan(store: Store, domain: string, status: 'ok' | 'error', at = '2026-01-02T00:00:00.000Z') {
  store.upsertScanResult({
    domain,
    zone: domain,
    user: 'alice',
    owner: 'root',
    status,
    codes: status === 'ok' ? ['LOCKDOWN_OK'] : ['LOCKDOWN_STALE'],
    report: {
      findings: [
        {
          code: status === 'ok' ? 'LOCKDOWN_OK' : 'LOCKDOWN_STALE',
          severity: status,
          check: 'lockdown',
          message: `${domain} is ${status}`,
        },
      ],
    },
    scannedAt: at,
  });
}

/** A controller double that applies entries by sequence number like the real one (store/ingest.ts). */
function controllerDouble() {
  let lastSeq = 0;
  const applied: OutboxEntry[] = [];
  const pushes: PushBody[] = [];
  let failNext = false;
  let requests: RepairRequest[] = [];
  const link: FleetLink = {
    async push(body) {
      pushes.push(body);
      if (failNext) {
        failNext = false;
        throw new Error('connection reset');
      }
      const previousSeq = lastSeq;
      for (const e of body.entries) {
        if (e.seq <= lastSeq) continue;
        applied.push(e);
        lastSeq = e.seq;
      }
      return { ackedSeq: lastSeq, previousSeq };
    },
    async pull(): Promise<PullAnswer> {
      const out = requests;
      return { requests: out, pollSeconds: 30 };
    },
  };
  return {
    link,
    applied,
    pushes,
    failOnce: () => (failNext = true),
    loseEverything: () => ((lastSeq = 0), applied.splice(0)),
    offer: (r: RepairRequest[]) => (requests = r),
  };
}

function deps(store: Store, link: FleetLink, extra: Partial<SyncDeps> = {}): SyncDeps {
  return {
    outbox: store.fleet,
    transaction: (fn) => store.transaction(fn),
    clock,
    link,
    info: { hostname: 'web1.example', version: 'test' },
    diagnose: async () => null,
    startRepairJob: () => {
      throw new Error('no job expected');
    },
    getJob: (id) => store.getJob(id),
    listJobItems: (id) => store.listJobItems(id),
    ...extra,
  };
}

const domainsOf = (entries: OutboxEntry[]) => entries.flatMap((e) => (e.kind === 'domains' ? e.rows.map((r) => r.domain) : []));

describe('fleet sync on the server', () => {
  let store: Store;
  beforeEach(() => (store = openStore(':memory:')));
  afterEach(() => store.close());

  it('when the server is not enrolled, then scans leave no mark; once enrolled, the first push carries what was there and later scans follow', async () => {
    scan(store, 'before.example', 'error');
    expect(store.fleet.takeDirty('domain', 10)).toEqual([]);
    store.fleet.enableFleetFeed();
    scan(store, 'after.example', 'ok');
    const c = controllerDouble();
    await syncWithController(deps(store, c.link), { pull: false });
    expect(domainsOf(c.applied).sort()).toEqual(['after.example', 'before.example']);
    const row = c.applied.flatMap((e) => (e.kind === 'domains' ? e.rows : [])).find((r) => r.domain === 'before.example')!;
    expect(row).toMatchObject({
      status: 'error',
      codes: ['LOCKDOWN_STALE'],
      findings: [{ code: 'LOCKDOWN_STALE', message: 'before.example is error' }],
    });

    scan(store, 'after.example', 'error', '2026-01-02T01:00:00.000Z');
    await syncWithController(deps(store, c.link), { pull: false });
    expect(domainsOf(c.applied.slice(-1))).toEqual(['after.example']);
    expect(store.fleet.outboxSize()).toBe(0);
  });

  it('when the feed is off, then writes are not marked', () => {
    store.fleet.enableFleetFeed();
    store.fleet.disableFleetFeed();
    scan(store, 'quiet.example', 'ok');
    expect(store.fleet.takeDirty('domain', 10)).toEqual([]);
  });

  it('when a domain disappears from the scan results, then the controller is told to forget it', async () => {
    store.fleet.enableFleetFeed();
    scan(store, 'gone.example', 'ok', '2026-01-01T00:00:00.000Z');
    const c = controllerDouble();
    await syncWithController(deps(store, c.link), { pull: false });
    store.pruneScanResults('2026-01-01T12:00:00.000Z');
    await syncWithController(deps(store, c.link), { pull: false });
    expect(c.applied.at(-1)).toMatchObject({ kind: 'domains-removed', domains: ['gone.example'] });
  });

  it('when a change is journalled and moves on, then its latest state is pushed with the record values', async () => {
    store.fleet.enableFleetFeed();
    const change = store.createChange(newRepair());
    const c = controllerDouble();
    await syncWithController(deps(store, c.link), { pull: false });
    const rows = c.applied.flatMap((e) => (e.kind === 'changes' ? e.rows : []));
    expect(rows).toEqual([
      expect.objectContaining({
        id: change.id,
        domain: 'example.com',
        status: 'planned',
        before: ['v=mc1 auth=oldhost'],
        after: ['v=mc1 auth=webhostingm'],
      }),
    ]);
  });

  it('when a push fails, then nothing is dropped and the next exchange sends the same entries, applied once', async () => {
    store.fleet.enableFleetFeed();
    scan(store, 'a.example', 'error');
    const c = controllerDouble();
    c.failOnce();
    await expect(syncWithController(deps(store, c.link), { pull: false })).rejects.toThrow('connection reset');
    expect(store.fleet.outboxSize()).toBe(1);
    await syncWithController(deps(store, c.link), { pull: false });
    expect(c.pushes).toHaveLength(2);
    expect(c.pushes[0]!.entries.map((e) => e.seq)).toEqual(c.pushes[1]!.entries.map((e) => e.seq));
    expect(domainsOf(c.applied)).toEqual(['a.example']);
    expect(store.fleet.outboxSize()).toBe(0);
  });

  it('when the controller answers that it lost what it had acknowledged, then the server sends everything again', async () => {
    store.fleet.enableFleetFeed();
    scan(store, 'a.example', 'error');
    scan(store, 'b.example', 'ok');
    const c = controllerDouble();
    await syncWithController(deps(store, c.link), { pull: false });
    c.loseEverything();
    const report = await syncWithController(deps(store, c.link), { pull: false });
    expect(report.resynced).toBe(false);
    scan(store, 'c.example', 'ok');
    const again = await syncWithController(deps(store, c.link), { pull: false });
    expect(again.resynced).toBe(true);
    await syncWithController(deps(store, c.link), { pull: false });
    expect(new Set(domainsOf(c.applied))).toEqual(new Set(['a.example', 'b.example', 'c.example']));
  });

  it('when a request is pulled twice, then it is decided once and its answer is pushed once', async () => {
    store.fleet.enableFleetFeed();
    const c = controllerDouble();
    const request = { itemId: 5, repairId: 2, domain: 'a.example', requestedBy: 'ops', requestedAt: clock.now().toISOString() };
    c.offer([request]);
    let diagnoses = 0;
    const report = domainReport({
      domain: 'a.example',
      zone: 'a.example',
      findings: [finding('LOCKDOWN_BLOCK_ALL', 'lockdown', 'blocks all')],
      plan: null,
    });
    const d = deps(store, c.link, {
      diagnose: async (): Promise<DomainDiagnosis> => {
        diagnoses++;
        return { info: { domain: 'a.example', user: 'alice', owner: 'root', type: 'main', zone: 'a.example' }, report };
      },
    });
    await syncWithController(d, { pull: true });
    await syncWithController(d, { pull: true });
    expect(diagnoses).toBe(1);
    const answers = c.applied.filter((e) => e.kind === 'request');
    expect(answers).toEqual([
      expect.objectContaining({ outcome: expect.objectContaining({ itemId: 5, state: 'refused', reason: 'BLOCK_ALL' }) }),
    ]);
  });
});
