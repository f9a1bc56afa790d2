/**
 * Only the owner acts, proven over the daemon's socket against the simulated server (demo seed):
 * - every admin and hook route refuses a cPanel user, and every route that names a domain, change or
 *   job refuses another account's — both lists read from the router itself, so a new route is
 *   covered without editing this file;
 * - a change belongs to whoever owns its domain *now*: after bob's account is removed and the name
 *   reused, the new "bob" cannot undo (or see) the change in the zone that now belongs to grace, who can;
 * - an undo on the demo's tworecords.example puts back exactly the records the fix took out.
 */
import { parseZoneFile } from '../../../src/zone/bindReader';
import { as, startDaemonHarness, waitForJob, type DaemonHarness } from './harness';
import { listRoutes, type RouteEntry } from './routeList';

jest.setTimeout(60000);

/** Every record but the SOA, as owner/TTL/type/strings, sorted: the zone's contents as a bag. */
function recordBag(text: string, zone: string): string[] {
  return parseZoneFile(text, zone)
    .records.filter((r) => r.type !== 'SOA')
    .map((r) => `${r.name} ${r.ttl} ${r.type} ${JSON.stringify(r.data)}`)
    .sort();
}

/** Routes only the WHM admin (or cPanel's hooks) may use. */
const notForUsers = (r: RouteEntry) => /^\/(api\/)?(admin|hooks)(\/|$)/.test(r.path);

/** The concrete path of `route` with each parameter naming one of bob's things. */
function bobsPath(route: RouteEntry, bob: { domain: string; changeId: number; jobId: number; noticeId: number }): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    if (name === 'domain') return bob.domain;
    if (name === 'id' && /^\/(api\/)?changes\//.test(route.path)) return String(bob.changeId);
    if (name === 'id' && /^\/(api\/)?jobs\//.test(route.path)) return String(bob.jobId);
    if (name === 'id' && /^\/(api\/)?notices\//.test(route.path)) return String(bob.noticeId);
    // Admin-only zone templates: a real template name and a change id that may exist.
    if (name === 'name' && route.path.startsWith('/admin/templates/')) return 'standard';
    if (name === 'id' && route.path.startsWith('/admin/template-changes/')) return '1';
    throw new Error(`${route.method} ${route.path}: this test does not know what :${name} names; teach it, so the route is covered`);
  });
}

