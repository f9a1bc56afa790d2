/**
 * The daemon's Prometheus metrics (prom-client, https://github.com/siimon/prom-client): what the
 * self-healing loop saw and did, the state of the journal, the mail-log follower, and WHM calls.
 * Counts that the journal already holds (changes by outcome and actor, domains by status, job
 * durations) are read from it at scrape time, so they agree with the pages and survive restarts; the
 * rejection counter starts from the follower's stored tally for the same reason.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FollowStatus } from '../follow';
import type { WhmCallObservation } from '../cpanel/observed';
import type { MetricsQueries, ScanSummary } from '../store';

export const METRIC_PREFIX = 'fix_email_auth_';

export interface MetricsSources {
  store: {
    metrics: MetricsQueries;
    scanSummary(): ScanSummary;
    selfHeal: { tally(): Record<string, number> };
  };
  follower?: () => FollowStatus | null;
  queue?: () => { queued: number; running: number } | null;
  /** Default process metrics (CPU, memory, event loop); off in tests that build many registries. */
  processMetrics?: boolean;
}

export interface DaemonMetrics {
  readonly registry: Registry;
  rejectionsSeen(byClass: ReadonlyMap<string, number>): void;
  rejectionDelay(seconds: number): void;
  healed(outcome: string, trigger: string): void;
  noticed(kind: string): void;
  observeWhm(call: WhmCallObservation): void;
  text(): Promise<string>;
  readonly contentType: string;
}

/** `autofix` for the automatic repairs (actor system/autofix), else the actor's kind. */
function actorLabel(kind: string, name: string): string {
  return kind === 'system' && name === 'autofix' ? 'autofix' : kind;
}

const JOB_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export function createMetrics(sources: MetricsSources): DaemonMetrics {
  const registry = new Registry();
  const name = (n: string) => `${METRIC_PREFIX}${n}`;
  if (sources.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  new Gauge({
    name: name('domains'),
    help: 'Domains by status in the latest diagnosis (scan results and self-healing checks)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const summary = sources.store.scanSummary();
      for (const [status, n] of Object.entries(summary.byStatus)) this.set({ status }, n);
    },
  });

  const rejections = new Counter({
    name: name('rejections_total'),
    help: 'Failure lines of the followed Exim main log, by bounce class',
    labelNames: ['class'],
    registers: [registry],
  });
  for (const [cls, n] of Object.entries(sources.store.selfHeal.tally())) rejections.inc({ class: cls }, n);

  const delay = new Histogram({
    name: name('rejection_detect_delay_seconds'),
    help: 'Time from a lockdown/SPF rejection being logged to the follower recording it',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const checks = new Counter({
    name: name('selfheal_checks_total'),
    help: 'Domains re-diagnosed by the self-healing loop, by outcome and trigger',
    labelNames: ['outcome', 'trigger'],
    registers: [registry],
  });
  const notices = new Counter({
    name: name('notices_total'),
    help: 'Notices made for account owners, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });

  new Gauge({
    name: name('changes'),
    help: 'Changes in the journal by kind (repair, rollback), outcome (status) and actor (autofix for automatic repairs)',
    labelNames: ['kind', 'outcome', 'actor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of sources.store.metrics.changeCounts())
        this.inc({ kind: c.kind, outcome: c.status, actor: actorLabel(c.actorKind, c.actorName) }, c.count);
    },
  });

  const jobDurations = new Histogram({
    name: name('job_duration_seconds'),
    help: 'Duration of finished jobs (scans, bulk repairs, repairs), by kind and final status',
    labelNames: ['kind', 'status'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  let jobsSeen = { finishedAt: '', id: 0 };
  const readJobs = () => {
    for (const job of sources.store.metrics.jobsFinishedAfter(jobsSeen, 10_000)) {
      const seconds = Math.max(0, (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
      jobDurations.observe({ kind: job.kind, status: job.status }, seconds);
      jobsSeen = { finishedAt: job.finishedAt, id: job.id };
    }
  };

  const follow = (metric: string, help: string, value: (s: FollowStatus) => number) =>
    new Gauge({
      name: name(metric),
      help,
      registers: [registry],
      collect() {
        const s = sources.follower?.();
        if (s) this.set(value(s));
      },
    });
  follow('log_follow_lag_bytes', 'Bytes of the Exim main log not read yet', (s) => s.lagBytes);
  follow(
    'log_follow_lag_seconds',
    'Seconds since the follower was last caught up with the Exim main log (0 when it is)',
    (s) => s.lagSeconds,
  );
  follow('log_follow_last_read_timestamp_seconds', 'When the follower last read the log (Unix time)', (s) => (s.lastReadAt ?? 0) / 1000);
  follow('log_follow_up', '1 while the follower runs and its last look at the log worked', (s) => (s.running && !s.lastError ? 1 : 0));
  new Gauge({
    name: name('selfheal_queue'),
    help: 'Domains waiting for, or in, a re-diagnosis',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const q = sources.queue?.();
      if (q) {
        this.set({ state: 'queued' }, q.queued);
        this.set({ state: 'running' }, q.running);
      }
    },
  });

  const whmSeconds = new Histogram({
    name: name('whm_request_duration_seconds'),
    help: 'WHM API 1 calls by function',
    labelNames: ['function'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const whmErrors = new Counter({
    name: name('whm_request_errors_total'),
    help: 'WHM API 1 calls that failed, by function and reason (transport, timeout, api)',
    labelNames: ['function', 'reason'],
    registers: [registry],
  });

  return {
    registry,
    rejectionsSeen(byClass) {
      for (const [cls, n] of byClass) rejections.inc({ class: cls }, n);
    },
    rejectionDelay: (seconds) => delay.observe(seconds),
    healed: (outcome, trigger) => checks.inc({ outcome, trigger }),
    noticed: (kind) => notices.inc({ kind }),
    observeWhm(call) {
      whmSeconds.observe({ function: call.fn }, call.seconds);
      if (call.error) whmErrors.inc({ function: call.fn, reason: call.error });
    },
    async text() {
      readJobs();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}
