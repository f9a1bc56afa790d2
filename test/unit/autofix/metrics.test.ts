/**
 * The metrics registry over a real in-memory journal: counts that come from the journal (changes by
 * outcome and actor, domains by status, job durations) agree with it, the rejection counter starts
 * from the follower's stored tally, WHM calls are timed and their failures counted — and every metric
 * the sample Grafana dashboard queries exists.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { createMetrics } from '../../../src/adapters/metrics/registry';
import { observedWhm } from '../../../src/adapters/cpanel/observed';
import { openStore } from '../../../src/adapters/store';
import { FixEmailAuthError } from '../../../src/errors';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function journal() {
  let now = new Date('2026-11-28T10:00:00Z');
  const store = openStore(':memory:', { clock: () => now });
  return { store, tick: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const NEW_CHANGE = {
  domain: 'example.com',
  zone: 'example.com',
  user: 'alice',
  kind: 'repair' as const,
  serialBefore: '1',
  removed: [],
  added: [],
  plan: { zone: 'example.com', serial: '1', remove: [], edit: [], add: [] },
};

describe('metrics', () => {
  it('when the journal holds changes, scan results and finished jobs, then the metrics say the same', async () => {
    const { store, tick } = journal();
    store.createChange({ ...NEW_CHANGE, actor: { kind: 'system', name: 'autofix' } });
    const mine = store.createChange({ ...NEW_CHANGE, actor: { kind: 'user', name: 'alice' } });
    store.advance(mine.id, 'failed', { error: { code: 'X', step: 'apply', message: 'no' } });
    store.upsertScanResult({
      domain: 'a.example',
      zone: 'a.example',
      user: 'a',
      owner: 'root',
      status: 'error',
      codes: [],
      report: {},
      scannedAt: new Date(),
    });
    store.upsertScanResult({
      domain: 'b.example',
      zone: 'b.example',
      user: 'b',
      owner: 'root',
      status: 'ok',
      codes: [],
      report: {},
      scannedAt: new Date(),
    });
    store.selfHeal.recordRejections({ byClass: new Map([['LOCKDOWN_REJECTED', 4]]), byDomain: new Map() });
    const job = store.createJob({ kind: 'scan', keys: ['a'], params: {}, actor: { kind: 'admin', name: 'root' } });
    const item = store.claimNextItem(job.id)!;
    tick(42_000);
    store.finishItem(job.id, item.seq, { status: 'done' });

    const metrics = createMetrics({ store, processMetrics: false });
    metrics.rejectionsSeen(new Map([['LOCKDOWN_REJECTED', 1]]));
    const text = await metrics.text();
    expect(sample(text, 'fix_email_auth_changes{kind="repair",outcome="planned",actor="autofix"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_changes{kind="repair",outcome="failed",actor="user"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_domains{status="error"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_domains{status="ok"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_rejections_total{class="LOCKDOWN_REJECTED"}')).toBe(5);
    expect(sample(text, 'fix_email_auth_job_duration_seconds_count{kind="scan",status="done"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_job_duration_seconds_bucket{le="60",kind="scan",status="done"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_job_duration_seconds_bucket{le="30",kind="scan",status="done"}')).toBe(0);
    // A second scrape does not count the same job twice.
    expect(sample(await metrics.text(), 'fix_email_auth_job_duration_seconds_count{kind="scan",status="done"}')).toBe(1);
    store.close();
  });

  it('when WHM calls succeed, fail in transport or answer result 0, then latency and errors are recorded by function', async () => {
    const { store } = journal();
    const metrics = createMetrics({ store, processMetrics: false });
    const answers = [
      { httpStatus: 200, body: { metadata: { result: 1 } } },
      { httpStatus: 200, body: { metadata: { result: 0, reason: 'no' } } },
    ];
    const whm = observedWhm(
      {
        description: 'test',
        callWhm: async () => {
          const next = answers.shift();
          if (!next) throw new FixEmailAuthError('TIMEOUT', 'slow (test)', { step: 'read' });
          return next;
        },
      },
      (call) => metrics.observeWhm(call),
    );
    await whm.callWhm('parse_dns_zone', {}, { step: 'read' });
    await whm.callWhm('parse_dns_zone', {}, { step: 'read' });
    await expect(whm.callWhm('mass_edit_dns_zone', {}, { step: 'apply' })).rejects.toThrow('slow');
    const text = await metrics.text();
    expect(sample(text, 'fix_email_auth_whm_request_duration_seconds_count{function="parse_dns_zone"}')).toBe(2);
    expect(sample(text, 'fix_email_auth_whm_request_errors_total{function="parse_dns_zone",reason="api"}')).toBe(1);
    expect(sample(text, 'fix_email_auth_whm_request_errors_total{function="mass_edit_dns_zone",reason="timeout"}')).toBe(1);
    store.close();
  });

  it('when the sample Grafana dashboard is loaded, then every metric it queries is one the daemon exposes', async () => {
    const { store } = journal();
    const exposed = new Set([...(await createMetrics({ store }).text()).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const dashboard = JSON.parse(readFileSync(join(__dirname, '../../../docs/grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
      templating: { list: Array<{ definition?: string }> };
    };
    const queried = new Set<string>();
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => v.definition ?? ''),
    ];
    for (const expr of exprs) for (const m of expr.matchAll(/fix_email_auth_\w+/g)) queried.add(m[0].replace(/_(bucket|count|sum)$/, ''));
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
    store.close();
  });
});