describe('who may act on what, over every route', () => {
  let h: DaemonHarness;
  let routes: RouteEntry[];
  let bob: { domain: string; changeId: number; jobId: number; noticeId: number };

  beforeAll(async () => {
    h = await startDaemonHarness('socket');
    routes = listRoutes(h.daemon.app);
    const started = await h.call({ method: 'POST', path: '/api/domains/cfid.example/fix', headers: as('bob') });
    const job = await waitForJob(h, started.json.jobId, as('bob'));
    expect(job.items[0].resultStatus).toBe('verified');
    const notice = h.services.store.notices.addNotice({ user: 'bob', domain: 'cfid.example', kind: 'needs-action', message: 'test' }, 1)!;
    bob = { domain: 'cfid.example', changeId: job.items[0].changeId, jobId: started.json.jobId, noticeId: notice.id };
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** What must not move when a request is refused. */
  async function world() {
    return {
      jobs: h.services.store.listJobs({ limit: 1000 }).length,
      changes: h.services.store.listChanges({ limit: 1000 }).map((c) => [c.id, c.status]),
      zones: [await h.zoneText('cfid.example'), await h.zoneText('tworecords.example')],
      simWrites: h.sim.log.find('mass_edit').length,
      bobsNotices: h.services.store.notices.openNotices('bob').map((n) => n.id),
    };
  }

  it('when the router is listed, then it holds the routes the pages use (the list below is not empty by accident)', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(expect.arrayContaining(['GET /admin', 'POST /admin/bulk-fix', 'POST /changes/:id/undo', 'GET /jobs/:id']));
    expect(routes.filter(notForUsers).length).toBeGreaterThanOrEqual(9);
  });

  it('when a cPanel user calls any admin or hook route, then each answers 403 and nothing is started or changed', async () => {
    const before = await world();
    const form = { 'all-stale': '1', domain: 'cfid.example', user: 'bob', event: 'restore' };
    const answers: Array<[string, number]> = [];
    for (const route of routes.filter(notForUsers)) {
      const path = bobsPath(route, bob);
      const answer = await h.call({
        method: route.method as 'GET' | 'POST',
        path,
        headers: as('alice'),
        ...(route.method === 'POST' ? { form } : {}),
      });
      answers.push([`${route.method} ${path}`, answer.status]);
    }
    expect(answers).toEqual(answers.map(([name]) => [name, 403]));
    expect(await world()).toEqual(before);
  });

  it("when a cPanel user calls any route naming another account's domain, change or job, then each answers 403 and nothing changes", async () => {
    const before = await world();
    const form = { from: 'test@cfid.example', to: 'someone@example.net', force: '1' };
    const named = routes.filter((r) => !notForUsers(r) && r.params.length > 0);
    expect(named.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /domains/:domain/fix',
        'POST /domains/:domain/test-email',
        'POST /changes/:id/undo',
        'POST /jobs/:id/cancel',
      ]),
    );
    const answers: Array<[string, number]> = [];
    for (const route of named) {
      const path = bobsPath(route, bob);
      const answer = await h.call({
        method: route.method as 'GET' | 'POST',
        path,
        headers: as('alice'),
        ...(route.method === 'POST' ? { form } : {}),
      });
      answers.push([`${route.method} ${path}`, answer.status]);
    }
    expect(answers).toEqual(answers.map(([name]) => [name, 403]));
    expect(await world()).toEqual(before);
  });

  it('when bob fixes tworecords.example (two lockdown records) and undoes it, then the zone holds exactly the records it held before', async () => {
    const before = await h.zoneText('tworecords.example');
    const fix = await h.call({ method: 'POST', path: '/api/domains/tworecords.example/fix', headers: as('bob') });
    const fixed = await waitForJob(h, fix.json.jobId, as('bob'));
    expect(fixed.items[0].resultStatus).toBe('verified');
    expect(recordBag(await h.zoneText('tworecords.example'), 'tworecords.example')).not.toEqual(recordBag(before, 'tworecords.example'));

    const undo = await h.call({ method: 'POST', path: `/api/changes/${fixed.items[0].changeId}/rollback`, headers: as('bob') });
    expect(undo.status).toBe(202);
    const undone = await waitForJob(h, undo.json.jobId, as('bob'));
    expect(undone.items[0].resultStatus).toBe('verified');
    expect(recordBag(await h.zoneText('tworecords.example'), 'tworecords.example')).toEqual(recordBag(before, 'tworecords.example'));
  });

  it("when bob's account is removed, its name reused, and his old domain now grace's, then the new bob cannot undo or see the change and grace can", async () => {
    const fixed = await h.zoneText('cfid.example');
    // WHM removeacct, then a new account that happens to be called bob, and grace gets cfid.example
    // back with its zone restored from a backup.
    await h.sim.removeAccount('bob');
    await h.sim.addAccount({ user: 'bob', domain: 'newbob.example' });
    await h.sim.addAccount({ user: 'grace', domain: 'cfid.example' });
    await h.sim.setZoneText('cfid.example', fixed);
    const jobsBefore = h.services.store.listJobs({ limit: 1000 }).length;

    for (const path of [`/changes/${bob.changeId}/undo`, `/api/changes/${bob.changeId}/rollback`]) {
      expect([path, (await h.call({ method: 'POST', path, headers: as('bob') })).status]).toEqual([path, 403]);
    }
    expect(h.services.store.listJobs({ limit: 1000 })).toHaveLength(jobsBefore);
    expect(await h.zoneText('cfid.example')).toBe(fixed);
    const newBobHistory = await h.call({ path: '/api/history', headers: as('bob') });
    expect(newBobHistory.json.changes.map((c: any) => c.id)).not.toContain(bob.changeId);

    const graceHistory = await h.call({ path: '/api/history', headers: as('grace') });
    expect(graceHistory.json.changes.map((c: any) => c.id)).toContain(bob.changeId);
    const page = await h.call({ path: '/api/domains/cfid.example', headers: as('grace') });
    expect(page.json.changes.map((c: any) => c.id)).toContain(bob.changeId);

    const undo = await h.call({ method: 'POST', path: `/api/changes/${bob.changeId}/rollback`, headers: as('grace') });
    expect(undo.status).toBe(202);
    const undone = await waitForJob(h, undo.json.jobId, as('grace'));
    expect(undone.items[0].resultStatus).toBe('verified');
    const lockdown = parseZoneFile(await h.zoneText('cfid.example'), 'cfid.example').records.filter(
      (r) => r.name === '_mailchannels.cfid.example.',
    );
    expect(lockdown.map((r) => r.data)).toEqual([['v=mc1 cfid=oldsite.workers.dev']]);
    expect(h.services.store.getChange(bob.changeId)!.status).toBe('rolled_back');
  });
});
