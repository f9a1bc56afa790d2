/**
 * The daemon in demo mode (loopback TCP): identity only from the picker's signed session, a CSRF token
 * on every POST, and the bridges' identity headers ignored.
 */
import { as, startDaemonHarness, type Answer, type DaemonHarness } from './harness';

jest.setTimeout(60000);

/** A browser-like client: keeps the session cookie, reads the CSRF token from the last page. */
class Browser {
  cookie = '';
  csrf = '';
  constructor(private readonly h: DaemonHarness) {}

  async go(
    path: string,
    init: { method?: 'GET' | 'POST'; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const answer = await this.h.call({
      path,
      ...init,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(init.headers ?? {}) },
    });
    const set = answer.headers['set-cookie'];
    if (set) this.cookie = String(Array.isArray(set) ? set[0] : set).split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(answer.body);
    if (token) this.csrf = token[1]!;
    return answer;
  }

  async login(form: Record<string, string>): Promise<Answer> {
    await this.go('/demo');
    return this.go('/demo/login', { method: 'POST', form: { ...form, _csrf: this.csrf } });
  }
}

describe('daemon on loopback TCP (demo mode)', () => {
  let h: DaemonHarness;
  beforeAll(async () => {
    h = await startDaemonHarness('tcp');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when the root is opened without a session, then it leads to the picker, which lists every account and the admin with their test hooks', async () => {
    const b = new Browser(h);
    const root = await b.go('/');
    expect(root.status).toBe(303);
    expect(root.headers.location).toBe('/demo');
    const picker = await b.go('/demo');
    expect(picker.status).toBe(200);
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'resell']) expect(picker.body).toContain(`data-demo-user="${user}"`);
    expect(picker.body).toContain('data-demo-admin');
    expect(picker.body).toMatch(/class="demo-banner"/);
    expect(picker.body).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it("when the bridges' identity headers are sent over TCP, then they are ignored: 401", async () => {
    for (const path of ['/api/domains', '/domains/migrated.example', '/admin']) {
      expect((await h.call({ path, headers: as('root', 'admin') })).status).toBe(401);
    }
    const fix = await h.call({ method: 'POST', path: '/api/domains/migrated.example/fix', headers: as('alice') });
    expect(fix.status).toBe(403); // no session, so no CSRF token: refused before anything else
  });

  it('when a POST has no CSRF token or a wrong one, then it is refused with 403 and the zone is unchanged; with the token it runs', async () => {
    const b = new Browser(h);
    expect((await b.login({ user: 'alice' })).status).toBe(303);
    const before = await h.zoneText('migrated.example');
    const jobsBefore = h.services.store.listJobs().length;
    const none = await b.go('/domains/migrated.example/fix', { method: 'POST', form: {} });
    const wrong = await b.go('/domains/migrated.example/fix', {
      method: 'POST',
      form: { _csrf: `${b.csrf.startsWith('A') ? 'B' : 'A'}${b.csrf.slice(1)}` },
    });
    const jsonNone = await b.go('/api/domains/migrated.example/fix', { method: 'POST' });
    expect([none.status, wrong.status, jsonNone.status]).toEqual([403, 403, 403]);
    expect(await h.zoneText('migrated.example')).toBe(before);
    expect(h.services.store.listJobs()).toHaveLength(jobsBefore);

    await b.go('/domains/migrated.example');
    const ok = await b.go('/domains/migrated.example/fix', { method: 'POST', form: { _csrf: b.csrf } });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toMatch(/^\/jobs\/\d+$/);
    // One running change per account (src/daemon/fairShare.ts): the next starts when this one is over.
    await h.daemon.runner.settled(Number(/\d+$/.exec(String(ok.headers.location))?.[0]));
    const byHeader = await b.go('/api/domains/migrated.example/fix', { method: 'POST', headers: { 'X-CSRF-Token': b.csrf } });
    expect(byHeader.status).toBe(202);
  });

  it("when the token of one session is used with another session's cookie, then it is refused", async () => {
    const alice = new Browser(h);
    await alice.login({ user: 'alice' });
    await alice.go('/');
    const mallory = new Browser(h);
    await mallory.login({ user: 'bob' });
    const answer = await mallory.go('/domains/cfid.example/fix', { method: 'POST', form: { _csrf: alice.csrf } });
    expect(answer.status).toBe(403);
  });

  it('when the session cookie is forged or tampered with, then there is no identity', async () => {
    const b = new Browser(h);
    await b.login({ user: 'alice' });
    const [payload, mac] = b.cookie.split('=')[1]!.split('.');
    const forged = Buffer.from(JSON.stringify({ sid: 'x', role: 'admin', user: 'root', iat: Math.floor(Date.now() / 1000) })).toString(
      'base64url',
    );
    for (const cookie of [`fea_session=${forged}.${mac}`, `fea_session=${payload}.AAAA`, 'fea_session=garbage']) {
      expect((await h.call({ path: '/admin', headers: { cookie } })).status).toBe(401);
    }
  });

  it('when the picker is used without its token or with an unknown user, then no session is given', async () => {
    const b = new Browser(h);
    await b.go('/demo');
    expect((await b.go('/demo/login', { method: 'POST', form: { user: 'alice' } })).status).toBe(403);
    expect((await b.go('/demo/login', { method: 'POST', form: { user: 'mallory', _csrf: b.csrf } })).status).toBe(400);
    expect((await b.go('/api/domains')).status).toBe(401);
  });

  it('when the admin is picked, then the admin pages open and a user page of any domain too; a user picked cannot open them', async () => {
    const admin = new Browser(h);
    const login = await admin.login({ role: 'admin' });
    expect(login.headers.location).toBe('/admin');
    expect((await admin.go('/admin')).status).toBe(200);
    expect((await admin.go('/domains/cfid.example')).status).toBe(200);
    const user = new Browser(h);
    await user.login({ user: 'carol' });
    expect((await user.go('/admin')).status).toBe(403);
  });

  it('when the Host header is not the loopback address, then the demo does not answer (DNS rebinding)', async () => {
    const answer = await h.call({ path: '/demo', headers: { host: 'attacker.example:80' } });
    expect(answer.status).toBe(421);
  });

  it('when a page is logged, then neither the session cookie nor the CSRF token appears in the log', async () => {
    const b = new Browser(h);
    await b.login({ user: 'erin' });
    await b.go('/domains/good.example');
    const text = JSON.stringify(h.logs);
    expect(text).not.toContain(b.csrf);
    expect(text).not.toContain(b.cookie.split('=')[1]!);
    expect(h.logs.some((e) => e.msg === 'request' && e.user === 'erin' && e.route === '/domains/:domain')).toBe(true);
  });
});
