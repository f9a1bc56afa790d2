import Database from 'better-sqlite3';
import type { ScanResultInput, Store } from '../../../src/adapters/store';
import { scanQuerySql } from '../../../src/adapters/store/scans';
import { useTempStore } from './store-fixtures';

const AT = '2024-06-01T12:00:00.000Z';

function result(domain: string, overrides: Partial<ScanResultInput> = {}): ScanResultInput {
  return {
    domain,
    zone: domain,
    user: 'alice',
    owner: 'root',
    status: 'ok',
    codes: ['LOCKDOWN_OK'],
    report: { domain },
    scannedAt: AT,
    ...overrides,
  };
}

/** A small server: two resellers, three users, every status. */
const SERVER: ScanResultInput[] = [
  result('alice.com', { status: 'error', codes: ['LOCKDOWN_STALE', 'SPF_OK'] }),
  result('shop.alice.com', { zone: 'alice.com', status: 'warning', codes: ['LOCKDOWN_MISSING', 'DMARC_MISSING'] }),
  result('bob.net', { user: 'bob', owner: 'reseller1', status: 'error', codes: ['LOCKDOWN_CFID'] }),
  result('bob.org', { user: 'bob', owner: 'reseller1', status: 'ok', codes: ['LOCKDOWN_OK'] }),
  result('carol.io', { user: 'carol', owner: 'reseller1', status: 'info', codes: ['DMARC_POLICY_NONE', 'LOCKDOWN_OK'] }),
  result('dave.dev', { user: 'dave', owner: 'root', status: 'unknown', codes: [] }),
];

