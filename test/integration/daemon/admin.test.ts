/**
 * The admin's side over the socket: scan, the table's filters and exports, "all stale", dry run and
 * bulk repair as jobs, the Exim rejections, the configuration, and the hooks' re-check.
 */
import { join } from 'path';
import { writeDemoMailLog } from '../../../src/daemon/demo/mailLog';
import { as, startDaemonHarness, waitForJob, type DaemonHarness } from './harness';

jest.setTimeout(60000);

const admin = as('root', 'admin');
/** A JSON client: POSTs answer 202 { jobId } instead of redirecting. */
const adminJson = { ...admin, accept: 'application/json' };

describe('admin pages', () => {
  let h: DaemonHarness;
  let scanJobId: number;
  beforeAll(async () => {
    h = await startDaemonHarness('socket', {}, () => undefined);
    writeDemoMailLog(join(h.dir, 'exim_mainlog'), new Date());
    const scan = await h.call({ method: 'POST', path: '/admin/scan', headers: adminJson });
    expect(scan.status).toBe(202);
    scanJobId = scan.json.jobId;
    const job = await waitForJob(h, scan.json.jobId, admin);
    // One item per slice of up to 250 zones: the demo's 11 zones are one slice.
    expect(job.job.progress).toMatchObject({ total: 1, done: 1, failed: 0 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the scan is over, then the overview counts every domain by status and finding', async () => {
    const overview = await h.call({ path: '/admin', headers: { ...admin, accept: 'application/json' } });
    expect(overview.json.summary).toMatchObject({ total: 12, byStatus: { ok: 2, warning: 3, error: 7 } });
    expect(overview.json.summary.byCode).toMatchObject({
      LOCKDOWN_STALE: 5,
      LOCKDOWN_BLOCK_ALL: 1,
      LOCKDOWN_CFID: 1,
      LOCKDOWN_MULTIPLE: 1,
      DNS_NOT_AUTHORITATIVE: 1,
      LOCKDOWN_MISPLACED: 1,
    });
    const csv = await h.call({ path: '/admin?format=csv', headers: admin });
    expect(csv.body).toContain('status,error,7\r\n');
  });

  it("when the admin opens the scan's page, then it says whose zones it read and names its slice by first and last zone and count", async () => {
    const page = await h.call({ path: `/jobs/${scanJobId}`, headers: admin });
    expect(page.body).toMatch(/data-scan-scope><strong>Scanned:<\/strong> Every account on the server — 11 zones, 12 domains, in 1 part\./);
    expect(page.body).toContain('<span data-slice>alias.example … xss.example (11 zones)</span>');
  });

  it('when the table is filtered by finding, reseller or account, then only those rows come back, in the order asked', async () => {
    const byCode = await h.call({
      path: '/admin/domains?code=LOCKDOWN_STALE&sort=domain&order=asc',
      headers: { ...admin, accept: 'application/json' },
    });
    expect(byCode.json.rows.map((r: any) => r.domain)).toEqual([
      'cfid.example',
      'elsewhere.example',
      'migrated.example',
      'resell.example',
      'shop.migrated.example',
    ]);
    const byReseller = await h.call({ path: '/admin/domains?owner=resell&sort=domain', headers: { ...admin, accept: 'application/json' } });
    expect(byReseller.json.rows.map((r: any) => [r.domain, r.user])).toEqual([
      ['cfid.example', 'bob'],
      ['resell.example', 'resell'],
      ['tworecords.example', 'bob'],
    ]);
    const page = await h.call({ path: '/admin/domains?user=carol', headers: admin });
    expect(page.body.match(/data-domain="[^"]+" data-status="[^"]+"/g)).toEqual([
      'data-domain="xss.example" data-status="error"',
      'data-domain="nolockdown.example" data-status="warning"',
    ]);
  });

  it('when the admin reads the table, then each finding is in words, its code only in the title and the filter link', async () => {
    const page = await h.call({ path: '/admin/domains?user=carol', headers: admin });
    const row = page.body.slice(page.body.indexOf('<tr data-domain="nolockdown.example"'));
    const cells = row.slice(0, row.indexOf('</tr>'));
    expect(cells).toContain('title="LOCKDOWN_MISSING" data-code="LOCKDOWN_MISSING">No lockdown record</a>');
    expect(cells).toContain('code=LOCKDOWN_MISSING');
    expect(cells).not.toMatch(/>[A-Z]+_[A-Z_]+</);
    expect(page.body).toContain('<option value="LOCKDOWN_BLOCK_ALL" title="LOCKDOWN_BLOCK_ALL">Lockdown blocks all mail</option>');
  });

  it('when the table is exported, then CSV and JSON hold every matching row, and nothing in a cell can run as a formula', async () => {
    const csv = await h.call({ path: '/admin/domains?status=error&format=csv', headers: admin });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="domains.csv"');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('domain,zone,user,reseller,status,findings,scanned');
    expect(lines).toHaveLength(1 + 7);
    expect(lines.every((l) => !/(^|,)[=+@-]/.test(l))).toBe(true);
    const json = await h.call({ path: '/admin/domains?status=error&format=json', headers: admin });
    expect(json.json).toHaveLength(7);
    expect(json.json[0]).toEqual(expect.objectContaining({ domain: expect.any(String), codes: expect.any(Array), status: 'error' }));
  });

  it('when "all stale" is previewed, then a dry-run job plans a change for each stale domain and changes no zone', async () => {
    const before = await h.zoneText('resell.example');
    const dry = await h.call({ method: 'POST', path: '/admin/dry-run', headers: adminJson, form: { 'all-stale': '1' } });
    expect(dry.status).toBe(202);
    const job = await waitForJob(h, dry.json.jobId, admin);
    expect(job.job).toMatchObject({ kind: 'bulk-fix', dryRun: true, status: 'done' });
    const byKey = Object.fromEntries(job.items.map((i: any) => [i.key, i]));
    // blockall.example is set to block all mail: a choice, left out unless asked for (next test).
    expect(Object.keys(byKey).sort()).toEqual([
      'cfid.example',
      'elsewhere.example',
      'migrated.example',
      'resell.example',
      'shop.migrated.example',
      'tworecords.example',
      'xss.example',
    ]);
    expect(byKey['resell.example']).toMatchObject({
      resultStatus: 'planned',
      change: { after: [expect.objectContaining({ value: 'v=mc1 auth=webhostingm' })] },
    });
    expect(byKey['elsewhere.example'].resultStatus).toBe('not-authoritative');
    expect(await h.zoneText('resell.example')).toBe(before);
    expect(h.services.store.listChanges({ jobId: dry.json.jobId })).toEqual([]);
  });

  it('when "all stale" is asked to include block-all, then those domains are planned too and the job may replace them', async () => {
    const dry = await h.call({
      method: 'POST',
      path: '/admin/dry-run',
      headers: adminJson,
      form: { 'all-stale': '1', 'include-block-all': '1' },
    });
    const job = await waitForJob(h, dry.json.jobId, admin);
    const blockAll = job.items.find((i: any) => i.key === 'blockall.example');
    expect(blockAll).toMatchObject({ resultStatus: 'planned', needsConsent: false });
    expect(job.items).toHaveLength(8);
    const page = await h.call({ path: `/jobs/${dry.json.jobId}`, headers: admin });
    expect(page.body).toContain('name="include-block-all" value="1"');
  });

  it('when a block-all domain is ticked without the box, then the dry run holds it back and the repair changes nothing', async () => {
    const before = await h.zoneText('blockall.example');
    const dry = await h.call({ method: 'POST', path: '/admin/dry-run', headers: adminJson, form: { domain: ['blockall.example'] } });
    const preview = await waitForJob(h, dry.json.jobId, admin);
    expect(preview.items[0]).toMatchObject({ resultStatus: 'planned', needsConsent: true });
    const page = await h.call({ path: `/jobs/${dry.json.jobId}`, headers: admin });
    expect(page.body).toContain('data-held-block-all');
    expect(page.body).not.toContain('data-action="bulk-fix"');

    const bulk = await h.call({ method: 'POST', path: '/admin/bulk-fix', headers: adminJson, form: { domain: ['blockall.example'] } });
    const job = await waitForJob(h, bulk.json.jobId, admin);
    expect(job.items[0]).toMatchObject({ status: 'failed', resultStatus: 'failed' });
    expect(job.items[0].message).toMatch(/block all mail/);
    expect(await h.zoneText('blockall.example')).toBe(before);
  });

  it('when domains are repaired in bulk, then each is verified, the table shows them ok, and the results export', async () => {
    const bulk = await h.call({
      method: 'POST',
      path: '/admin/bulk-fix',
      headers: adminJson,
      form: { domain: ['cfid.example', 'tworecords.example'] },
    });
    const job = await waitForJob(h, bulk.json.jobId, admin);
    expect(job.items.map((i: any) => [i.key, i.status, i.resultStatus, i.pageStatus])).toEqual([
      ['cfid.example', 'done', 'verified', 'ok'],
      ['tworecords.example', 'done', 'verified', 'ok'],
    ]);
    const rows = (await h.call({ path: '/admin/domains?owner=resell&sort=domain', headers: { ...admin, accept: 'application/json' } })).json
      .rows;
    // Right after a fix the row may carry DNS_PROPAGATION_PENDING (info: resolvers' caches) — never a problem.
    expect(rows.map((r: any) => [r.domain, r.codes.includes('LOCKDOWN_OK'), ['ok', 'info'].includes(r.status)])).toEqual([
      ['cfid.example', true, true],
      ['resell.example', false, false],
      ['tworecords.example', true, true],
    ]);
    const table = await h.call({ path: '/admin/domains?owner=resell&sort=domain', headers: admin });
    expect(table.body).toContain('data-domain="cfid.example" data-status="ok"');
    const csv = await h.call({ path: `/jobs/${bulk.json.jobId}?format=csv`, headers: admin });
    expect(csv.body.split('\r\n')[1]).toMatch(/^1,cfid\.example,done,verified,"Fixed: cfid\.example now authorizes webhostingm\./);
    const history = await h.call({ path: '/admin/history?format=json', headers: admin });
    expect(history.json.map((c: any) => c.domain)).toEqual(expect.arrayContaining(['cfid.example', 'tworecords.example']));
  });

  it('when nothing is selected, then a bulk repair is refused with 400 and no job', async () => {
    const jobs = h.services.store.listJobs().length;
    expect((await h.call({ method: 'POST', path: '/admin/bulk-fix', headers: admin, form: {} })).status).toBe(400);
    expect((await h.call({ method: 'POST', path: '/admin/bulk-fix', headers: admin, form: { domain: 'not a domain' } })).status).toBe(400);
    expect(h.services.store.listJobs()).toHaveLength(jobs);
  });

  it("when the Exim log holds lockdown rejections, then they are listed per domain, newest first, linked to the domain's page", async () => {
    const page = await h.call({ path: '/admin/bounces', headers: admin });
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/domains/migrated.example"');
    const json = await h.call({ path: '/admin/bounces?format=json', headers: admin });
    expect(json.json.domains.map((d: any) => [d.domain, d.count])).toEqual(
      expect.arrayContaining([
        ['migrated.example', 4],
        ['cfid.example', 2],
        ['resell.example', 1],
      ]),
    );
    const times = json.json.events.map((e: any) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('when the configuration is shown, then it names the provider ID and backup policy and no token', async () => {
    const page = await h.call({ path: '/admin/config', headers: { ...admin, accept: 'application/json' } });
    const text = JSON.stringify(page.json);
    expect(text).toContain('webhostingm');
    expect(text).toContain('"value":"off"');
    expect(text).not.toContain('DEMOROOTTOKEN');
  });

  it('when a hook asks for a re-check, then a scan of that account starts; a cPanel user may not call it', async () => {
    const answer = await h.call({
      method: 'POST',
      path: '/api/hooks/recheck',
      headers: as('hook', 'hook'),
      json: { user: 'carol', event: 'zone-edit', hook: 'Cpanel::UAPI::DNS::mass_edit_zone', zone: 'xss.example' },
    });
    expect(answer.status).toBe(202);
    expect(answer.json.kind).toBe('scan');
    const job = await waitForJob(h, answer.json.jobId, admin);
    expect(job.items.map((i: any) => i.key)).toEqual(['xss.example']);
    expect(
      (await h.call({ method: 'POST', path: '/api/hooks/recheck', headers: as('carol'), json: { user: 'carol', event: 'transfer' } }))
        .status,
    ).toBe(403);
    expect(
      (
        await h.call({
          method: 'POST',
          path: '/api/hooks/recheck',
          headers: as('hook', 'hook'),
          json: { user: '../etc', event: 'transfer' },
        })
      ).status,
    ).toBe(400);
  });
});
