/**
 * The fleet controller on a real PostgreSQL, spoken to over HTTP exactly as servers and browsers do:
 * enrollment tokens work once, pushes apply once by server + sequence, a replayed, forged, tampered
 * or stale request is refused, a server reaches only its own rows, a retried expansion adds nothing,
 * and the admin sign-in guards every page.
 */
import { Pool } from 'pg';
import { startController, type Controller } from '../../../src/fleet/controller';
import {
  generateServerKeys,
  newEnrollmentToken,
  PROTOCOL_VERSION,
  signRequest,
  type DomainRow,
  type ServerKeys,
} from '../../../src/fleet/protocol';
import { hashPassword } from '../../../src/fleet/passwords';
import { createEnrollmentToken, expandRepair, listServers, migrate, queryDomains, setAdminPassword } from '../../../src/fleet/store';
import { fleetDatabase, postRaw, signedPost, startPostgresCluster, testFleetConfig, type PostgresCluster } from '../../support/fleet';
import { findPostgresBin } from '../../support/postgres';
import { describeIf } from '../../support/requires';

jest.setTimeout(60_000);

const info = (name: string) => ({ hostname: `${name}.example.net`, version: 'test' });
const row = (domain: string, status: DomainRow['status'] = 'error', codes = ['LOCKDOWN_STALE']): DomainRow => ({
  domain,
  zone: domain,
  user: 'alice',
  owner: 'resa',
  status,
  codes,
  findings: codes.map((code) => ({ code, severity: 'error' as const, message: `${code} on ${domain}` })),
  scannedAt: new Date().toISOString(),
});

interface Member {
  id: number;
  keys: ServerKeys;
  name: string;
}

