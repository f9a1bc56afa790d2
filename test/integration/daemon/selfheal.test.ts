/**
 * The self-healing pages and listeners of the daemon on its socket: an owner sees only their own
 * notices and may dismiss only those, turns notice mails off and on; the admin's page (HTML and
 * JSON) and its per-account switch; the transfer-session hook with no account; and the metrics
 * listener on loopback TCP (GET /metrics only) and on a root-only socket.
 */
import { statSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';
import { createSelfHealRuntime } from '../../../src/daemon/selfHeal';
import type { Services } from '../../../src/services';
import { as, send, startDaemonHarness, type DaemonHarness } from './harness';

let h: DaemonHarness;
beforeAll(async () => {
  h = await startDaemonHarness('socket');
});
afterAll(async () => {
  await h?.stop();
});

const admin = as('root', 'admin');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe("the owner's notices", () => {
  it('when alice has a notice, then her pages show it in the banner, bob sees none of it, and only alice can dismiss it', async () => {
    const { notices } = h.services.store;
    const notice = notices.addNotice(
      { user: 'alice', domain: 'migrated.example', kind: 'needs-action', message: 'Mail from <b>migrated.example</b> is being rejected.' },
      1,
    )!;
    const page = await h.call({ path: '/', headers: as('alice') });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`data-notice="${notice.id}"`);
    expect(page.body).toContain('Mail from &lt;b&gt;migrated.example&lt;/b&gt; is being rejected.');
    expect(page.body).toContain('Stop these emails');
    const bobs = await h.call({ path: '/', headers: as('bob') });
    expect(bobs.body).not.toContain(`data-notice="${notice.id}"`);

    const api = await h.call({ path: '/api/notices', headers: as('alice') });
    expect(api.json.notices.map((n: { id: number }) => n.id)).toEqual([notice.id]);

    const stolen = await h.call({ method: 'POST', path: `/api/notices/${notice.id}/dismiss`, headers: as('bob'), json: {} });
    expect(stolen.status).toBe(403);
    expect(notices.openNotices('alice')).toHaveLength(1);
    const dismissed = await h.call({ method: 'POST', path: `/notices/${notice.id}/dismiss`, headers: as('alice'), form: {} });
    expect(dismissed.status).toBe(303);
    expect(notices.openNotices('alice')).toEqual([]);
  });

  it('when alice stops the notice mails and starts them again, then her account is opted out and back in', async () => {
    await h.call({ method: 'POST', path: '/notices/mails', headers: as('alice'), form: { off: '1' } });
    expect(h.services.store.notices.isOptedOut('alice')).toBe(true);
    expect((await h.call({ path: '/', headers: as('alice') })).body).toContain('Notice emails are off for your account.');
    await h.call({ method: 'POST', path: '/api/notices/mails', headers: as('alice'), json: { off: '0' } });
    expect(h.services.store.notices.isOptedOut('alice')).toBe(false);
  });
});

describe("the admin's self-healing page", () => {
  it('when the admin opens it, then it shows the policy, the follower and the notices; a cPanel user is refused', async () => {
    h.services.store.notices.addNotice({ user: 'bob', domain: 'cfid.example', kind: 'repair-failed', message: 'did not work' }, 1);
    const json = await h.call({ path: '/admin/selfheal', headers: { ...admin, accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({ policy: 'off', follow: { log: join(h.dir, 'exim_mainlog'), running: true } });
    expect(json.json.notices.map((n: { domain: string }) => n.domain)).toContain('cfid.example');
    const html = await h.call({ path: '/admin/selfheal', headers: admin });
    expect(html.body).toContain('Automatic repairs: <strong>off</strong>');
    expect(html.body).toContain('data-kind="repair-failed"');
    expect((await h.call({ path: '/admin/selfheal', headers: as('alice') })).status).toBe(403);
  });

  it('when the admin turns notice mails off for an account, then that account is opted out', async () => {
    const answer = await h.call({
      method: 'POST',
      path: '/admin/selfheal/mails',
      headers: { ...admin, accept: 'application/json' },
      form: { user: 'carol', off: '1' },
    });
    expect(answer.status).toBe(202);
    expect(h.services.store.notices.isOptedOut('carol')).toBe(true);
    expect((await h.call({ method: 'POST', path: '/admin/selfheal/mails', headers: admin, form: { user: '../x', off: '1' } })).status).toBe(
      400,
    );
  });
});

describe('the transfer-session hook', () => {
  it('when a session ends naming no account, then the accounts restored since it started are checked again', async () => {
    h.services.store.selfHeal.recordMigration('erin', 'restore');
    const since = Math.floor(Date.now() / 1000) - 60;
    const answer = await h.call({
      method: 'POST',
      path: '/api/hooks/recheck',
      headers: as('cpanel-hook', 'hook'),
      json: { event: 'transfer', hook: 'Whostmgr::Transfers::Session', since: String(since) },
    });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ users: ['erin'], selfHeal: true });
    const old = await h.call({
      method: 'POST',
      path: '/api/hooks/recheck',
      headers: as('cpanel-hook', 'hook'),
      json: { event: 'transfer', since: String(Math.floor(Date.now() / 1000) + 60) },
    });
    expect(old.json.users).toEqual([]);
  });
});

describe('the metrics listener', () => {
  it('when the admin enables a loopback port, then GET /metrics answers Prometheus text and nothing else is served', async () => {
    const port = await freePort();
    const services = { ...h.services, config: { ...h.services.config, metrics: { host: '127.0.0.1' as const, port } } } as Services;
    const runtime = createSelfHealRuntime(services, { log: () => undefined, follow: false });
    const { metrics } = await runtime.start();
    try {
      expect(metrics).toBe(`http://127.0.0.1:${port}/metrics`);
      const answer = await send({ baseUrl: `http://127.0.0.1:${port}` }, { path: '/metrics' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(answer.body).toMatch(/^# TYPE fix_email_auth_rejections_total counter$/m);
      expect(answer.body).toMatch(/^fix_email_auth_process_cpu_seconds_total /m);
      expect((await send({ baseUrl: `http://127.0.0.1:${port}` }, { path: '/' })).status).toBe(404);
    } finally {
      await runtime.stop();
    }
  });

  it('when the admin names a socket, then it is created 0600 in a 0700 folder and answers /metrics', async () => {
    const socket = join(h.dir, 'metrics-run', 'metrics.sock');
    const services = { ...h.services, config: { ...h.services.config, metrics: { host: '127.0.0.1' as const, socket } } } as Services;
    const runtime = createSelfHealRuntime(services, { log: () => undefined, follow: false });
    await runtime.start();
    try {
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      expect(statSync(join(h.dir, 'metrics-run')).mode & 0o777).toBe(0o700);
      expect((await send({ socketPath: socket }, { path: '/metrics' })).body).toContain('fix_email_auth_log_follow_lag_bytes');
    } finally {
      await runtime.stop();
    }
  });
});
