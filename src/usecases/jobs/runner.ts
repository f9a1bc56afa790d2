/**
 * A small generic job runner on the store's JobQueue (src/adapters/store/jobs.ts): a job is a list of
 * items (one per domain or zone) worked in the background by per-kind item handlers, a few at a time.
 *
 * Why this shape:
 * - `startJob` returns the stored job at once; the page that started it polls the store for progress,
 *   so a browser that goes away never stops (or duplicates) DNS work.
 * - Every state change goes through the store (claim, finish, cancel), never through memory, so
 *   progress survives a restart and another process (the CLI) can never take the same item.
 * - What lives only in memory is the list of progress events of items running right now (the step
 *   list of a repair), for the page that polls; it is handed to the item's result when it ends.
 * - `drain` is the graceful-shutdown half of the recovery contract (job-recovery.ts): stop claiming,
 *   let running items finish until a deadline, then mark this process's jobs interrupted.
 */
import type { Job, JobItem, JobKind, JobQueue, JobRecovery, ItemOutcome } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import { FixEmailAuthError, isFixEmailAuthError } from '../../errors';

export interface ItemContext {
  job: Job;
  item: JobItem;
  /**
   * Where the item is now (`backup`, `apply`, `verify` …): stored as the item's step for pages and
   * other processes; `event` (any JSON value) is kept in memory in arrival order for the live view.
   */
  progress: (step: string, event?: unknown) => void;
  /** Link the item to the journal change it is making, before that change touches the zone. */
  linkChange: (changeId: number) => void;
}

/** Works one item; a thrown error makes the item `failed` with the error in its result. */
export type ItemHandler = (ctx: ItemContext) => Promise<ItemOutcome>;

export interface HandlerOptions {
  /** Items of one job worked at the same time (default 1). */
  concurrency?: number;
}

export interface StartJobOptions {
  /** Overrides the kind's default concurrency for this job. */
  concurrency?: number;
  dryRun?: boolean;
}

export interface DrainReport {
  /** Every running item finished before the deadline. */
  finished: boolean;
  /** Jobs marked `interrupted` for the next start to reconcile and resume. */
  interrupted: number[];
}

export interface RunnerLogger {
  (entry: Record<string, unknown>): void;
}

export interface JobRunner {
  /** Set (or replace) the handler of a kind. The bulk use cases register `scan` and `bulk-fix` here. */
  register(kind: JobKind, handler: ItemHandler, options?: HandlerOptions): void;
  /** Create the job (one item per key, in order) and start working it in the background. */
  startJob(kind: JobKind, keys: readonly string[], params: unknown, actor: Actor, options?: StartJobOptions): Job;
  /** Work an `interrupted` job again in this process (after recovery); false when it is not interrupted. */
  resume(jobId: number, by?: Actor, options?: { concurrency?: number }): boolean;
  /** Cancel pending items; running ones finish normally. False when the job is already over. */
  cancel(jobId: number, by: Actor): boolean;
  /** Progress events of an item that is running in this process right now, oldest first. */
  liveEvents(jobId: number, seq: number): unknown[];
  /** Resolves when this process has no worker left on the job (tests, the CLI waiting for a job). */
  settled(jobId: number): Promise<void>;
  /** Ids of jobs this process is working now. */
  active(): number[];
  /** Stop claiming, wait for running items until `deadlineMs` from now, then mark the rest interrupted. */
  drain(deadlineMs: number): Promise<DrainReport>;
}

export interface JobRunnerDeps {
  queue: JobQueue & Pick<JobRecovery, 'interruptRunningJobs' | 'resumeJob'>;
  log?: RunnerLogger;
  /**
   * After an item's handler threw with a journal change linked: what the change's zone holds, settled
   * in this process the way start-up reconciliation does (usecases/repair `settleChangeFromZone`).
   * The item is then failed with that zone state instead of waiting for a restart.
   */
  settleChange?: (changeId: number) => Promise<{ zone: string; message: string }>;
  /** Waits between attempts to record an item's outcome when the store refuses the write (default 0.1 s doubling, 7 tries). */
  finishRetryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

const FINISH_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 3200];

interface ActiveJob {
  workers: Promise<void>[];
  done: Promise<void>;
}

function errorOf(err: unknown): { code: string; step: string; message: string } {
  if (isFixEmailAuthError(err)) return err.toJSON();
  return { code: 'INTERNAL', step: 'job', message: err instanceof Error ? err.message : String(err) };
}

