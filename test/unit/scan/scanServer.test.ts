/**
 * scanServer over a generated server's files (the fast path) with the in-thread diagnoser and a real
 * in-memory store: every domain diagnosed and stored, the same objects as `diagnose`, filters,
 * zones read once, bounded concurrency, bad zones as error results, early stops that keep what was done.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fileScanSource, type FilePaths } from '../../../src/adapters/fastpath';
import { openStore, type Store } from '../../../src/adapters/store';
import { parseConfig } from '../../../src/config';
import { diagnoseDomain } from '../../../src/usecases/diagnose';
import {
  inThreadDiagnoser,
  reportOf,
  runScan,
  scanServer,
  type ScanContext,
  type ScannedDomain,
  type ScanSource,
} from '../../../src/usecases/scan';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { writeServerFiles, zonesOf, type ServerSummary } from '../../fixtures/bulk/synthetic';

const config = parseConfig({ provider: { authId: 'webhostingm' } });
const clock = { now: () => new Date('2026-11-28T12:00:00Z') };
const ACCOUNTS = 40;

let dir: string;
let paths: FilePaths & { dkimPublicKeys: string };
let summary: ServerSummary;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fea-scan-'));
  ({ paths, summary } = writeServerFiles(dir, { accounts: ACCOUNTS, staleEvery: 10 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(store: Store, source: ScanSource = fileScanSource(paths, { dkimDir: paths.dkimPublicKeys })): ScanContext {
  return { source, diagnoser: inThreadDiagnoser(config), scans: store, clock };
}

async function all(it: AsyncGenerator<ScannedDomain, unknown>): Promise<ScannedDomain[]> {
  const out: ScannedDomain[] = [];
  for await (const row of it) out.push(row);
  return out;
}

describe('scanServer on the fast path', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('when the whole server is scanned, then every domain is stored with its account, reseller and status, and every stale domain has LOCKDOWN_STALE', async () => {
    const rows = await all(scanServer(context(store)));
    expect(rows).toHaveLength(summary.domains);
    expect(store.scanSummary().total).toBe(summary.domains);
    const stale = store
      .queryScanResults({ code: 'LOCKDOWN_STALE', limit: 1000 })
      .rows.map((r) => r.domain)
      .sort();
    expect(stale).toEqual([...summary.staleDomains].sort());
    const row = store.getScanResult('site000003.example')!;
    expect(row).toMatchObject({ zone: 'site000003.example', user: 'u000003', owner: 'resd' });
    // The blog sub-domain lives in its parent's zone.
    expect(store.getScanResult('blog.site000001.example')).toMatchObject({ zone: 'site000001.example', user: 'u000001' });
  });

  it("when a domain is scanned, then its object is exactly diagnose --json's for that zone, plus the user", async () => {
    const rows = await all(scanServer(context(store)));
    const zone = [...zonesOf({ accounts: ACCOUNTS, staleEvery: 10 })].find((z) => z.stale && z.lockdownDomains.length > 1)!;
    const full = parseZoneFile(Buffer.from(zone.text, 'latin1'), zone.name);
    const key = readFileSync(join(paths.dkimPublicKeys, zone.name), 'utf8');
    for (const domain of zone.lockdownDomains) {
      const expected = await diagnoseDomain({
        domain,
        zone: full,
        user: zone.user,
        config,
        ...(domain === zone.name ? { dkimPublicKey: key } : {}),
      });
      expect(reportOf(rows.find((r) => r.domain === domain)!)).toEqual({ ...expected, user: zone.user });
    }
  });

  it('when results are yielded, then they come in zone order whatever the concurrency', async () => {
    const zonesOfRows = (rows: ScannedDomain[]) => [...new Set(rows.map((r) => r.zone))];
    const one = zonesOfRows(await all(scanServer(context(store), { concurrency: 1 })));
    const many = zonesOfRows(await all(scanServer(context(store), { concurrency: 32 })));
    expect(many).toEqual(one);
    expect(one).toEqual([...one].sort());
  });

  it('when filters by status and code are given, then only matching domains are yielded but every domain is stored', async () => {
    const rows = await all(scanServer(context(store), { codes: ['LOCKDOWN_STALE'] }));
    expect(rows.map((r) => r.domain).sort()).toEqual([...summary.staleDomains].sort());
    expect(store.scanSummary().total).toBe(summary.domains);
    const errors = await all(scanServer(context(store), { statuses: ['error'] }));
    expect(errors.every((r) => r.status === 'error')).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(summary.staleDomains.length);
  });

  it('when a user or a reseller is given, then only their domains are scanned', async () => {
    const mine = await all(scanServer(context(store), { user: 'u000009' }));
    expect(mine.map((r) => r.domain).sort()).toEqual([
      'blog.site000009.example',
      'shop000009.example',
      'shop000009.site000009.example',
      'site000009.example',
    ]);
    expect(store.scanSummary().total).toBe(4);
    const resold = await all(scanServer(context(store), { reseller: 'resa' }));
    expect(resold.length).toBeGreaterThan(0);
    expect(new Set(resold.map((r) => r.owner))).toEqual(new Set(['resa']));
  });

  it('when each zone is read, then it is read once for all its domains, with at most `concurrency` reads in flight', async () => {
    const base = fileScanSource(paths);
    const reads = new Map<string, number>();
    let inFlight = 0;
    let most = 0;
    const counting: ScanSource = {
      ...base,
      readZone: async (zone) => {
        reads.set(zone, (reads.get(zone) ?? 0) + 1);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return base.readZone(zone);
      },
    };
    await runScan(context(store, counting), { concurrency: 3 });
    expect(reads.size).toBe(summary.zones);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect(most).toBe(3);
  });

  it('when a zone file does not parse or is missing, then its domains get an unknown result with the error and the scan goes on', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'fea-scan-broken-'));
    try {
      const { paths: p } = writeServerFiles(broken, { accounts: 6 });
      writeFileSync(join(p.namedDir, 'site000002.example.db'), '$TTL 300\nthis is ( not a zone\n');
      rmSync(join(p.namedDir, 'site000004.example.db'));
      const rows = await all(scanServer(context(store, fileScanSource(p))));
      const bad = rows.filter((r) => r.status === 'unknown');
      expect(bad.map((r) => r.domain).sort()).toEqual(['site000002.example', 'site000004.example']);
      expect(bad.find((r) => r.domain === 'site000002.example')!.error).toMatchObject({ code: 'ZONE_PARSE' });
      expect(reportOf(bad[0]!)).toMatchObject({ status: 'unknown', findings: [], plan: null, error: { code: expect.any(String) } });
      expect(rows.filter((r) => r.status !== 'unknown').length).toBe(rows.length - 2);
      expect(store.getScanResult('site000002.example')?.status).toBe('unknown');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('when the consumer stops early, then what was diagnosed is still stored', async () => {
    let taken = 0;
    for await (const _row of scanServer(context(store), { concurrency: 1, batchSize: 1000 })) {
      if (++taken === 5) break;
    }
    expect(store.scanSummary().total).toBeGreaterThanOrEqual(5);
    expect(store.scanSummary().total).toBeLessThan(summary.domains);
  });

  it('when the scan is aborted, then no new zone is started and the progress says how far it got', async () => {
    const controller = new AbortController();
    const progress = await runScan(context(store), {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.zonesDone === 4) controller.abort();
      },
    });
    expect(progress.zonesDone).toBeGreaterThanOrEqual(4);
    expect(progress.zonesDone).toBeLessThanOrEqual(6);
    expect(progress.zonesTotal).toBe(summary.zones);
  });

  it('when a cpuser file cannot be read, then the reseller comes from the API fallback', async () => {
    const p2 = mkdtempSync(join(tmpdir(), 'fea-scan-owner-'));
    try {
      const { paths: p } = writeServerFiles(p2, { accounts: 4 });
      rmSync(join(p.cpanelUsers, 'u000001'));
      const asked: string[] = [];
      const source = fileScanSource(p, {
        owners: async () => (
          asked.push('listaccts'),
          new Map([
            ['u000000', 'api-says'],
            ['u000001', 'resz'],
          ])
        ),
      });
      const domains = await source.listDomains();
      expect(domains.find((d) => d.domain === 'site000001.example')?.owner).toBe('resz');
      // A readable cpuser file wins over the API.
      expect(domains.find((d) => d.domain === 'site000000.example')?.owner).toBe('resa');
      expect(asked).toEqual(['listaccts']);
      // Without the fallback the reseller is left empty, never guessed.
      expect((await fileScanSource(p).listDomains()).find((d) => d.domain === 'site000001.example')?.owner).toBe('');
    } finally {
      rmSync(p2, { recursive: true, force: true });
    }
  });

  it('when a whole-server scan ends, then domains no longer on the server leave the table; a scan of one account removes nothing', async () => {
    const gone = {
      domain: 'removed.example',
      zone: 'removed.example',
      user: 'old',
      owner: 'root',
      status: 'error' as const,
      codes: ['LOCKDOWN_STALE'],
      report: {},
      scannedAt: new Date('2026-11-01T00:00:00Z'),
    };
    store.upsertScanResults([gone]);
    await runScan(context(store), { user: 'u000003' });
    expect(store.getScanResult('removed.example')).toBeDefined();
    const controller = new AbortController();
    await runScan(context(store), { signal: controller.signal, onProgress: (p) => p.zonesDone === 2 && controller.abort() });
    expect(store.getScanResult('removed.example')).toBeDefined();
    await runScan(context(store));
    expect(store.getScanResult('removed.example')).toBeUndefined();
    expect(store.scanSummary().total).toBe(summary.domains);
  });
});
