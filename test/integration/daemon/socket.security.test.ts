/**
 * The daemon in production mode (Unix socket, identity from the bridges' headers): who may see and
 * change what, checked from outside over the socket against the simulated server.
 */
import { statSync } from 'fs';
import { dirname } from 'path';
import { as, startDaemonHarness, waitForJob, type DaemonHarness } from './harness';

jest.setTimeout(60000);

describe('daemon on its Unix socket', () => {
  let h: DaemonHarness;
  /** A change and a job of bob's, made through the daemon, for alice to reach for. */
  let bobChangeId: number;
  let bobJobId: number;

  beforeAll(async () => {
    h = await startDaemonHarness('socket');
    const started = await h.call({ method: 'POST', path: '/api/domains/cfid.example/fix', headers: as('bob') });
    expect(started.status).toBe(202);
    bobJobId = started.json.jobId;
    const job = await waitForJob(h, bobJobId, as('bob'));
    expect(job.items[0].resultStatus).toBe('verified');
    bobChangeId = job.items[0].changeId;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when it listens, then the socket is mode 0600 in a directory of mode 0700', () => {
    expect(statSync(h.address).mode & 0o777).toBe(0o600);
    expect(statSync(h.address).isSocket()).toBe(true);
    expect(statSync(dirname(h.address)).mode & 0o777).toBe(0o700);
  });

  it.each([
    '/',
    '/domains/migrated.example',
    '/api/domains',
    '/api/domains/migrated.example',
    '/history',
    '/jobs/1',
    '/admin',
    '/admin/domains?format=csv',
  ])('when %s is asked without identity headers, then the answer is 401', async (path) => {
    const answer = await h.call({ path });
    expect(answer.status).toBe(401);
  });

  it('when a POST comes without identity headers, then it is 401 and nothing is started', async () => {
    const jobsBefore = h.services.store.listJobs().length;
    expect((await h.call({ method: 'POST', path: '/domains/migrated.example/fix' })).status).toBe(401);
    expect((await h.call({ method: 'POST', path: '/admin/scan' })).status).toBe(401);
    expect(h.services.store.listJobs()).toHaveLength(jobsBefore);
  });

  it('when the identity headers are malformed, then the answer is 401', async () => {
    expect((await h.call({ path: '/', headers: { 'X-Fix-Email-Auth-User': 'alice bob' } })).status).toBe(401);
    expect((await h.call({ path: '/', headers: as('Alice; DROP') })).status).toBe(401);
    expect((await h.call({ path: '/', headers: { 'X-Fix-Email-Auth-User': 'alice', 'X-Fix-Email-Auth-Role': 'root' } })).status).toBe(401);
  });

  it('when the health route is asked without identity, then it answers (the bridges probe it)', async () => {
    const answer = await h.call({ path: '/api/health' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true });
  });

  it("when alice lists her domains, then she sees exactly her account's domains with their status", async () => {
    const answer = await h.call({ path: '/api/domains', headers: as('alice') });
    expect(answer.status).toBe(200);
    const rows = answer.json.domains.map((d: any) => [d.domain, d.type, d.pageStatus]);
    expect(rows).toEqual([
      ['migrated.example', 'main', 'error'],
      ['blockall.example', 'addon', 'warning'],
      ['alias.example', 'parked', 'ok'],
      ['shop.migrated.example', 'sub', 'error'],
    ]);
  });

  it("when alice asks for bob's domain (page, JSON, fix, JSON fix), then each is 403 and bob's zone is unchanged", async () => {
    const before = await h.zoneText('tworecords.example');
    const jobsBefore = h.services.store.listJobs().length;
    for (const call of [
      { path: '/domains/tworecords.example' },
      { path: '/api/domains/tworecords.example' },
      { method: 'POST' as const, path: '/domains/tworecords.example/fix' },
      { method: 'POST' as const, path: '/api/domains/tworecords.example/fix' },
    ]) {
      const answer = await h.call({ ...call, headers: as('alice') });
      expect([call.path, answer.status]).toEqual([call.path, 403]);
    }
    expect(await h.zoneText('tworecords.example')).toBe(before);
    expect(h.services.store.listJobs()).toHaveLength(jobsBefore);
  });

  it('when alice asks for a domain nobody has, then the answer is the same 403 (no probing of other accounts)', async () => {
    const foreign = await h.call({ path: '/api/domains/tworecords.example', headers: as('alice') });
    const missing = await h.call({ path: '/api/domains/nobody-has-this.example', headers: as('alice') });
    expect(missing.status).toBe(403);
    expect(missing.json.error.code).toBe(foreign.json.error.code);
    expect(missing.json.error.message.replace('nobody-has-this.example', 'X')).toBe(
      foreign.json.error.message.replace('tworecords.example', 'X'),
    );
  });

  it("when alice tries to undo bob's change or read bob's job, then each is 403 and bob's zone is unchanged", async () => {
    const before = await h.zoneText('cfid.example');
    const jobsBefore = h.services.store.listJobs().length;
    expect((await h.call({ method: 'POST', path: `/changes/${bobChangeId}/undo`, headers: as('alice') })).status).toBe(403);
    expect((await h.call({ method: 'POST', path: `/api/changes/${bobChangeId}/rollback`, headers: as('alice') })).status).toBe(403);
    expect((await h.call({ path: `/jobs/${bobJobId}`, headers: as('alice') })).status).toBe(403);
    expect((await h.call({ path: `/api/jobs/${bobJobId}`, headers: as('alice') })).status).toBe(403);
    expect((await h.call({ method: 'POST', path: `/jobs/${bobJobId}/cancel`, headers: as('alice') })).status).toBe(403);
    // A change or job that does not exist looks the same to her.
    expect((await h.call({ path: '/api/jobs/999999', headers: as('alice') })).status).toBe(403);
    expect((await h.call({ method: 'POST', path: '/changes/999999/undo', headers: as('alice') })).status).toBe(403);
    expect(await h.zoneText('cfid.example')).toBe(before);
    expect(h.services.store.listJobs()).toHaveLength(jobsBefore);
    expect(h.services.store.getChange(bobChangeId)?.status).toBe('verified');
  });

  it("when alice reads her history, then bob's changes are not in it; bob's history has his", async () => {
    const alice = await h.call({ path: '/api/history', headers: as('alice') });
    expect(alice.json.changes.map((c: any) => c.domain)).not.toContain('cfid.example');
    const csv = await h.call({ path: '/history?format=csv', headers: as('alice') });
    expect(csv.body).not.toContain('cfid.example');
    const bob = await h.call({ path: '/api/history', headers: as('bob') });
    expect(bob.json.changes.map((c: any) => c.id)).toContain(bobChangeId);
  });

  it('when the admin opens any domain, then it is shown; a hook identity may not open pages', async () => {
    expect((await h.call({ path: '/domains/tworecords.example', headers: as('root', 'admin') })).status).toBe(200);
    expect((await h.call({ path: '/domains/tworecords.example', headers: as('hooks', 'hook') })).status).toBe(403);
  });

  it('when a TXT record holds <script>alert(1)</script>, then every page shows it escaped', async () => {
    for (const path of ['/domains/xss.example', '/']) {
      const page = await h.call({ path, headers: as('carol') });
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('<script>alert(1)</script>');
      expect(page.body).not.toMatch(/<script>alert/i);
    }
    const detail = await h.call({ path: '/domains/xss.example', headers: as('carol') });
    expect(detail.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('when a domain is hosted elsewhere, then its page shows the exact record to publish at that DNS host and offers no Fix', async () => {
    const page = await h.call({ path: '/domains/elsewhere.example', headers: as('dave') });
    expect(page.body).toContain('hosted elsewhere');
    expect(page.body).toContain('ns1.otherdns.example');
    expect(page.body).toMatch(
      /<pre class="copy"[^>]*>_mailchannels\.elsewhere\.example\.\t300\tIN\tTXT\t&#34;v=mc1 auth=webhostingm&#34;<\/pre>/,
    );
    expect(page.body).not.toContain('data-action="fix"');
  });

  it('when a user pastes a lockdown bounce, then it is explained and linked to the domain only when it is theirs', async () => {
    const text =
      'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from migrated.example.';
    const mine = await h.call({ method: 'POST', path: '/explain', headers: as('alice'), form: { text } });
    expect(mine.status).toBe(200);
    expect(mine.body).toContain('lockdown rejected');
    expect(mine.body).toContain('href="/domains/migrated.example"');
    const theirs = await h.call({ method: 'POST', path: '/explain', headers: as('bob'), form: { text } });
    expect(theirs.body).toContain('migrated.example');
    expect(theirs.body).not.toContain('href="/domains/migrated.example"');
    expect((await h.call({ method: 'POST', path: '/explain', headers: as('alice'), form: { text: '' } })).status).toBe(400);
  });

  it('when a relay sends its mount template, then every link, form and the poller are built from it; an unsafe template is ignored', async () => {
    const mount = { ...as('alice'), 'X-Fix-Email-Auth-Mount': 'index.live.pl?route={route}' };
    const page = await h.call({ path: '/domains/migrated.example', headers: mount });
    expect(page.body).toContain('action="index.live.pl?route=%2Fdomains%2Fmigrated.example%2Ffix"');
    expect(page.body).toContain('href="index.live.pl?route=%2Fstatic%2Ffix-email-auth.css"');
    expect(page.body).toContain('href="index.live.pl?route=%2Fhistory"');
    expect(page.body).not.toMatch(/(href|action|src)="\/(?!\/)/);

    const started = await h.call({ method: 'POST', path: '/domains/blockall.example/fix', headers: mount });
    expect(started.status).toBe(303);
    expect(started.headers.location).toMatch(/^index\.live\.pl\?route=%2Fjobs%2F\d+$/);
    const jobId = Number(decodeURIComponent(String(started.headers.location)).split('/').pop());
    const jobPage = await h.call({ path: `/jobs/${jobId}`, headers: mount });
    if (!/data-job-status="done"/.test(jobPage.body))
      expect(jobPage.body).toContain(`data-job-poll="index.live.pl?route=%2Fapi%2Fjobs%2F${jobId}"`);
    await waitForJob(h, jobId, as('alice'));

    const hostile = await h.call({ path: '/', headers: { ...as('alice'), 'X-Fix-Email-Auth-Mount': 'javascript:alert(1)//{route}' } });
    expect(hostile.body).not.toContain('javascript:');
    expect(hostile.body).toContain('href="/history"');
  });

  it('when requests are served, then each is logged once as JSON with identity, route, status and time, and no token or header', async () => {
    h.logs.length = 0;
    await h.call({ path: '/domains/good.example?x=secret-query', headers: as('erin') });
    const lines = h.logs.filter((e) => e.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      route: '/domains/:domain',
      path: '/domains/good.example',
      status: 200,
      role: 'user',
      user: 'erin',
      durationMs: expect.any(Number),
    });
    expect(JSON.stringify(h.logs)).not.toContain('secret-query');
  });
});
