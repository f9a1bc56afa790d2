/**
 * The fleet pages in Chromium, on a real controller (PostgreSQL, pg-boss) with one real cPanel server
 * (the simulator, PowerDNS, its own journal and Exim log) joined to it, and a second server that
 * stopped reporting. The admin signs in, sees which server is silent, filters the domains across
 * servers, asks for every stale domain of web1 to be repaired and one domain of the silent server,
 * follows the progress per server, reads the history and the rejections, downloads an export and
 * signs out. Values from servers are escaped; no page breaks the Content-Security-Policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { readFleetCredentials } from '../../src/adapters/fleet';
import { fleetJoinDeps, fleetSyncDeps } from '../../src/fleetWiring';
import { startController, type Controller } from '../../src/fleet/controller';
import { hashPassword } from '../../src/fleet/passwords';
import { generateServerKeys, newEnrollmentToken, PROTOCOL_VERSION } from '../../src/fleet/protocol';
import { createEnrollmentToken, setAdminPassword } from '../../src/fleet/store';
import { registerServerJobs } from '../../src/usecases/bulk';
import { joinFleet, syncWithController } from '../../src/usecases/fleet';
import { createJobRunner, registerChangeJobs, type JobRunner } from '../../src/usecases/jobs';
import { runScan } from '../../src/usecases/scan';
import { fleetDatabase, postRaw, signedPost, startPostgresCluster, testFleetConfig, type PostgresCluster } from '../support/fleet';
import { fleetServerSeed } from '../support/fleetSeeds';
import { startStack, type Stack } from '../support/stack';
import { openBrowser, type TestBrowser } from './support/browser';
import { findPostgresBin } from '../support/postgres';
import { describeIf } from '../support/requires';

jest.setTimeout(180_000);

const DOCS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'fea-screens-'));
const PASSWORD = 'a long fleet password';
const HOSTILE = '<script>alert(1)</script>';

/** Visible skip on a machine without PostgreSQL; in CI a failure that names it. */
describeIf(findPostgresBin() !== null, 'PostgreSQL (apt-get install postgresql)')('fleet pages in a browser', () => {
  let cluster: PostgresCluster;
  let controller: Controller;
  let stack: Stack;
  let runner: JobRunner;
  let dir: string;
  let browser: TestBrowser;
  let page: Page;
  const spec = fleetServerSeed(1);

  async function exchange(): Promise<void> {
    const deps = fleetSyncDeps(stack.services, runner, readFleetCredentials(join(dir, 'fleet.json'))!);
    const report = await syncWithController(deps, { pull: true });
    for (const id of runner.active()) await runner.settled(id);
    if (report.accepted) await syncWithController(deps, { pull: false });
  }

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    controller = await startController(testFleetConfig(await fleetDatabase(cluster), { staleAfterSeconds: 600 }));
    await setAdminPassword(controller.pool, 'ops', await hashPassword(PASSWORD));

    dir = mkdtempSync(join(tmpdir(), 'fea-fleet-e2e-'));
    const eximMainlog = join(dir, 'exim_mainlog');
    const at = new Date(Date.now() - 600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const time = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    writeFileSync(
      eximMainlog,
      `${time} 1xXQ0b-0004Qx-2Z <= tiff@stale1.example U=alpha1 P=local S=344 T="Invoice"\n` +
        `${time} 1xXQ0b-0004Qx-2Z ** someone@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from stale1.example.\n`,
    );
    stack = await startStack({
      seed: spec.seed,
      config: { backup: { policy: 'off' }, fleet: { credentialsFile: join(dir, 'fleet.json') }, paths: { eximMainlog } },
    });
    runner = createJobRunner({ queue: stack.services.store });
    registerChangeJobs(runner, { context: () => stack.services.repairContext(), scans: stack.services.store });
    registerServerJobs(runner, stack.services.serverJobDeps());
    const token = newEnrollmentToken();
    await createEnrollmentToken(controller.pool, { token, serverName: 'web1', createdBy: 'test', expiresInHours: 1 });
    await joinFleet(fleetJoinDeps(stack.services), { controllerUrl: controller.url, token });
    await runScan(await stack.services.scanContext());
    await exchange();

    // web2 reported once, a domain with a hostile finding text, then went silent.
    const token2 = newEnrollmentToken();
    await createEnrollmentToken(controller.pool, { token: token2, serverName: 'web2', createdBy: 'test', expiresInHours: 1 });
    const keys = generateServerKeys();
    const info = { hostname: 'web2.example.net', version: 'old' };
    const enrolled = await postRaw(
      controller.url,
      '/api/v1/enroll',
      JSON.stringify({ protocol: 1, token: token2, publicKey: keys.publicKey, info }),
    );
    const now = new Date().toISOString();
    await signedPost(controller.url, 'push', enrolled.json.serverId, keys.privateKeyPem, {
      protocol: PROTOCOL_VERSION,
      info,
      entries: [
        {
          seq: 1,
          kind: 'domains',
          rows: [
            {
              domain: 'quiet2.example',
              zone: 'quiet2.example',
              user: 'delta2',
              owner: 'root',
              status: 'error',
              codes: ['LOCKDOWN_STALE'],
              findings: [{ code: 'LOCKDOWN_STALE', severity: 'error', message: HOSTILE }],
              scannedAt: now,
            },
          ],
        },
      ],
    });
    await controller.pool.query(`UPDATE fleet_servers SET last_seen_at = now() - interval '2 hours' WHERE name = 'web2'`);

    browser = await openBrowser();
    page = await browser.newPage();
    page.on('dialog', () => {
      throw new Error('a dialog opened: something ran a script');
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await controller?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const go = (path: string) => page.goto(new URL(path, controller.url).toString());
  /** The repair page refreshes itself every few seconds; a test need not wait that long. */
  async function reloadUntil(selector: string): Promise<void> {
    for (let i = 0; i < 100 && (await page.locator(selector).count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await page.reload();
    }
  }

  it('when the admin signs in, then the servers page shows web1 reporting and web2 not reporting, with their counts', async () => {
    await go('/domains');
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#username', 'ops');
    await page.fill('#password', 'not the password');
    await page.click('[data-action="login"]');
    await page.locator('[data-login-error]').waitFor();
    await page.fill('#password', PASSWORD);
    await page.click('[data-action="login"]');
    await page.waitForURL(/\/domains$/);
    await page.click('nav >> text=Servers');
    expect(await page.locator('tr[data-server="web1"]').getAttribute('data-server-state')).toBe('reporting');
    expect(await page.locator('tr[data-server="web2"]').getAttribute('data-server-state')).toBe('stale');
    expect(await page.locator('tr[data-server="web1"] [data-count="error"]').textContent()).toBe('3');
    expect(await page.locator('[data-total="stale"]').textContent()).toBe('1');
    await page.screenshot({ path: join(DOCS, 'screenshot-fleet-servers.png'), fullPage: true });
  });

  it('when the admin adds a server, then the one-time join command is shown once', async () => {
    await page.fill('input[name="name"]', 'web3');
    await page.click('[data-action="enroll"]');
    expect(await page.locator('[data-join-command]').textContent()).toMatch(
      /^fix-email-auth fleet join http:\/\/127\.0\.0\.1:\d+ fea1_[A-Za-z0-9_-]+$/,
    );
  });

  it('when the domains are filtered across servers, then values from servers are shown as text and a stale server’s rows say so', async () => {
    await go('/domains');
    expect(Number(await page.locator('[data-total="domains"]').textContent())).toBe(6);
    expect(await page.locator('tr[data-domain="quiet2.example"] [data-stale-report]').count()).toBe(1);
    expect(await page.locator(`tr[data-domain="quiet2.example"] a[title="${HOSTILE}"]`).count()).toBe(1);
    await page.selectOption('select[name="server"]', { label: 'web1' });
    await page.selectOption('select[name="status"]', 'error');
    await page.click('[data-action="filter"]');
    const domains = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-domain')));
    expect(domains.sort()).toEqual(['cfid1.example', 'foreign1.example', 'stale1.example']);
    expect(await page.locator('[data-total="stale"]').textContent()).toBe('3');
    await page.screenshot({ path: join(DOCS, 'screenshot-fleet-domains.png'), fullPage: true });
  });

  it('when every stale domain of web1 is asked for, then the page follows web1 repairing its part and refusing foreign DNS', async () => {
    await page.click('[data-action="repair-stale"]');
    await page.waitForURL(/\/repairs\/\d+$/);
    await reloadUntil('tr[data-progress-server="web1"]');
    await exchange();
    await reloadUntil('[data-repair-status="done"]');
    const states = await page
      .locator('tr[data-item-domain]')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-item-domain')}:${r.getAttribute('data-item-state')}`));
    expect(states.sort()).toEqual(['cfid1.example:done', 'foreign1.example:refused', 'stale1.example:done']);
    expect(await page.locator('tr[data-item-domain="foreign1.example"]').textContent()).toContain('hosted elsewhere');
    await page.screenshot({ path: join(DOCS, 'screenshot-fleet-repair.png'), fullPage: true });
    const href = (await page.locator('[data-export="csv"]').getAttribute('href'))!;
    const csv = (await page.evaluate(async (url) => (await fetch(url)).text(), href)).split('\r\n');
    expect(csv[0]).toBe('server,domain,state,reason,message,change_id,updated_at');
    expect(csv.filter((l) => l.startsWith('web1,')).map((l) => l.split(',').slice(1, 4).join(','))).toEqual([
      'cfid1.example,done,',
      'foreign1.example,refused,FOREIGN_DNS',
      'stale1.example,done,',
    ]);
  });

  it('when a domain of the silent server is ticked and asked for, then its part waits and the page says the server is not reporting', async () => {
    await go('/domains?server=');
    await page.locator('[data-select$=":quiet2.example"]').check();
    await page.click('[data-action="repair-selected"]');
    await page.waitForURL(/\/repairs\/\d+$/);
    await reloadUntil('tr[data-progress-server="web2"]');
    const row = page.locator('tr[data-progress-server="web2"]');
    expect(await row.getAttribute('data-waiting')).toBe('1');
    expect(await row.locator('[data-stale-report]').count()).toBe(1);
    await page.click('[data-action="cancel"]');
    await page.locator('[data-repair-status="cancelled"]').waitFor();
  });

  it('when the history and rejections are opened, then they show what web1 did and what bounced, and exports download', async () => {
    await page.click('nav >> text=History');
    const changes = await page.locator('tr[data-change]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-change-status')));
    expect(changes).toEqual(['verified', 'verified']);
    expect(await page.locator('tr[data-change] ins').first().textContent()).toBe('v=mc1 auth=webhostingm');
    await page.click('nav >> text=Rejections');
    const rejection = page.locator('tr[data-rejection-domain="stale1.example"]');
    expect(await rejection.locator('[data-count="messages"]').textContent()).toBe('1');
    const csv = await page.evaluate(async () => (await fetch('/domains?format=csv&server=')).text());
    expect(csv.split('\r\n')[0]).toBe('server,domain,zone,account,reseller,status,codes,scanned_at,server_stale');
    expect(csv).toContain('web2,quiet2.example');
  });

  it('when the admin signs out, then the pages need a sign-in again; no page raised a script or policy error', async () => {
    await page.click('[data-action="logout"]');
    await page.waitForURL(/\/login$/);
    await go('/');
    await page.waitForURL(/\/login/);
    // The wrong password's 401 is the only failed response.
    expect(browser.problems.filter((p) => !/(HTTP 401 |status of 401 \(Unauthorized\) ).*\/login$/.test(p))).toEqual([]);
  });
});
