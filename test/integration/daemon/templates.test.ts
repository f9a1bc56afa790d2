/**
 * The admin's zone templates over the socket (the demo's simulated server carries cPanel's
 * `standard` template with the old relay's record): shown with what is wrong, fixed, undone, and only
 * for the admin.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { as, startDaemonHarness, type DaemonHarness } from './harness';

jest.setTimeout(60000);

const admin = as('root', 'admin');
const adminJson = { ...admin, accept: 'application/json' };

describe('zone templates in WHM', () => {
  let h: DaemonHarness;
  beforeAll(async () => {
    h = await startDaemonHarness('socket');
  });
  afterAll(async () => {
    await h?.stop();
  });
  const standard = () => readFileSync(join(h.dir, 'zonetemplates', 'standard'), 'latin1');

  it('when the admin opens the overview and the templates page, then the stale template is named, in words, with the change it needs', async () => {
    const overview = await h.call({ path: '/admin', headers: admin });
    expect(overview.body).toContain('data-templates-to-fix');
    const page = await h.call({ path: '/admin/templates', headers: admin });
    expect(page.body).toContain('data-template="standard" data-status="error"');
    expect(page.body).toContain('title="LOCKDOWN_STALE">Lockdown names another host:');
    expect(page.body).toContain('<del>_mailchannels IN TXT &#34;v=mc1 auth=oldhost&#34;</del>');
    expect(page.body).toContain('<ins>_mailchannels\t%ttl%\tIN\tTXT\t&#34;v=mc1 auth=webhostingm&#34;</ins>');
  });

  it('when a cPanel user asks, then the templates are refused and nothing changes', async () => {
    const before = standard();
    expect((await h.call({ path: '/admin/templates', headers: as('alice') })).status).toBe(403);
    expect((await h.call({ method: 'POST', path: '/admin/templates/standard/fix', headers: as('alice') })).status).toBe(403);
    expect(standard()).toBe(before);
  });

  it('when the admin fixes the template and undoes it, then the file changes and comes back, the previous one kept', async () => {
    const before = standard();
    const fixed = await h.call({ method: 'POST', path: '/admin/templates/standard/fix', headers: adminJson });
    expect(fixed.status).toBe(200);
    expect(fixed.json.status).toBe('applied');
    expect(standard()).toContain('"v=mc1 auth=webhostingm"');
    expect(readdirSync(join(h.dir, 'state', 'zonetemplates'))).toHaveLength(1);
    const page = await h.call({ path: '/admin/templates', headers: admin });
    expect(page.body).toContain('data-template="standard" data-status="ok"');

    const undone = await h.call({ method: 'POST', path: `/admin/template-changes/${fixed.json.change.id}/undo`, headers: adminJson });
    expect(undone.json.status).toBe('applied');
    expect(standard()).toBe(before);
    expect(h.services.store.listTemplateChanges().map((c) => [c.kind, c.status])).toEqual([
      ['rollback', 'applied'],
      ['repair', 'rolled_back'],
    ]);
  });

  it('when an unknown or hostile template name is posted, then it is refused', async () => {
    const answer = await h.call({ method: 'POST', path: '/admin/templates/..%2Fpasswd/fix', headers: adminJson });
    expect(answer.status).toBe(400);
  });
});
