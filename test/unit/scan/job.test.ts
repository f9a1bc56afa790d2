/** The scan as a job: slices of zones as items, every domain stored once, zones added since the start still scanned. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fileScanSource } from '../../../src/adapters/fastpath';
import { openStore } from '../../../src/adapters/store';
import { parseConfig } from '../../../src/config';
import { createJobRunner } from '../../../src/usecases/jobs';
import { inSlice, inThreadDiagnoser, registerScanJobs, sliceBounds, startScan } from '../../../src/usecases/scan';
import { writeServerFiles } from '../../fixtures/bulk/synthetic';

const admin = { kind: 'admin' as const, name: 'root' };
const config = parseConfig({ provider: { authId: 'webhostingm' } });

describe('slices', () => {
  it('when zones are cut into slices, then every zone name — listed or new — falls in exactly one slice', () => {
    const zones = ['b.example', 'd.example', 'f.example', 'h.example', 'j.example'];
    const bounds = sliceBounds(zones, 2);
    expect(bounds).toEqual(['b.example', 'f.example', 'j.example']);
    for (const zone of [...zones, 'a.example', 'c.example', 'g.example', 'z.example']) {
      expect(bounds.map((_b, i) => inSlice(zone, bounds, i)).filter(Boolean)).toHaveLength(1);
    }
    expect(inSlice('a.example', bounds, 0)).toBe(true);
    expect(inSlice('z.example', bounds, 2)).toBe(true);
  });
});

describe('scan job', () => {
  it('when a scan job runs over the server, then it has one item per slice and stores every domain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fea-scanjob-'));
    const store = openStore(':memory:');
    try {
      const { paths, summary } = writeServerFiles(dir, { accounts: 30 });
      const source = fileScanSource(paths);
      const runner = createJobRunner({ queue: store });
      registerScanJobs(runner, {
        context: async () => ({ source, diagnoser: inThreadDiagnoser(config), scans: store, clock: { now: () => new Date() } }),
      });
      const job = await startScan({ runner, source }, admin, { sliceZones: 10 });
      expect(job.progress.total).toBe(Math.ceil(summary.zones / 10));
      await runner.settled(job.id);
      expect(store.getJob(job.id)).toMatchObject({ status: 'done', progress: { done: job.progress.total } });
      expect(store.scanSummary().total).toBe(summary.domains);
      const results = store.listJobItems(job.id).map((i) => i.result as { zones: number; domains: number });
      expect(results.reduce((n, r) => n + r.zones, 0)).toBe(summary.zones);
      expect(results.reduce((n, r) => n + r.domains, 0)).toBe(summary.domains);
      expect((store.listJobItems(job.id)[0]!.result as { message: string }).message).toMatch(/^10 zone\(s\), \d+ domain\(s\): \d+ error/);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the job is for one account (a hook after a transfer), then only its domains are scanned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fea-scanjob-'));
    const store = openStore(':memory:');
    try {
      const { paths } = writeServerFiles(dir, { accounts: 12 });
      const source = fileScanSource(paths);
      const runner = createJobRunner({ queue: store });
      registerScanJobs(runner, {
        context: async () => ({ source, diagnoser: inThreadDiagnoser(config), scans: store, clock: { now: () => new Date() } }),
      });
      const job = await startScan({ runner, source }, admin, { users: ['u000009'] });
      await runner.settled(job.id);
      expect(store.queryScanResults({ limit: 100 }).rows.map((r) => r.user)).toEqual(['u000009', 'u000009', 'u000009', 'u000009']);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