describe('scan results', () => {
  let path: string;
  let store: Store;
  useTempStore({}, (opened, at) => {
    store = opened;
    path = at;
    store.upsertScanResults(SERVER);
  });

  const domains = (q: Parameters<Store['queryScanResults']>[0]) => store.queryScanResults(q).rows.map((r) => r.domain);

  it('when stored, then a result reads back whole', () => {
    expect(store.getScanResult('ALICE.com.')).toEqual({
      domain: 'alice.com',
      zone: 'alice.com',
      user: 'alice',
      owner: 'root',
      status: 'error',
      codes: ['LOCKDOWN_STALE', 'SPF_OK'],
      report: { domain: 'alice.com' },
      scannedAt: AT,
    });
  });

  it('when filtered by user, owner, status or finding code, then only matching domains come back', () => {
    expect(domains({ user: 'bob' })).toEqual(['bob.net', 'bob.org']);
    expect(domains({ owner: 'reseller1' })).toEqual(['bob.net', 'bob.org', 'carol.io']);
    expect(domains({ status: 'error' })).toEqual(['alice.com', 'bob.net']);
    expect(domains({ status: ['warning', 'unknown'] })).toEqual(['dave.dev', 'shop.alice.com']);
    expect(domains({ code: 'LOCKDOWN_OK' })).toEqual(['bob.org', 'carol.io']);
    expect(domains({ code: ['LOCKDOWN_CFID', 'LOCKDOWN_STALE'] })).toEqual(['alice.com', 'bob.net']);
    expect(domains({ owner: 'reseller1', code: 'LOCKDOWN_OK', status: 'info' })).toEqual(['carol.io']);
    expect(domains({ search: 'alice' })).toEqual(['alice.com', 'shop.alice.com']);
    expect(domains({ search: '_%' })).toEqual([]);
  });

  it('when sorted by status, then the worst come first and ties go by domain', () => {
    expect(domains({ sort: 'status', order: 'desc' })).toEqual([
      'alice.com',
      'bob.net',
      'dave.dev',
      'shop.alice.com',
      'carol.io',
      'bob.org',
    ]);
  });

  it('when paged, then total counts every match and rows hold one page', () => {
    const page = store.queryScanResults({ limit: 2, offset: 2 });
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.domain)).toEqual(['bob.org', 'carol.io']);
    expect(store.queryScanResults({ withReport: false, limit: 1 }).rows[0]?.report).toBeNull();
  });

  it('when summarised, then counts by status and by code match the stored results', () => {
    expect(store.scanSummary()).toEqual({
      total: 6,
      byStatus: { ok: 1, info: 1, warning: 1, error: 2, unknown: 1 },
      byCode: {
        DMARC_MISSING: 1,
        DMARC_POLICY_NONE: 1,
        LOCKDOWN_CFID: 1,
        LOCKDOWN_MISSING: 1,
        LOCKDOWN_OK: 2,
        LOCKDOWN_STALE: 1,
        SPF_OK: 1,
      },
      lastScannedAt: AT,
    });
    expect(store.scanSummary({ owner: 'reseller1' })).toMatchObject({
      total: 3,
      byStatus: { error: 1, ok: 1, info: 1, warning: 0 },
      byCode: { LOCKDOWN_OK: 2, LOCKDOWN_CFID: 1, DMARC_POLICY_NONE: 1 },
    });
  });

  it('when a domain is scanned again, then the latest result and its codes replace the old ones, and an older result is ignored', () => {
    expect(store.upsertScanResult(result('alice.com', { status: 'ok', codes: ['LOCKDOWN_OK'], scannedAt: '2024-06-02T00:00:00Z' }))).toBe(
      true,
    );
    expect(
      store.upsertScanResult(result('alice.com', { status: 'error', codes: ['LOCKDOWN_STALE'], scannedAt: '2024-06-01T18:00:00Z' })),
    ).toBe(false);
    expect(store.getScanResult('alice.com')).toMatchObject({ status: 'ok', codes: ['LOCKDOWN_OK'], scannedAt: '2024-06-02T00:00:00.000Z' });
    expect(domains({ code: 'LOCKDOWN_STALE' })).toEqual([]);
  });

  it('when results older than a full scan are pruned, then those domains and their codes are gone', () => {
    store.upsertScanResults(SERVER.filter((r) => r.user !== 'bob').map((r) => ({ ...r, scannedAt: '2024-06-02T00:00:00Z' })));
    expect(store.pruneScanResults('2024-06-02T00:00:00Z')).toBe(2);
    expect(domains({ user: 'bob' })).toEqual([]);
    expect(store.scanSummary().byCode.LOCKDOWN_CFID).toBeUndefined();
  });

  it('when the status is not one we know, then the whole batch is refused', () => {
    expect(() => store.upsertScanResults([result('new.com'), result('bad.com', { status: 'fine' as never })])).toThrow(
      /Unknown scan status/,
    );
    expect(store.getScanResult('new.com')).toBeUndefined();
  });

  it('when filtering by finding code, then SQLite finds the domains through the code index rather than reading every row', () => {
    const { count, select } = scanQuerySql({ code: 'LOCKDOWN_STALE' });
    const raw = new Database(path, { readonly: true });
    const planOf = (q: { sql: string; params: unknown[] }) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[]).map((p) => p.detail).join('\n');
    const plans = [planOf(count), planOf(select)];
    raw.close();
    for (const plan of plans) {
      expect(plan).toMatch(/scan_codes USING (PRIMARY KEY|COVERING INDEX)/);
      expect(plan).not.toMatch(/SCAN scan_codes/);
    }
  });

  it('when a bulk scan writes 30 000 results in one batch, then it finishes within seconds', () => {
    const many = Array.from({ length: 30_000 }, (_, i) =>
      result(`d${i}.example`, {
        user: `u${i % 500}`,
        owner: `r${i % 7}`,
        status: i % 3 ? 'ok' : 'error',
        codes: i % 3 ? ['LOCKDOWN_OK', 'SPF_OK'] : ['LOCKDOWN_STALE', 'SPF_MISSING', 'DMARC_MISSING'],
        report: { findings: [{ code: 'X', message: 'y'.repeat(200) }] },
      }),
    );
    const started = process.hrtime.bigint();
    expect(store.upsertScanResults(many)).toBe(30_000);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(5000);
    expect(store.queryScanResults({ code: 'LOCKDOWN_STALE', limit: 1 }).total).toBe(10_000 + 1);
  });
});
