/**
 * A fleet on real parts: three simulated cPanel servers (the simulator over HTTPS, PowerDNS serving
 * their zones, each its own journal) and two fleet controller processes (`fix-email-auth fleet serve`)
 * on one PostgreSQL. The servers join with one-time tokens from `fleet enroll`, push their scans,
 * and a bulk repair of every stale domain across servers is asked for. The controller process that
 * picks the job is killed half-way (a lock held on the next server's row keeps it there); the other
 * finishes it, addressing nothing twice. Servers 1 and 2 decide and repair their part; server 3 is
 * offline meanwhile: its part waits and is shown as such, and completes when it comes back. Each
 * server refuses what its own policy forbids (foreign DNS, block-all); nothing is repaired twice;
 * a replayed push is refused and a server cannot answer another server's request.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Pool } from 'pg';
import { createFleetLink, FleetRefusal, readFleetCredentials } from '../../../src/adapters/fleet';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { fleetSyncDeps } from '../../../src/fleetWiring';
import { PROTOCOL_VERSION, signRequest } from '../../../src/fleet/protocol';
import { getRepair, listServers, repairItems } from '../../../src/fleet/store';
import { registerServerJobs } from '../../../src/usecases/bulk';
import { syncWithController } from '../../../src/usecases/fleet';
import { createJobRunner, registerChangeJobs, type JobRunner } from '../../../src/usecases/jobs';
import { runScan } from '../../../src/usecases/scan';
import { fleetDatabase, postRaw, startPostgresCluster, startTcpBalancer, type PostgresCluster } from '../../support/fleet';
import { fleetServerSeed, type FleetServerSeed } from '../../support/fleetSeeds';
import { startStack, type Stack } from '../../support/stack';
import { findPostgresBin } from '../../support/postgres';
import { describeIf } from '../../support/requires';

jest.setTimeout(240_000);

const BIN = join(__dirname, '../../../bin/fix-email-auth');

interface ControllerProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  log: string[];
}

interface Member {
  n: number;
  stack: Stack;
  spec: FleetServerSeed;
  runner: JobRunner;
  credentialsFile: string;
}

function cliIO(env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: tmpdir() };
  return { io, out: () => out, err: () => err };
}

function startControllerProcess(env: NodeJS.ProcessEnv): Promise<ControllerProcess> {
  const child = spawn(process.execPath, [BIN, 'fleet', 'serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        log.push(line);
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve({ child, url: m[1]!, pid: child.pid!, log });
      }
    });
    child.once('exit', (code) => reject(new Error(`fleet serve exited with ${code}:\n${log.join('\n')}`)));
  });
}

/** Two messages of a domain rejected by MailChannels an hour ago, as Exim logs them (local time). */
function lockdownRejections(domain: string): string {
  const at = new Date(Date.now() - 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return ['1xXQ0b-0004Qx-2Z', '1xXQ0c-0004Qy-3A']
    .map(
      (id, i) =>
        `${time} ${id} <= tiff@${domain} U=alpha1 P=local S=344 id=m${i}@${domain} T="Invoice"\n` +
        `${time} ${id} ** someone${i}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n`,
    )
    .join('');
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Visible skip on a machine without PostgreSQL; in CI a failure that names it. */
describeIf(findPostgresBin() !== null, 'PostgreSQL (apt-get install postgresql)')(
  'a fleet of three cPanel servers and two controller processes on one PostgreSQL',
  () => {
    let cluster: PostgresCluster;
    let db: Pool;
    let dir: string;
    let controllerEnv: NodeJS.ProcessEnv;
    const controllers: ControllerProcess[] = [];
    const members: Member[] = [];
    let balancer: Awaited<ReturnType<typeof startTcpBalancer>>;
    const alive = (c: ControllerProcess) => c.child.exitCode === null && c.child.signalCode === null;

    /** One exchange of a server with its controller, then its accepted repairs run to their end and are reported. */
    async function exchange(m: Member): Promise<void> {
      const credentials = readFleetCredentials(m.credentialsFile)!;
      const deps = fleetSyncDeps(m.stack.services, m.runner, credentials);
      const report = await syncWithController(deps, { pull: true });
      for (const id of m.runner.active()) await m.runner.settled(id);
      if (report.accepted) await syncWithController(deps, { pull: false });
    }

    beforeAll(async () => {
      cluster = await startPostgresCluster();
      const url = await fleetDatabase(cluster);
      db = new Pool({ connectionString: url, max: 3 });
      db.on('error', () => undefined);
      dir = mkdtempSync(join(tmpdir(), 'fea-fleet-'));
      const configFile = join(dir, 'fleet-controller.json');
      writeFileSync(
        configFile,
        JSON.stringify({
          database: { url },
          pollSeconds: 1,
          staleAfterSeconds: 20,
          jobs: { expireSeconds: 3, maintenanceSeconds: 1, pollSeconds: 0.5, retryLimit: 5 },
        }),
      );
      controllerEnv = { ...process.env, FIX_EMAIL_AUTH_FLEET_CONFIG: configFile };
      controllers.push(await startControllerProcess(controllerEnv), await startControllerProcess(controllerEnv));
      balancer = await startTcpBalancer(() => controllers.filter(alive).map((c) => c.url));

      for (const n of [1, 2, 3]) {
        const spec = fleetServerSeed(n);
        const credentialsFile = join(dir, `fleet-${n}.json`);
        const eximMainlog = join(dir, `exim_mainlog-${n}`);
        writeFileSync(eximMainlog, n === 1 ? lockdownRejections(spec.repairable[1]!) : '');
        const stack = await startStack({
          seed: spec.seed,
          config: { backup: { policy: 'off' }, fleet: { credentialsFile }, paths: { eximMainlog } },
        });
        const runner = createJobRunner({ queue: stack.services.store });
        registerChangeJobs(runner, { context: () => stack.services.repairContext(), scans: stack.services.store });
        registerServerJobs(runner, stack.services.serverJobDeps());
        members.push({ n, stack, spec, runner, credentialsFile });
      }
    });

    afterAll(async () => {
      for (const m of members) await m.stack.stop();
      await balancer?.close();
      const running = controllers.filter(alive);
      for (const c of running) c.child.kill('SIGTERM');
      await Promise.all(running.map((c) => new Promise((r) => c.child.once('exit', r))));
      await db?.end();
      await cluster?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('when each server joins with a token from `fleet enroll` and pushes its scan, then the controller lists every domain of every server; a token works once', async () => {
      for (const m of members) {
        const enroll = cliIO(controllerEnv);
        expect(await run(['fleet', 'enroll', '--name', `web${m.n}`, '--json'], enroll.io)).toBe(0);
        const { token } = JSON.parse(enroll.out());
        // Servers reach the controller processes through one address, each request going to either: they share only PostgreSQL.
        const url = balancer.url;
        const join1 = cliIO(m.stack.env);
        expect(await run(['fleet', 'join', url, token], join1.io)).toBe(0);
        expect(join1.out()).toContain(`Joined the fleet as web${m.n}`);
        if (m.n === 1) {
          const again = cliIO(m.stack.env);
          expect(await run(['fleet', 'join', url, token, '--force'], again.io)).not.toBe(0);
          expect(again.err()).toContain('TOKEN_INVALID');
        }
        await runScan(await m.stack.services.scanContext());
        await exchange(m);
      }
      const list = cliIO(controllerEnv);
      await run(['fleet', 'domains', '--limit', '1000', '--json'], list.io);
      const rows = JSON.parse(list.out()).rows as Array<{ server: string; domain: string; status: string }>;
      expect(rows).toHaveLength(15);
      expect(
        rows
          .filter((r) => r.server === 'web2')
          .map((r) => r.domain)
          .sort(),
      ).toEqual(['blockall2.example', 'cfid2.example', 'foreign2.example', 'ok2.example', 'stale2.example']);
      expect(rows.find((r) => r.domain === 'stale3.example')).toMatchObject({ server: 'web3', status: 'error' });

      // Server 1's mail log showed MailChannels rejecting one of its domains: the fleet sees it, once.
      await exchange(members[0]!);
      const rejections = await db.query(
        `SELECT s.name, r.domain, r.class, count(*) AS n FROM fleet_rejections r JOIN fleet_servers s ON s.id = r.server_id GROUP BY 1, 2, 3`,
      );
      expect(rejections.rows).toEqual([{ name: 'web1', domain: members[0]!.spec.repairable[1], class: 'LOCKDOWN_REJECTED', n: '2' }]);
    });

    it('when a signed push is replayed, or a server answers a request of another, then the controller refuses it', async () => {
      const [one, two] = members;
      const credentials = readFleetCredentials(one!.credentialsFile)!;
      const raw = JSON.stringify({ protocol: PROTOCOL_VERSION, info: { hostname: 'web1', version: 'x' }, entries: [] });
      const captured = {
        raw,
        authorization: signRequest({
          endpoint: 'push',
          serverId: credentials.serverId,
          body: raw,
          privateKeyPem: credentials.privateKeyPem,
        }),
      };
      expect((await postRaw(controllers[0]!.url, '/api/v1/push', captured.raw, { Authorization: captured.authorization })).status).toBe(
        200,
      );
      const replay = await postRaw(controllers[1]!.url, '/api/v1/push', captured.raw, { Authorization: captured.authorization });
      expect(replay).toMatchObject({ status: 401, json: { error: { code: 'REPLAYED' } } });

      const other = createFleetLink(readFleetCredentials(two!.credentialsFile)!);
      const item = await db.query(
        `INSERT INTO fleet_repairs (created_by, selection, status) VALUES ('test', '{"kind":"domains","domains":[]}', 'open') RETURNING id`,
      );
      const inserted = await db.query(
        `INSERT INTO fleet_request_items (repair_id, server_id, domain, state) VALUES ($1, $2, 'stale1.example', 'delivered') RETURNING id`,
        [item.rows[0].id, credentials.serverId],
      );
      const sneaky = other.push({
        protocol: PROTOCOL_VERSION,
        info: { hostname: 'web2', version: 'x' },
        entries: [{ seq: 10_000, kind: 'request', outcome: { itemId: Number(inserted.rows[0].id), state: 'done', message: 'not mine' } }],
      });
      await expect(sneaky).rejects.toBeInstanceOf(FleetRefusal);
      await expect(sneaky).rejects.toMatchObject({ fleetCode: 'FORBIDDEN' });
      expect((await other.pull({ protocol: PROTOCOL_VERSION, info: { hostname: 'web2', version: 'x' } })).requests).toEqual([]);
      await db.query(`UPDATE fleet_request_items SET state = 'cancelled' WHERE id = $1`, [inserted.rows[0].id]);
      await db.query(`UPDATE fleet_repairs SET status = 'cancelled' WHERE id = $1`, [item.rows[0].id]);
    });

    it('when the controller process expanding a bulk repair is killed half-way and server 3 is offline, then the other process finishes it, each server decides its part once, and server 3 completes when it is back', async () => {
      const server2 = await db.query(`SELECT id FROM fleet_servers WHERE name = 'web2'`);
      const blocker = await db.connect();
      let repairId: number;
      let killed: ControllerProcess;
      try {
        // As a revocation would: server 2's row is locked, so the expansion stops there, after server 1's part.
        await blocker.query('BEGIN');
        await blocker.query('SELECT id FROM fleet_servers WHERE id = $1 FOR UPDATE', [server2.rows[0].id]);
        const ask = cliIO(controllerEnv);
        expect(await run(['fleet', 'repair', '--all-stale', '--json'], ask.io)).toBe(0);
        repairId = JSON.parse(ask.out()).repairId;
        const worker = await waitFor('the first server part', async () => {
          const r = await db.query(
            `SELECT r.expanded_by FROM fleet_repairs r JOIN fleet_repair_servers s ON s.repair_id = r.id WHERE r.id = $1`,
            [repairId],
          );
          return r.rows[0]?.expanded_by as string | undefined;
        });
        killed = controllers.find((c) => worker.endsWith(`:${c.pid}`))!;
        expect(killed).toBeDefined();
        killed.child.kill('SIGKILL');
        await new Promise((r) => killed.child.once('exit', r));
        await blocker.query('COMMIT');
      } finally {
        blocker.release();
      }
      const survivor = controllers.find((c) => c !== killed)!;
      const expanded = await waitFor('the survivor to finish addressing the repair', async () => {
        const found = await getRepair(db, repairId, 20);
        return found && found.repair.status !== 'queued' && found.repair.status !== 'expanding' ? found : null;
      });
      expect(expanded.repair.expandedBy).toMatch(new RegExp(`:${survivor.pid}$`));
      const parts = await db.query('SELECT server_id, expanded_by FROM fleet_repair_servers WHERE repair_id = $1 ORDER BY server_id', [
        repairId,
      ]);
      expect(parts.rows.map((r) => String(r.expanded_by).split(':').pop())).toEqual([
        String(killed.pid),
        String(survivor.pid),
        String(survivor.pid),
      ]);
      const all = await repairItems(db, repairId);
      const expected = members.flatMap((m) => m.spec.staleSelected.map((d) => `web${m.n}:${d}`)).sort();
      expect(all.map((i) => `${i.server}:${i.domain}`).sort()).toEqual(expected);

      // Servers 1 and 2 take their part; server 3 is not there.
      for (const m of members.slice(0, 2)) await exchange(m);
      const meanwhile = await getRepair(db, repairId, 20);
      expect(meanwhile!.repair.status).toBe('open');
      const byServer = Object.fromEntries(meanwhile!.servers.map((s) => [s.server, s.counts]));
      expect(byServer.web1).toMatchObject({ done: 2, refused: 1, pending: 0, delivered: 0, accepted: 0 });
      expect(byServer.web2).toMatchObject({ done: 2, refused: 1 });
      expect(byServer.web3).toMatchObject({ pending: 3, done: 0 });
      const refused = (await repairItems(db, repairId, { state: 'refused' })).map((i) => [i.domain, i.reason]);
      expect(refused).toEqual(
        expect.arrayContaining([
          ['foreign1.example', 'FOREIGN_DNS'],
          ['foreign2.example', 'FOREIGN_DNS'],
        ]),
      );

      // Server 3, silent too long, is shown as not reporting, not as healthy.
      await db.query(`UPDATE fleet_servers SET last_seen_at = now() - interval '1 hour' WHERE name = 'web3'`);
      const servers = await listServers(db, 20);
      expect(servers.find((s) => s.name === 'web3')).toMatchObject({ stale: true, openRequests: 3 });
      expect(servers.find((s) => s.name === 'web1')).toMatchObject({ stale: false, openRequests: 0 });

      // Server 3 comes back.
      await exchange(members[2]!);
      const done = await getRepair(db, repairId, 20);
      expect(done!.repair.status).toBe('done');
      expect(done!.repair.counts).toMatchObject({ done: 6, refused: 3, pending: 0, delivered: 0, accepted: 0 });

      for (const m of members) {
        for (const domain of m.spec.repairable) {
          const landed = m.stack.services.store.listChanges({ domain }).filter((c) => c.status === 'verified' || c.status === 'applied');
          expect(landed).toHaveLength(1);
          expect(await m.stack.sim.zoneText(domain)).toContain('"v=mc1 auth=webhostingm"');
        }
        expect(m.stack.services.store.listChanges({ domain: m.spec.foreign })).toEqual([]);
      }

      // A second exchange asks for nothing more and repairs nothing again.
      for (const m of members) await exchange(m);
      for (const m of members)
        for (const domain of m.spec.repairable)
          expect(m.stack.services.store.listChanges({ domain }).filter((c) => c.kind === 'repair')).toHaveLength(1);

      // The history across servers has every change, from the servers' journals.
      const history = await db.query(
        `SELECT s.name, c.domain, c.status FROM fleet_changes c JOIN fleet_servers s ON s.id = c.server_id ORDER BY 1, 2`,
      );
      expect(history.rows.map((r) => `${r.name}:${r.domain}:${r.status}`)).toEqual(
        members.flatMap((m) => m.spec.repairable.map((d) => `web${m.n}:${d}:verified`)).sort(),
      );
    });

    it('when a block-all domain is asked for by name, then its server refuses it and its record stays', async () => {
      const one = members[0]!;
      const ask = cliIO(controllerEnv);
      expect(await run(['fleet', 'repair', '--domain', `web1:${one.spec.blockAll}`, `web1:${one.spec.ok}`, '--json'], ask.io)).toBe(0);
      const repairId = JSON.parse(ask.out()).repairId as number;
      await waitFor('the repair to be addressed', async () => (await getRepair(db, repairId, 20))?.repair.expandedAt);
      await exchange(one);
      const items = await repairItems(db, repairId);
      expect(items.map((i) => [i.domain, i.state, i.reason])).toEqual([
        [one.spec.blockAll, 'refused', 'BLOCK_ALL'],
        [one.spec.ok, 'unchanged', null],
      ]);
      expect(await one.stack.sim.zoneText(one.spec.blockAll)).toContain('"v=mc1"');
    });
  },
);
