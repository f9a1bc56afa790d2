/**
 * The `scan`, `jobs` and `job` commands in-process, over a copy of a server's files (no cPanel at all:
 * FIX_EMAIL_AUTH_NAMED_DIR / _USERDOMAINS / _CPANEL_USERS) and a journal in a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { openStore } from '../../../src/adapters/store';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { writeServerFiles, type ServerPaths, type ServerSummary } from '../../fixtures/bulk/synthetic';

let dir: string;
let paths: ServerPaths;
let summary: ServerSummary;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fea-scan-cli-'));
  ({ paths, summary } = writeServerFiles(join(dir, 'server'), { accounts: 30, staleEvery: 6 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(extra: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {
      FIX_EMAIL_AUTH_CONFIG: join(dir, 'no-config.json'),
      FIX_EMAIL_AUTH_NAMED_DIR: paths.namedDir,
      FIX_EMAIL_AUTH_USERDOMAINS: paths.userdomains,
      FIX_EMAIL_AUTH_CPANEL_USERS: paths.cpanelUsers,
      FIX_EMAIL_AUTH_JOURNAL: join(dir, 'journal.db'),
      ...extra,
    },
    cwd: dir,
    out: () => out,
    err: () => err,
  };
}

describe('fix-email-auth scan', () => {
  it('when --json is given, then stdout is { "domains": [...] } with diagnose\'s objects plus the user, for every domain, and it exits 1 (stale domains)', async () => {
    const cli = io();
    const code = await run(['scan', '--json', '--auth-id', 'webhostingm', '--no-progress'], cli);
    expect(cli.err()).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(cli.out());
    expect(Object.keys(doc)).toEqual(['domains']);
    expect(doc.domains).toHaveLength(summary.domains);
    const stale = doc.domains.filter((d: { findings: Array<{ code: string }> }) => d.findings.some((f) => f.code === 'LOCKDOWN_STALE'));
    expect(stale.map((d: { domain: string }) => d.domain).sort()).toEqual([...summary.staleDomains].sort());
    expect(Object.keys(stale[0]).sort()).toEqual(['domain', 'findings', 'plan', 'status', 'user', 'zone']);
    expect(stale[0].plan).toMatchObject({ zone: stale[0].zone, edit: [{ data: ['v=mc1 auth=webhostingm'] }] });
  });

  it('when --csv and --code are given, then one row per matching domain comes out with its user, reseller and zone', async () => {
    const cli = io();
    await run(['scan', '--csv', '--code', 'LOCKDOWN_STALE', '--auth-id', 'webhostingm', '--no-progress'], cli);
    const lines = cli.out().trim().split('\r\n');
    expect(lines[0]).toBe('domain,user,owner,zone,status,codes');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([...summary.staleDomains].sort());
    expect(lines[1]).toMatch(/^site000000\.example,u000000,resa,site000000\.example,error,.*LOCKDOWN_STALE/);
  });

  it('when --user is given without output flags, then the problems of that account are listed with a summary and the results are stored', async () => {
    const cli = io();
    await run(['scan', '--user', 'u000006', '--auth-id', 'webhostingm', '--no-progress'], cli);
    expect(cli.out()).toMatch(/ERROR {3}site000006\.example {2}\(u000006, reseller resc\) {2}LOCKDOWN_STALE/);
    expect(cli.out()).toMatch(/Scanned 1 domain\(s\) in 1 zone\(s\) from the server’s files/);
    expect(cli.out()).toContain('fix --all-stale --dry-run');
    const store = openStore(join(dir, 'journal.db'));
    try {
      expect(store.getScanResult('site000006.example')).toMatchObject({ user: 'u000006', status: 'error' });
    } finally {
      store.close();
    }
  });

  it('when a status is not one of the statuses, then it exits 2 naming them', async () => {
    const cli = io();
    expect(await run(['scan', '--status', 'bad', '--auth-id', 'webhostingm'], cli)).toBe(2);
    expect(cli.err()).toMatch(/--status must be one of ok, info, warning, error, unknown/);
  });

  it('when stderr is not a terminal, then progress comes as plain lines, never carriage returns', async () => {
    const cli = io();
    await run(['scan', '--json', '--auth-id', 'webhostingm'], cli);
    expect(cli.err()).toMatch(/^scan: \d+\/\d+ zones/m);
    expect(cli.err()).not.toContain('\r');
    expect(cli.err()).toMatch(/Scanned \d+ domain/);
  });
});

describe('fix-email-auth jobs and job', () => {
  it('when jobs exist, then jobs lists them newest first, job <id> shows one zone by zone, and job cancel stops its pending items', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ provider: { authId: 'webhostingm' } }));
    const env = { FIX_EMAIL_AUTH_CONFIG: config, FIX_EMAIL_AUTH_JOURNAL: join(dir, 'jobs.db') };
    const store = openStore(join(dir, 'jobs.db'), { runnerId: 'this-test' });
    const admin = { kind: 'admin' as const, name: 'root' };
    const done = store.createJob({ kind: 'bulk-fix', actor: admin, keys: ['a.example', 'blog.a.example'] });
    for (const key of ['a.example', 'blog.a.example']) {
      const item = store.claimNextItem(done.id)!;
      store.finishItem(done.id, item.seq, {
        status: 'done',
        result: { status: 'verified', domain: key, zone: 'a.example', message: 'Fixed', changeId: item.seq },
      });
    }
    const pending = store.createJob({ kind: 'bulk-fix', actor: admin, keys: ['b.example', 'c.example'], dryRun: true });
    store.close();

    const list = io(env);
    expect(await run(['jobs', '--json'], list)).toBe(0);
    expect(JSON.parse(list.out()).jobs.map((j: { id: number }) => j.id)).toEqual([pending.id, done.id]);

    const show = io(env);
    expect(await run(['job', String(done.id)], show)).toBe(0);
    expect(show.out()).toContain(`Job ${done.id}: bulk-fix — done, 2/2`);
    expect(show.out()).toMatch(
      /a\.example: verified\n {4}a\.example: verified \(change 1\) — Fixed\n {4}blog\.a\.example: verified \(change 2\)/,
    );

    const cancel = io(env);
    expect(await run(['job', 'cancel', String(pending.id)], cancel)).toBe(0);
    expect(cancel.err()).toContain('pending items cancelled');
    const after = io(env);
    expect(await run(['job', String(pending.id), '--json'], after)).toBe(1);
    expect(JSON.parse(after.out()).job).toMatchObject({ status: 'cancelled', progress: { cancelled: 2 } });

    const missing = io(env);
    expect(await run(['job', '999'], missing)).toBe(2);
    expect(missing.err()).toContain('There is no job 999');
  });
});
