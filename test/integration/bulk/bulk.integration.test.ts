/**
 * Issue 7 on real parts: a generated 200-zone server in the cPanel simulator (HTTPS API, zone files on
 * disk, PowerDNS serving them), the journal on disk, and the CLI as an admin runs it:
 * - `fix --all-stale --yes` repairs every stale zone, leaves every other record byte for byte, and the
 *   journal holds one verified change per stale domain;
 * - the same run killed (SIGKILL) at two known points — while the simulator holds one zone's write
 *   in flight, and (the resuming CLI) right after another zone's write landed with its answer held
 *   back — and continued with `job resume`, ends with the very same zone files, each domain changed
 *   once, the landed write never sent again.
 * The fast path and the API path of the scan agree on the server's stale domains.
 */
import { spawn } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { openStore } from '../../../src/adapters/store';
import { run } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { runScan } from '../../../src/usecases/scan';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { simulatorSeed, writeAccountFiles, zonesOf } from '../../fixtures/bulk/synthetic';
import { TEST_TOKENS } from '../../support/simulator';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(240_000);

/** 182 accounts, every 10th with an addon: 200 zones; every 10th zone stale (some with a stale sub-domain too). */
const SERVER = { accounts: 182, staleEvery: 10 };
const CLOCK = new Date('2026-11-28T12:00:00Z');
const ZONES = [...zonesOf(SERVER)];
const STALE_ZONES = ZONES.filter((z) => z.stale);
const STALE_DOMAINS = STALE_ZONES.flatMap((z) => z.lockdownDomains).sort();

async function serverStack(): Promise<Stack> {
  const stack = await startStack({
    seed: simulatorSeed(SERVER, TEST_TOKENS.root),
    clock: () => CLOCK,
    config: {
      backup: { policy: 'off' },
      cpanel: { rateLimitPerSecond: 1000 },
    },
  });
  return stack;
}

function cliIO(stack: Stack): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: stack.env,
    cwd: stack.dir,
    out: () => out,
    err: () => err,
  };
}

function zoneText(stack: Stack, zone: string): string {
  return readFileSync(join(stack.zonesDir, `${zone}.db`), 'latin1');
}

/** The lines a repair may change: the SOA serial and the lockdown records. Everything else must stay. */
function untouched(text: string): string[] {
  return text.split('\n').map((l) => (/;Serial Number/.test(l) || /^_mailchannels/.test(l) ? '<may change>' : l));
}