/** Visible skip on a machine without PostgreSQL; in CI a failure that names it. */
describeIf(findPostgresBin() !== null, 'PostgreSQL (apt-get install postgresql)')('fleet controller over HTTP on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let controller: Controller;
  let db: Pool;
  let a: Member;
  let b: Member;

  async function enroll(name: string): Promise<Member> {
    const token = newEnrollmentToken();
    await createEnrollmentToken(controller.pool, { token, serverName: name, createdBy: 'test', expiresInHours: 1 });
    const keys = generateServerKeys();
    const answer = await postRaw(
      controller.url,
      '/api/v1/enroll',
      JSON.stringify({ protocol: 1, token, publicKey: keys.publicKey, info: info(name) }),
    );
    expect(answer.status).toBe(200);
    return { id: answer.json.serverId, keys, name };
  }
  const push = (m: Member, entries: unknown[], as = m) =>
    signedPost(controller.url, 'push', m.id, as.keys.privateKeyPem, { protocol: PROTOCOL_VERSION, info: info(m.name), entries });
  const pull = (m: Member) =>
    signedPost(controller.url, 'pull', m.id, m.keys.privateKeyPem, { protocol: PROTOCOL_VERSION, info: info(m.name) });
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    const url = await fleetDatabase(cluster);
    db = new Pool({ connectionString: url, max: 2 });
    db.on('error', () => undefined); // the cluster stopping after the test ends its connections
    // Several processes starting at once migrate once.
    const other = new Pool({ connectionString: url, max: 1 });
    await Promise.all([migrate(db), migrate(other)]);
    await other.end();
    controller = await startController(testFleetConfig(url, { staleAfterSeconds: 60 }));
    a = await enroll('web1');
    b = await enroll('web2');
  });
  afterAll(async () => {
    await controller?.close();
    await db?.end();
    await cluster?.stop();
  });

  it('when migrations ran from two processes at once, then each was applied exactly once', async () => {
    expect(await count('SELECT count(*) AS n FROM fleet_schema_migrations')).toBe(1);
  });

  it('when an enrollment token is used a second time, or after it expired, then it is refused and no server is added', async () => {
    const token = newEnrollmentToken();
    await createEnrollmentToken(controller.pool, { token, serverName: 'web9', createdBy: 'test', expiresInHours: 1 });
    const body = (keys: ServerKeys) => JSON.stringify({ protocol: 1, token, publicKey: keys.publicKey, info: info('web9') });
    expect((await postRaw(controller.url, '/api/v1/enroll', body(generateServerKeys()))).status).toBe(200);
    const again = await postRaw(controller.url, '/api/v1/enroll', body(generateServerKeys()));
    expect(again).toMatchObject({ status: 403, json: { error: { code: 'TOKEN_INVALID' } } });

    const old = newEnrollmentToken();
    await createEnrollmentToken(controller.pool, { token: old, serverName: 'web8', createdBy: 'test', expiresInHours: 1 });
    await db.query(`UPDATE fleet_enrollment_tokens SET expires_at = now() - interval '1 minute' WHERE server_name = 'web8'`);
    const late = await postRaw(
      controller.url,
      '/api/v1/enroll',
      JSON.stringify({ protocol: 1, token: old, publicKey: generateServerKeys().publicKey, info: info('web8') }),
    );
    expect(late.json.error.code).toBe('TOKEN_INVALID');
    expect(await count(`SELECT count(*) AS n FROM fleet_servers WHERE name IN ('web8', 'web9')`)).toBe(1);
  });

  it('when a push is replayed byte for byte, then it is refused; when the server resends the same entries signed anew, then nothing is applied twice', async () => {
    const first = await push(a, [
      { seq: 1, kind: 'domains', rows: [row('one.example'), row('two.example', 'ok', ['LOCKDOWN_OK'])] },
      {
        seq: 2,
        kind: 'changes',
        rows: [
          {
            id: 4,
            domain: 'one.example',
            zone: 'one.example',
            user: 'alice',
            kind: 'repair',
            rollbackOf: null,
            status: 'verified',
            actor: 'cli:root',
            createdAt: new Date().toISOString(),
            updatedAt: new Date().toISOString(),
            before: ['v=mc1 auth=oldhost'],
            after: ['v=mc1 auth=webhostingm'],
            error: null,
          },
        ],
      },
    ]);
    expect(first).toMatchObject({ status: 200, json: { ackedSeq: 2, previousSeq: 0 } });

    const received = (await db.query(`SELECT received_at FROM fleet_domains WHERE domain = 'one.example'`)).rows[0].received_at;
    const replay = await postRaw(controller.url, '/api/v1/push', first.raw, { Authorization: first.authorization });
    expect(replay).toMatchObject({ status: 401, json: { error: { code: 'REPLAYED' } } });

    const resent = await signedPost(controller.url, 'push', a.id, a.keys.privateKeyPem, JSON.parse(first.raw));
    expect(resent).toMatchObject({ status: 200, json: { ackedSeq: 2, previousSeq: 2 } });
    expect(await count('SELECT count(*) AS n FROM fleet_domains WHERE server_id = $1', [a.id])).toBe(2);
    expect(await count('SELECT count(*) AS n FROM fleet_changes WHERE server_id = $1', [a.id])).toBe(1);
    expect((await db.query(`SELECT received_at FROM fleet_domains WHERE domain = 'one.example'`)).rows[0].received_at).toEqual(received);
  });

  it('when a request is forged, tampered with or signed long ago, then it is refused and nothing changes', async () => {
    const entries = [{ seq: 50, kind: 'domains', rows: [row('forged.example')] }];
    const forged = await push(a, entries, b); // b's key, a's id
    expect(forged).toMatchObject({ status: 401, json: { error: { code: 'BAD_SIGNATURE' } } });

    const honest = JSON.stringify({ protocol: 1, info: info('web1'), entries });
    const authorization = signRequest({ endpoint: 'push', serverId: a.id, body: honest, privateKeyPem: a.keys.privateKeyPem });
    const tampered = await postRaw(controller.url, '/api/v1/push', honest.replace('forged.example', 'other.example'), {
      Authorization: authorization,
    });
    expect(tampered.json.error.code).toBe('BAD_SIGNATURE');

    const old = signRequest(
      { endpoint: 'push', serverId: a.id, body: honest, privateKeyPem: a.keys.privateKeyPem },
      Date.now() - 3_600_000,
    );
    expect((await postRaw(controller.url, '/api/v1/push', honest, { Authorization: old })).json.error.code).toBe('CLOCK_SKEW');
    expect((await postRaw(controller.url, '/api/v1/push', honest)).json.error.code).toBe('UNAUTHENTICATED');
    expect(await count(`SELECT count(*) AS n FROM fleet_domains WHERE domain IN ('forged.example', 'other.example')`)).toBe(0);
  });

  it('when a server pulls or answers, then it reaches only requests addressed to it, and answering another’s refuses its whole push', async () => {
    await push(b, [{ seq: 1, kind: 'domains', rows: [row('bee.example')] }]);
    const repairId = await controller.jobs.requestRepair('test', {
      kind: 'filter',
      filter: { anyCode: ['LOCKDOWN_STALE'] },
      label: 'all stale',
    });
    await expandRepair(controller.pool, repairId, 'test'); // whichever gets there first; the other adds nothing
    const pulledB = await pull(b);
    expect(pulledB.json.requests.map((r: { domain: string }) => r.domain)).toEqual(['bee.example']);
    const itemsA = (await pull(a)).json.requests as Array<{ itemId: number; domain: string }>;
    expect(itemsA.map((r) => r.domain)).toEqual(['one.example']);

    const sneaky = await push(b, [
      { seq: 2, kind: 'domains', rows: [row('bee2.example')] },
      { seq: 3, kind: 'request', outcome: { itemId: itemsA[0]!.itemId, state: 'done', message: 'done by b' } },
    ]);
    expect(sneaky).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } });
    expect(await count(`SELECT count(*) AS n FROM fleet_request_items WHERE id = $1 AND state = 'delivered'`, [itemsA[0]!.itemId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM fleet_domains WHERE domain = 'bee2.example'`)).toBe(0);
    expect(await count('SELECT last_seq AS n FROM fleet_servers WHERE id = $1', [b.id])).toBe(1);
  });

  it('when the expansion job runs again after a crash, then no domain is requested twice', async () => {
    const repairId = await controller.jobs.requestRepair('test', {
      kind: 'domains',
      domains: [
        { serverId: a.id, domain: 'one.example' },
        { serverId: b.id, domain: 'bee.example' },
      ],
    });
    await expandRepair(controller.pool, repairId, 'first');
    await db.query(`UPDATE fleet_repairs SET status = 'expanding' WHERE id = $1`, [repairId]); // as if the job died before its last step
    await db.query('DELETE FROM fleet_repair_servers WHERE repair_id = $1', [repairId]);
    await expandRepair(controller.pool, repairId, 'second');
    expect(await count('SELECT count(*) AS n FROM fleet_request_items WHERE repair_id = $1', [repairId])).toBe(2);
  });

  it('when a server is revoked, then its requests are refused and its domains leave the list', async () => {
    const c = await enroll('web3');
    await push(c, [{ seq: 1, kind: 'domains', rows: [row('sea.example')] }]);
    await db.query('UPDATE fleet_servers SET revoked_at = now() WHERE id = $1', [c.id]);
    expect((await pull(c)).json.error.code).toBe('REVOKED');
  });

  it('when a server pushes domains of every status, then each status filter and the server’s counts find exactly those', async () => {
    const d = await enroll('web4');
    const statuses = ['ok', 'info', 'warning', 'error', 'unknown'] as const;
    // 1 ok, 2 info, 3 warning, 4 error, 5 unknown: a status counted or filtered as another shows.
    const rows = statuses.flatMap((status, i) => Array.from({ length: i + 1 }, (_, n) => row(`${status}${n}.web4.example`, status, [])));
    expect((await push(d, [{ seq: 1, kind: 'domains', rows }])).status).toBe(200);
    for (const status of statuses) {
      const page = await queryDomains(db, { serverId: d.id, status: [status], limit: 100 }, 60);
      expect(page.rows.map((r) => r.status)).toEqual(Array(statuses.indexOf(status) + 1).fill(status));
      expect(page.total).toBe(statuses.indexOf(status) + 1);
    }
    const both = await queryDomains(db, { serverId: d.id, status: ['error', 'unknown'], limit: 100 }, 60);
    expect(both.total).toBe(9);
    const listed = (await listServers(db, 60)).find((s) => s.id === d.id)!;
    expect(listed.byStatus).toEqual({ ok: 1, info: 2, warning: 3, error: 4, unknown: 5 });
    expect(listed.domains).toBe(15);
  });

  describe('admin pages', () => {
    const page = (path: string, cookie = '', init: { method?: string; body?: string } = {}) =>
      fetch(new URL(path, controller.url), {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: { cookie, ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(init.body ? { body: init.body } : {}),
      });
    const loginForm = async () => {
      const res = await page('/login');
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
      return { cookie, token };
    };
    const signIn = async (password: string) => {
      const { cookie, token } = await loginForm();
      return page('/login', cookie, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: token, username: 'ops', password, next: '/' }).toString(),
      });
    };

    beforeAll(async () => {
      await setAdminPassword(controller.pool, 'ops', await hashPassword('correct horse battery', { N: 1024, r: 8, p: 1 }));
    });

    it('when nobody is signed in, then pages send to the sign-in and POSTs are refused', async () => {
      expect((await page('/domains')).headers.get('location')).toMatch(/^\/login\?next=/);
      const post = await page('/repairs', '', { method: 'POST', body: 'scope=stale' });
      expect(post.status).toBe(401);
    });

    it('when the password is right, then the session opens every page; a POST without the CSRF token is refused; signing out ends it', async () => {
      expect((await signIn('wrong password!!')).status).toBe(401);
      const ok = await signIn('correct horse battery');
      expect(ok.status).toBe(303);
      const session = ok.headers.get('set-cookie')!.split(';')[0]!;
      const domains = await page('/domains?status=error', session);
      expect(domains.status).toBe(200);
      const html = await domains.text();
      expect(html).toContain('one.example');
      expect(domains.headers.get('content-security-policy')).toContain("script-src 'self'");
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
      expect((await page('/repairs', session, { method: 'POST', body: 'scope=stale' })).status).toBe(403);
      expect((await page('/logout', session, { method: 'POST', body: `_csrf=${csrf}` })).status).toBe(303);
      expect((await page('/domains', session)).status).toBe(303);
    });

    it('when the password is wrong five times, then even the right one waits', async () => {
      await db.query(`UPDATE fleet_admins SET failed_logins = 0, locked_until = NULL WHERE username = 'ops'`);
      for (let i = 0; i < 5; i++) expect((await signIn(`wrong ${i} password`)).status).toBe(401);
      const locked = await signIn('correct horse battery');
      expect(locked.status).toBe(401);
      expect(await locked.text()).toContain('Too many failed sign-ins');
    });
  });
});