export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { queue } = deps;
  const log: RunnerLogger = deps.log ?? (() => undefined);
  const handlers = new Map<JobKind, { handler: ItemHandler; concurrency: number }>();
  const active = new Map<number, ActiveJob>();
  const live = new Map<string, unknown[]>();
  let draining = false;

  const liveKey = (jobId: number, seq: number) => `${jobId}:${seq}`;

  // Unref'd: a retry must not keep a stopping process alive (recovery settles the item at next start).
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));

  /** A failed outcome that says what the zone of the item's change holds, read from the zone now. */
  async function settledFailure(jobId: number, item: JobItem, err: unknown, events: unknown[], changeId?: number): Promise<ItemOutcome> {
    const error = errorOf(err);
    log({ level: 'warn', msg: 'job item failed', jobId, seq: item.seq, key: item.key, error });
    if (changeId === undefined || !deps.settleChange) return { status: 'failed', result: { error, events } };
    let zone: { zone: string; message: string };
    try {
      zone = await deps.settleChange(changeId);
    } catch (settleError) {
      zone = { zone: 'unknown', message: `The zone of change ${changeId} could not be checked: ${errorOf(settleError).message}` };
    }
    log({ level: 'warn', msg: 'job item settled from its zone', jobId, seq: item.seq, changeId, zone: zone.zone });
    return {
      status: 'failed',
      changeId,
      result: { status: 'failed', message: `${error.message} — ${zone.message}`, changeId, zone, error, events },
    };
  }

  /** Record the outcome; a refused write (a locked or full database) is tried again before giving up. */
  async function record(jobId: number, item: JobItem, outcome: ItemOutcome): Promise<void> {
    const delays = deps.finishRetryDelaysMs ?? FINISH_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        queue.finishItem(jobId, item.seq, outcome);
        return;
      } catch (err) {
        if (attempt >= delays.length) {
          // Still refused: start-up recovery settles the item from the journal at the next start.
          log({ level: 'error', msg: 'could not record a finished job item', jobId, seq: item.seq, error: errorOf(err) });
          return;
        }
        log({ level: 'warn', msg: 'recording a finished job item failed; trying again', jobId, seq: item.seq, error: errorOf(err) });
        await sleep(delays[attempt]!);
      }
    }
  }

  async function workOne(jobId: number, handler: ItemHandler, item: JobItem): Promise<void> {
    const key = liveKey(jobId, item.seq);
    const events: unknown[] = [];
    live.set(key, events);
    // Kept in memory too: the store may refuse the link, and the change must still be settled.
    let changeId = item.changeId;
    let outcome: ItemOutcome;
    try {
      const job = queue.getJob(jobId);
      if (!job) throw new FixEmailAuthError('NOT_FOUND', `Job ${jobId} disappeared`, { step: 'journal' });
      outcome = await handler({
        job,
        item,
        progress: (step, event) => {
          if (event !== undefined) events.push(event);
          try {
            queue.setItemStep(jobId, item.seq, step.slice(0, 200));
          } catch {
            // A progress note must never fail the DNS work it describes.
          }
        },
        linkChange: (id) => {
          changeId = id;
          queue.setItemChange(jobId, item.seq, id);
        },
      });
    } catch (err) {
      outcome = await settledFailure(jobId, item, err, events, changeId);
    }
    try {
      await record(jobId, item, outcome);
    } finally {
      live.delete(key);
    }
  }

  async function worker(jobId: number, handler: ItemHandler): Promise<void> {
    while (!draining) {
      let item: JobItem | undefined;
      try {
        item = queue.claimNextItem(jobId);
      } catch (err) {
        log({ level: 'error', msg: 'could not claim a job item', jobId, error: errorOf(err) });
        return;
      }
      if (!item) return;
      await workOne(jobId, handler, item);
    }
  }

  function spawn(jobId: number, kind: JobKind, concurrency: number): void {
    const entry = handlers.get(kind);
    if (!entry) throw new FixEmailAuthError('BAD_INPUT', `No handler for jobs of kind ${kind}`, { step: 'input' });
    if (active.has(jobId)) return;
    const n = Math.max(1, Math.min(64, Math.floor(concurrency)));
    // Started on the next tick, so the caller gets the job back before any DNS work begins.
    const workers = Array.from({ length: n }, () =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => worker(jobId, entry.handler)),
    );
    const done = Promise.all(workers).then(() => {
      active.delete(jobId);
      const job = queue.getJob(jobId);
      log({ level: 'info', msg: 'job workers stopped', jobId, kind, status: job?.status, progress: job?.progress });
    });
    active.set(jobId, { workers, done });
  }

  return {
    register(kind, handler, options = {}) {
      handlers.set(kind, { handler, concurrency: options.concurrency ?? 1 });
    },

    startJob(kind, keys, params, actor, options = {}) {
      const entry = handlers.get(kind);
      if (!entry) throw new FixEmailAuthError('BAD_INPUT', `No handler for jobs of kind ${kind}`, { step: 'input' });
      if (draining) throw new FixEmailAuthError('CONFLICT', 'The daemon is shutting down; try again in a moment', { step: 'input' });
      const job = queue.createJob({ kind, actor, params, keys, ...(options.dryRun ? { dryRun: true } : {}) });
      log({ level: 'info', msg: 'job started', jobId: job.id, kind, items: keys.length, actor });
      if (job.progress.total > 0) spawn(job.id, kind, options.concurrency ?? entry.concurrency);
      return job;
    },

    resume(jobId, by, options = {}) {
      const job = queue.getJob(jobId);
      if (!job || !handlers.has(job.kind) || draining) return false;
      if (!queue.resumeJob(jobId, by)) return false;
      spawn(jobId, job.kind, options.concurrency ?? handlers.get(job.kind)!.concurrency);
      return true;
    },

    cancel(jobId, by) {
      return queue.cancelJob(jobId, by);
    },

    liveEvents(jobId, seq) {
      return [...(live.get(liveKey(jobId, seq)) ?? [])];
    },

    async settled(jobId) {
      await active.get(jobId)?.done;
    },

    active: () => [...active.keys()],

    async drain(deadlineMs) {
      draining = true;
      const all = Promise.all([...active.values()].map((a) => a.done)).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadlineMs));
      });
      const finished = await Promise.race([all, timeout]);
      clearTimeout(timer);
      // Jobs with pending items (we stopped claiming) or items still running are resumed at next start.
      let interrupted: number[] = [];
      try {
        interrupted = queue.interruptRunningJobs();
      } catch (err) {
        log({ level: 'error', msg: 'could not mark jobs interrupted', error: errorOf(err) });
      }
      return { finished, interrupted };
    },
  };
}