describe('bulk repair of a 200-zone server', () => {
  let reference: Stack;
  afterAll(async () => {
    await reference?.stop();
  });

  it('when the admin runs fix --all-stale, then every stale zone is repaired, every other record is byte for byte the same, and the journal is complete', async () => {
    reference = await serverStack();
    expect(ZONES).toHaveLength(200);
    const before = new Map(ZONES.map((z) => [z.name, zoneText(reference, z.name)]));

    const io = cliIO(reference);
    const code = await run(['fix', '--all-stale', '--yes', '--json', '--concurrency', '4'], io);
    expect(io.err()).not.toMatch(/fix-email-auth:/);
    expect(code).toBe(0);
    const output = JSON.parse(io.out());
    expect(output.dryRun.counts).toEqual({ planned: STALE_DOMAINS.length });
    expect(output.job.job).toMatchObject({
      status: 'done',
      dryRun: false,
      progress: { total: STALE_DOMAINS.length, done: STALE_DOMAINS.length, failed: 0 },
    });
    expect(output.job.counts).toEqual({ verified: STALE_DOMAINS.length });
    // Zones with two stale domains: one zone entry, both domains in it.
    const shared = output.job.zones.filter((z: { domains: unknown[] }) => z.domains.length === 2);
    expect(shared.length).toBeGreaterThan(0);

    for (const zone of ZONES) {
      const after = zoneText(reference, zone.name);
      if (!zone.stale) {
        expect(after).toBe(before.get(zone.name));
        continue;
      }
      expect(untouched(after)).toEqual(untouched(before.get(zone.name)!));
      const lockdown = parseZoneFile(after, zone.name).records.filter((r) => r.name.startsWith('_mailchannels'));
      expect(lockdown.map((r) => r.data.join(''))).toEqual(zone.lockdownDomains.map(() => 'v=mc1 auth=webhostingm'));
    }

    const store = reference.services.store;
    for (const domain of STALE_DOMAINS) {
      const changes = store.listChanges({ domain, jobId: output.job.job.id });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ status: 'verified', kind: 'repair', removed: [{ data: ['v=mc1 auth=oldhost'] }] });
      const audit = store.listAudit({ changeId: changes[0]!.id }).map((a) => a.action);
      expect(audit).toEqual(
        expect.arrayContaining(['change.planned', 'change.backed_up', 'change.applying', 'change.applied', 'change.verified']),
      );
    }
    // A second run finds nothing left to fix.
    const again = cliIO(reference);
    expect(await run(['fix', '--all-stale', '--yes'], again)).toBe(0);
    expect(again.out()).toContain('No domain has a lockdown record');
  });

  it('when the scan reads the files and when it reads the API, then both find exactly the stale domains', async () => {
    const stack = await serverStack();
    try {
      const dir = stack.dir;
      const paths = { userdomains: join(dir, 'userdomains'), cpanelUsers: join(dir, 'users'), dkimPublicKeys: join(dir, 'keys') };
      writeAccountFiles(paths, SERVER);
      const viaApi = await stack.services.scanContext({ viaApi: true });
      expect(viaApi.source.kind).toBe('api');
      await runScan(viaApi);
      const fromApi = stack.services.store.queryScanResults({ code: 'LOCKDOWN_STALE', limit: 1000 }).rows.map((r) => r.domain);

      const files = await import('../../../src/services').then(({ createServices }) =>
        createServices(
          {
            ...stack.config,
            paths: { ...stack.config.paths, namedDir: stack.zonesDir, userdomains: paths.userdomains, cpanelUsers: paths.cpanelUsers },
          },
          { store: openStore(':memory:') },
        ),
      );
      try {
        const ctx = await files.scanContext();
        expect(ctx.source.kind).toBe('files');
        await runScan(ctx);
        const fromFiles = files.store.queryScanResults({ code: 'LOCKDOWN_STALE', limit: 1000 }).rows.map((r) => r.domain);
        expect(fromFiles.sort()).toEqual(STALE_DOMAINS);
        expect(fromApi.sort()).toEqual(STALE_DOMAINS);
      } finally {
        files.store.close();
        files.close();
      }
    } finally {
      await stack.stop();
    }
  });

  it('when the CLI is killed while a write is held in flight, and the resuming CLI is killed right after a write landed, then the job ends with the very same zone files, each domain changed once, nothing sent twice', async () => {
    expect(reference).toBeDefined();
    const stack = await serverStack();
    const watch = openStore(stack.config.paths.journal);
    try {
      // The child CLIs wait a minute for cPanel, so a held write is surely still held when they are killed.
      const childConfig = join(stack.dir, 'child-config.json');
      const input = JSON.parse(readFileSync(stack.configPath, 'utf8'));
      writeFileSync(childConfig, JSON.stringify({ ...input, cpanel: { ...input.cpanel, timeoutMs: 60_000 } }));
      const cli = (...args: string[]) => {
        const child = spawn(process.execPath, [join(__dirname, '../../../bin/fix-email-auth'), ...args], {
          env: { ...stack.env, FIX_EMAIL_AUTH_CONFIG: childConfig },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        let gone = false;
        const exited = new Promise((r) => child.once('exit', r)).then(() => (gone = true));
        return { child, exited, gone: () => (gone ? stderr : null) };
      };
      const editsOf = (zone: string) => stack.sim.log.find('mass_edit_dns_zone').filter((e) => e.params.zone === zone);
      const until = async (what: string, done: () => boolean, running: { gone: () => string | null }) => {
        for (const deadline = Date.now() + 120_000; !done(); await new Promise((r) => setTimeout(r, 10))) {
          const stderr = running.gone();
          if (stderr !== null) throw new Error(`the CLI ended before ${what}:\n${stderr}`);
          if (Date.now() > deadline) throw new Error(`never: ${what}`);
        }
      };
      const singles = STALE_ZONES.filter((z) => z.lockdownDomains.length === 1);

      // 1. The write of one zone is held by the simulator (not carried out) when the CLI is killed.
      const held = singles[4]!;
      stack.sim.injectFault({ kind: 'hang', match: 'mass_edit_dns_zone', zone: held.name });
      const first = cli('fix', '--all-stale', '--yes', '--concurrency', '1');
      await until(`the write of ${held.name} reached cPanel`, () => editsOf(held.name).length === 1, first);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await stack.sim.zoneText(held.name)).toBe(ZONES.find((z) => z.name === held.name)!.text);
      const job = watch.listJobs({ kind: 'bulk-fix', limit: 5 }).find((j) => !j.dryRun)!;
      expect(watch.findApplying().map((c) => c.zone)).toEqual([held.name]);

      // 2. The job resumed by another CLI, killed right after a later zone's write landed (its answer held back).
      const zoneOfDomain = (domain: string) => ZONES.find((z) => z.lockdownDomains.includes(domain))!.name;
      const pending = watch.listJobItems(job.id, { status: 'pending' }).map((i) => zoneOfDomain(i.key));
      const landedThen = singles.find((z) => pending.includes(z.name) && z.name !== held.name)!;
      stack.sim.injectFault({ kind: 'hang', after: true, match: 'mass_edit_dns_zone', zone: landedThen.name });
      const second = cli('job', 'resume', String(job.id), '--concurrency', '1');
      await until(`the write of ${landedThen.name} landed`, () => editsOf(landedThen.name).some((e) => e.carriedOut), second);
      second.child.kill('SIGKILL');
      await second.exited;
      expect(watch.findApplying().map((c) => c.zone)).toEqual([landedThen.name]);

      // 3. Resumed to the end in this process.
      const io = cliIO(stack);
      const code = await run(['job', 'resume', String(job.id), '--json'], io);
      expect(io.err()).toContain(`Resuming job ${job.id}`);
      expect(code).toBe(0);
      const resumed = JSON.parse(io.out());
      expect(resumed.job).toMatchObject({ status: 'done', progress: { done: STALE_DOMAINS.length, failed: 0 } });

      for (const zone of ZONES) expect(zoneText(stack, zone.name)).toBe(zoneText(reference, zone.name));
      for (const domain of STALE_DOMAINS) {
        const landed = stack.services.store
          .listChanges({ domain, jobId: job.id })
          .filter((c) => c.status === 'applied' || c.status === 'verified');
        expect(landed).toHaveLength(1);
      }
      // The held write was never carried out, so it was sent again; the landed one never was.
      expect(editsOf(held.name).map((e) => e.carriedOut ?? false)).toEqual([false, false]);
      expect(editsOf(landedThen.name)).toHaveLength(1);
      expect(stack.services.store.findApplying()).toEqual([]);
    } finally {
      watch.close();
      await stack.stop();
    }
  });
});
