/**
 * The demo as people use it, in Chromium: the simulated server, real PowerDNS serving its zones
 * (test/support/pdns.ts) and the daemon with the demo picker. As a cPanel user: fix the stale domain,
 * see it verified and `ok`, undo it; fix a domain with its row's button; replace a record that blocks
 * all mail only after ticking the page's question. As the WHM admin: scan, dry-run and bulk-fix three
 * domains.
 * Screenshots of the main pages go to docs/ for the README (with UPDATE_SCREENSHOTS=1).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { startDemo, type DemoHandle } from '../../src/daemon/demo';
import { startPowerDns } from '../support/pdns';
import { openBrowser, type TestBrowser } from './support/browser';

jest.setTimeout(120000);

/**
 * The README's screenshots are rewritten only when asked (`UPDATE_SCREENSHOTS=1`): they show the
 * demo's random ports, so writing them on every run would leave the working tree changed.
 */
const DOCS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs') : mkdtempSync(join(tmpdir(), 'fea-screens-'));

describe('demo in a browser', () => {
  let demo: DemoHandle;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, startPowerDns });
    expect(demo.dns.kind).toBe('powerdns');
    browser = await openBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const row = (domain: string) => page.locator(`tr[data-domain="${domain}"]`);

  async function pick(hook: string): Promise<void> {
    await page.goto(demo.url);
    await page.locator(hook).click();
  }

  it('when alice fixes her stale domain, then the page shows each step, it is verified on every nameserver, the domain is ok, and Undo puts the old record back', async () => {
    await pick('[data-demo-user="alice"]');
    await page.waitForURL(/\/$/);
    await page.locator('.demo-banner').waitFor();
    expect(await row('migrated.example').getAttribute('data-status')).toBe('error');
    expect(await row('alias.example').getAttribute('data-status')).toBe('ok');
    // At a glance: Fix on the broken row, Review (never Fix) for the one that blocks all mail, one line when OK.
    expect(await row('migrated.example').locator('[data-action="row-fix"]').count()).toBe(1);
    expect(await row('blockall.example').locator('[data-action="row-fix"]').count()).toBe(0);
    expect(await row('blockall.example').locator('[data-action="row-review"]').count()).toBe(1);
    expect(await row('alias.example').textContent()).toContain("MailChannels accepts this domain's mail.");
    expect(await page.locator('[data-note="shared-auth"]').count()).toBe(1);
    await page.screenshot({ path: join(DOCS, 'screenshot-user.png'), fullPage: true });

    await row('migrated.example').locator('a').first().click();
    await page.waitForURL(/\/domains\/migrated\.example$/);
    await page.getByText('v=mc1 auth=webhostingm').first().waitFor();
    await page.screenshot({ path: join(DOCS, 'screenshot-domain.png'), fullPage: true });

    await page.locator('[data-action="fix"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    // The poller reloads the page when the job is over.
    await page.locator('[data-result]').waitFor({ timeout: 30000 });
    expect(await page.locator('[data-result]').getAttribute('data-result')).toBe('verified');
    const steps = await page.locator('[data-steps] .step-label').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['Back up', 'Change the record', 'Verify on each nameserver']));
    expect(await page.locator('table').first().textContent()).toMatch(
      /ns1\.webhostingm\.example[\s\S]*Yes[\s\S]*ns2\.webhostingm\.example[\s\S]*Yes/,
    );
    await page.getByText('will have let it go by').waitFor();
    await page.screenshot({ path: join(DOCS, 'screenshot-job.png'), fullPage: true });
    expect(await demo.sim.zoneText('migrated.example')).toContain('"v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice"');

    await page.locator('a', { hasText: 'Your domains' }).click();
    expect(await row('migrated.example').getAttribute('data-status')).toBe('ok');

    await page.goBack();
    await page.locator('[data-action="undo"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.locator('[data-result]').waitFor({ timeout: 30000 });
    expect(await page.locator('[data-result]').getAttribute('data-result')).toBe('verified');
    expect(await demo.sim.zoneText('migrated.example')).toContain('"v=mc1 auth=oldhost"');
    await page.locator('a', { hasText: 'Your domains' }).click();
    expect(await row('migrated.example').getAttribute('data-status')).toBe('error');
  });

  it('when the admin scans, previews three domains and repairs them in bulk, then the stale ones are verified and the block-all one is kept', async () => {
    await page.locator('button', { hasText: 'Switch user' }).click();
    await page.locator('[data-demo-admin]').click();
    await page.waitForURL(/\/admin$/);

    await page.locator('[data-action="scan"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.locator('a', { hasText: 'See the results' }).click({ timeout: 30000 });
    await page.waitForURL(/\/admin\/domains$/);
    for (const domain of ['cfid.example', 'tworecords.example', 'migrated.example']) {
      expect(await row(domain).getAttribute('data-status')).toBe('error');
    }
    // Blocking all mail is a choice: a warning, never repaired in bulk without the separate box.
    expect(await row('blockall.example').getAttribute('data-status')).toBe('warning');
    await page.screenshot({ path: join(DOCS, 'screenshot-admin.png'), fullPage: true });

    for (const domain of ['cfid.example', 'tworecords.example', 'blockall.example'])
      await page.locator(`[data-select="${domain}"]`).check();
    await page.locator('[data-action="dry-run"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    const apply = page.locator('[data-action="bulk-fix"]');
    await apply.waitFor({ timeout: 30000 });
    expect(await apply.textContent()).toContain('Apply these 2 changes');
    expect(await page.locator('[data-held-block-all]').textContent()).toContain('blockall.example');
    // The preview shows each domain's record now and after.
    expect(await row('tworecords.example').textContent()).toMatch(/v=mc1 auth=oldhost[\s\S]*v=mc1 auth=webhostingm/);
    expect(await demo.sim.zoneText('cfid.example')).toContain('cfid=oldsite.workers.dev');

    await apply.click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.locator('[data-job-status="done"]').waitFor({ timeout: 30000 });
    for (const domain of ['cfid.example', 'tworecords.example']) {
      expect(await row(domain).textContent()).toContain('Verified');
    }

    await page.goto(new URL('/admin/domains', demo.url).toString());
    for (const domain of ['cfid.example', 'tworecords.example']) expect(await row(domain).getAttribute('data-status')).toBe('ok');
    expect(await row('blockall.example').getAttribute('data-status')).toBe('warning');
    expect(await demo.sim.zoneText('blockall.example')).toContain('"v=mc1"');
    expect(await row('migrated.example').getAttribute('data-status')).toBe('error');
  });

  it("when carol presses a row's Fix, then the repair runs from the list and ends verified", async () => {
    await page.locator('button', { hasText: 'Switch user' }).click();
    await page.locator('[data-demo-user="carol"]').click();
    await page.waitForURL(/\/$/);
    await row('nolockdown.example').locator('[data-action="row-fix"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.locator('[data-result]').waitFor({ timeout: 30000 });
    expect(await page.locator('[data-result]').getAttribute('data-result')).toBe('verified');
    expect(await demo.sim.zoneText('nolockdown.example')).toContain('"v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|carol"');
    await page.locator('a', { hasText: 'Your domains' }).click();
    expect(await row('nolockdown.example').locator('[data-action="row-fix"]').count()).toBe(0);
  });

  it('when alice reviews the domain that blocks all mail, then the fix waits for her yes, and only then allows sending', async () => {
    await page.locator('button', { hasText: 'Switch user' }).click();
    await page.locator('[data-demo-user="alice"]').click();
    await page.waitForURL(/\/$/);
    await row('blockall.example').locator('[data-action="row-review"]').click();
    await page.waitForURL(/\/domains\/blockall\.example$/);
    const question = page.locator('[data-confirm="block-all"]');
    expect(await page.locator('.confirm').textContent()).toContain('set to block all mail');
    await page.screenshot({ path: join(DOCS, 'screenshot-block-all.png'), fullPage: true });

    // Unticked, the browser does not send the form: still on the page, the record unchanged.
    await page.locator('[data-action="fix"]').click();
    expect(await page.locator('[data-confirm="block-all"]:invalid').count()).toBe(1);
    expect(page.url()).toMatch(/\/domains\/blockall\.example$/);
    expect(await demo.sim.zoneText('blockall.example')).toContain('"v=mc1"');

    await question.check();
    await page.locator('[data-action="fix"]').click();
    await page.waitForURL(/\/jobs\/\d+$/);
    await page.locator('[data-result]').waitFor({ timeout: 30000 });
    expect(await page.locator('[data-result]').getAttribute('data-result')).toBe('verified');
    expect(await demo.sim.zoneText('blockall.example')).toContain('"v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice"');
  });

  it('when the pages ran, then the browser saw no script error or CSP violation, and the page script left no AMD globals behind', async () => {
    expect(await page.evaluate(() => [typeof (globalThis as any).define, typeof (globalThis as any).require])).toEqual([
      'undefined',
      'undefined',
    ]);
    expect(browser.problems).toEqual([]);
  });

  it('when JavaScript is off, then a fix still ends on its result page (meta refresh)', async () => {
    const plain = await openBrowser({ javaScriptEnabled: false });
    try {
      const p = await plain.newPage();
      await p.goto(demo.url);
      await p.locator('[data-demo-user="resell"]').click();
      await p.locator('tr[data-domain="resell.example"] a').first().click();
      await p.locator('[data-action="fix"]').click();
      await p.waitForURL(/\/jobs\/\d+$/);
      await p.locator('[data-result]').waitFor({ timeout: 30000 });
      expect(await p.locator('[data-result]').getAttribute('data-result')).toBe('verified');
    } finally {
      await plain.close();
    }
  });
});
