/**
 * Start and stop: the socket's safety checks, graceful shutdown with a job still running, and the
 * next start resuming what a dead process left.
 */
import { spawn } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { openStore } from '../../../src/adapters/store';
import { prepareSocketPath } from '../../../src/daemon/listen';
import { as, startDaemonHarness, waitForJob } from './harness';

jest.setTimeout(60000);

describe('the socket at start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-sock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a crashed daemon left its socket file and nobody answers, then it is removed', async () => {
    const path = join(dir, 'run', 'daemon.sock');
    mkdirSync(join(dir, 'run'), { mode: 0o700 });
    const child = spawn(process.execPath, ['-e', "require('net').createServer().listen(process.argv[1], () => console.log('up'))", path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(statSync(path).isSocket()).toBe(true);
    await prepareSocketPath(path);
    expect(existsSync(path)).toBe(false);
  });

  it('when another process answers on the socket, then start is refused and its socket kept', async () => {
    const path = join(dir, 'daemon.sock');
    chmodSync(dir, 0o700);
    const other = createServer((c) => c.end());
    await new Promise<void>((resolve) => other.listen(path, resolve));
    try {
      await expect(prepareSocketPath(path)).rejects.toThrow(/another daemon answers/);
      expect(statSync(path).isSocket()).toBe(true);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('when something other than a socket is at the path, then start is refused and the file is left alone', async () => {
    const path = join(dir, 'daemon.sock');
    writeFileSync(path, 'precious');
    await expect(prepareSocketPath(path)).rejects.toThrow(/not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('when the directory is writable by everyone, then start is refused; a private directory is made 0700', async () => {
    chmodSync(dir, 0o777);
    await expect(prepareSocketPath(join(dir, 'daemon.sock'))).rejects.toThrow(/writable by everyone/);
    chmodSync(dir, 0o755);
    await prepareSocketPath(join(dir, 'daemon.sock'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('graceful shutdown and the next start', () => {
  it('when the daemon stops while a repair is still running past the deadline, then the job is marked interrupted and the socket removed', async () => {
    const h = await startDaemonHarness('socket', { shutdownDeadlineMs: 100 });
    let stopped = false;
    try {
      h.sim.setLatency(1500, /mass_edit/);
      const started = await h.call({ method: 'POST', path: '/api/domains/migrated.example/fix', headers: as('alice') });
      const jobId: number = started.json.jobId;
      // Wait until the item is at work (claimed and running).
      for (let i = 0; i < 100 && h.services.store.listJobItems(jobId, { status: 'running' }).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      await h.daemon.close();
      expect(h.services.store.getJob(jobId)?.status).toBe('interrupted');
      expect(h.logs.some((e) => e.msg === 'jobs drained' && e.finished === false)).toBe(true);
      expect(existsSync(h.address)).toBe(false);
      // The work in flight still ends (it was not killed half-way) and is recorded.
      await h.daemon.runner.settled(jobId);
      expect(h.services.store.listJobItems(jobId)[0]?.status).toBe('done');
      stopped = true;
    } finally {
      if (!stopped) await h.daemon.close();
      await h.stop();
    }
  });

  it('when a dead process left a repair job half-done, then the next start reconciles it and finishes the job', async () => {
    let jobId = 0;
    const h = await startDaemonHarness('socket', {}, (_services, journal) => {
      // A previous daemon claimed the item, then died before making any change.
      const dead = openStore(journal, { runnerId: 'previous-process' });
      jobId = dead.createJob({
        kind: 'repair',
        actor: { kind: 'user', name: 'alice' },
        params: { asUser: 'alice' },
        keys: ['migrated.example'],
      }).id;
      dead.claimNextItem(jobId);
      dead.close();
    });
    try {
      const job = await waitForJob(h, jobId, as('alice'));
      expect(job.job.status).toBe('done');
      expect(job.items[0]).toMatchObject({ status: 'done', resultStatus: 'verified' });
      expect(await h.zoneText('migrated.example')).toContain('"v=mc1 auth=webhostingm"');
      expect(h.services.store.listAudit({ jobId }).map((a) => a.action)).toEqual(
        expect.arrayContaining(['job.interrupted', 'job.item_reconciled', 'job.resumed']),
      );
    } finally {
      await h.stop();
    }
  });
});
