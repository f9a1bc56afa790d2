/**
 * The bulk-fix job over the in-memory cPanel: every stale domain repaired once, one write at a time per
 * zone, accounts asked once per job, one snapshot per account, dry runs that change nothing, a
 * per-zone report, and a job whose process "died" half-way resumed without repeating or skipping.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { bulkReport, resumeJob, startBulkFix } from '../../../src/usecases/bulk';
import { parseZoneFile } from '../../../src/zone/bindReader';
import type { MemoryCpanel } from '../../support/memoryCpanel';
import { bulkHarness, fileStore } from './harness';

const admin = { kind: 'admin' as const, name: 'root' };

function zoneOfDomain(h: { cpanel: MemoryCpanel }, domain: string): string {
  return h.cpanel.domains.find((d) => d.domain === domain)!.zone;
}

function selection(h: { cpanel: MemoryCpanel }, domains: readonly string[]) {
  return domains.map((domain) => ({ domain, zone: zoneOfDomain(h, domain) }));
}

/** Lines of a zone with the serial line and the lockdown lines blanked: what a repair must not touch. */
function untouched(text: string): string[] {
  return text.split('\n').map((l) => (/;Serial Number/.test(l) || /^_mailchannels/.test(l) ? '<changed>' : l));
}

describe('bulk-fix job', () => {
  it('when stale zones are repaired by 4 workers, then every stale domain is fixed once, other lines stay byte for byte, and no zone sees two writes at once', async () => {
    const h = bulkHarness();
    const runner = h.runnerOn(h.store);
    const job = startBulkFix(runner, selection(h, h.staleDomains), admin, { concurrency: 4 });
    await runner.settled(job.id);

    expect(h.store.getJob(job.id)).toMatchObject({ status: 'done', progress: { done: h.staleDomains.length, failed: 0 } });
    // Two domains share a zone (site + blog): serialised, so no Stale retry was ever needed.
    expect(h.staleDomains.some((d) => d.startsWith('blog.'))).toBe(true);
    expect(h.maxInFlightPerZone()).toBe(1);
    expect(h.maxInFlight()).toBeGreaterThan(1);
    expect(h.calls.massEdit).toBe(h.staleDomains.length);

    for (const [zone, before] of h.original) {
      const after = h.cpanel.text(zone);
      expect(untouched(after)).toEqual(untouched(before));
      const lockdown = parseZoneFile(after, zone).records.filter((r) => r.name.startsWith('_mailchannels'));
      expect(lockdown.every((r) => r.data.join('') === 'v=mc1 auth=webhostingm')).toBe(true);
    }
    for (const domain of h.staleDomains) {
      const changes = h.store.listChanges({ domain, jobId: job.id });
      expect(changes.map((c) => c.status)).toEqual(['verified']);
    }
  });

  it('when a job runs, then the account list is read once and authority is asked in batches, not per domain', async () => {
    const h = bulkHarness({ server: { accounts: 40, staleEvery: 2 } });
    const runner = h.runnerOn(h.store);
    const job = startBulkFix(runner, selection(h, h.staleDomains), admin, { concurrency: 3 });
    await runner.settled(job.id);
    expect(h.store.getJob(job.id)?.progress.done).toBe(h.staleDomains.length);
    expect(h.staleDomains.length).toBeGreaterThan(20);
    expect(h.calls.listDomains).toBe(1);
    expect(h.calls.findDomain).toBe(0);
    expect(h.calls.localAuthority).toBeLessThanOrEqual(3);
  });

  it('when the backup policy asks for snapshots, then each account gets one snapshot per job, whatever its number of changed zones', async () => {
    const h = bulkHarness({ policy: 'required', server: { accounts: 20, staleEvery: 1 } });
    const runner = h.runnerOn(h.store);
    const job = startBulkFix(runner, selection(h, h.staleDomains), admin, { concurrency: 4 });
    await runner.settled(job.id);
    const users = new Set(h.staleDomains.map((d) => h.cpanel.domains.find((x) => x.domain === d)!.user));
    expect(h.store.getJob(job.id)?.progress).toMatchObject({ done: h.staleDomains.length, failed: 0 });
    expect(h.backups.calls.sort()).toEqual([...users].sort());
    // Every change still names the snapshot it is covered by.
    for (const c of h.store.listChanges({ jobId: job.id })) expect(c.backup).toMatchObject({ kind: 'jetbackup', user: c.user });
  });

  it('when the job is a dry run, then every stale domain has its plan, nothing is written, and the report groups domains by zone', async () => {
    const h = bulkHarness();
    const runner = h.runnerOn(h.store);
    const job = startBulkFix(runner, selection(h, h.staleDomains), admin, { dryRun: true, concurrency: 4 });
    await runner.settled(job.id);
    expect(h.calls.massEdit).toBe(0);
    for (const [zone, text] of h.original) expect(h.cpanel.text(zone)).toBe(text);
    const report = bulkReport({ queue: h.store }, job.id)!;
    expect(report.counts).toEqual({ planned: h.staleDomains.length });
    const shared = report.zones.find((z) => z.domains.length === 2)!;
    expect(shared.domains.map((d) => d.domain).sort()).toEqual([shared.zone, `blog.${shared.zone}`].sort());
    expect(shared.domains.every((d) => (d.plan as { zone: string }).zone === shared.zone)).toBe(true);
  });

  it('when the process working the job dies half-way (one write landed without an answer, others never sent), then resuming finishes it with each domain changed once and the same zones as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fea-bulk-resume-'));
    try {
      // The reference: the same server repaired without interruption.
      const reference = bulkHarness({ server: { accounts: 24, staleEvery: 2 } });
      const refRunner = reference.runnerOn(reference.store);
      const refJob = startBulkFix(refRunner, selection(reference, reference.staleDomains), admin, { concurrency: 2 });
      await refRunner.settled(refJob.id);

      const path = join(dir, 'journal.db');
      const h = bulkHarness({ server: { accounts: 24, staleEvery: 2 } });
      const dying = fileStore(path, 'dead-process', () => h.cpanel.now);
      const first = h.runnerOn(dying);
      // The 4th write lands but its answer never comes; the 5th never leaves; the process "dies" there.
      h.cpanel.writeFaults = [undefined as never, undefined as never, undefined as never, 'hang-after-apply', 'hang-before-apply'];
      const job = startBulkFix(first, selection(h, h.staleDomains), admin, { concurrency: 2 });
      for (let i = 0; i < 500 && h.calls.massEdit < 5; i++) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 20));
      expect(h.calls.massEdit).toBe(5);
      const half = dying.getJob(job.id)!;
      expect(half.progress.running).toBe(2);
      expect(half.progress.done).toBe(3);
      dying.close();

      // A new process on the same journal.
      h.cpanel.writeFaults = [];
      const store = fileStore(path, 'second-process', () => h.cpanel.now);
      try {
        const runner = h.runnerOn(store);
        const outcome = await resumeJob(
          { ctx: { ...h.context(), journal: store }, recovery: store, journal: store, queue: store, runner },
          job.id,
          admin,
        );
        expect(outcome.job.status).toBe('running');
        await runner.settled(job.id);
        expect(store.getJob(job.id)).toMatchObject({ status: 'done', progress: { done: h.staleDomains.length, failed: 0 } });
        for (const domain of h.staleDomains) {
          const applied = store.listChanges({ domain, jobId: job.id }).filter((c) => ['applied', 'verified'].includes(c.status));
          expect(applied).toHaveLength(1);
        }
        // The write whose answer was lost is not repeated: one write per stale domain, plus the one never sent.
        expect(h.calls.massEdit).toBe(h.staleDomains.length + 1);
        for (const zone of h.original.keys()) expect(h.cpanel.text(zone)).toBe(reference.cpanel.text(zone));
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
