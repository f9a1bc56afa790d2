/** A job as its page and `/api/jobs/:id` show it: progress from the store, live steps from the runner. */
import type { Change, Job, JobItem } from '../../adapters/store';
import type { JobRunner, VerificationSummary } from '../../usecases/jobs';
import type { StepEvent } from '../../usecases/repair';
import { describePlan } from '../../usecases/repair';
import { blocksAllMail, type FindingRecord } from '../../checks/findings';
import type { MassEditParams } from '../../zone/model';
import { planView, type PlanView } from './records';
import { scanScope, scanTotals, sliceLabel } from './scanJob';

export const FINAL_JOB_STATUSES: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

const STEP_LABELS: Record<string, string> = {
  read: 'Read the zone',
  diagnose: 'Check the records',
  plan: 'Plan the change',
  backup: 'Back up',
  apply: 'Change the record',
  verify: 'Verify on each nameserver',
  journal: 'Record the change',
  rollback: 'Undo',
};

const STATE_LABELS: Record<string, string> = { start: 'In progress', done: 'Done', warn: 'Warning', fail: 'Failed', skip: 'Skipped' };

export interface StepView {
  step: string;
  label: string;
  state: string;
  stateLabel: string;
  messages: string[];
}

/** Events grouped by step in the order steps first appeared; a step shows its latest state. */
export function stepViews(events: readonly StepEvent[]): StepView[] {
  const byStep = new Map<string, StepView>();
  for (const e of events) {
    let view = byStep.get(e.step);
    if (!view) {
      view = {
        step: e.step,
        label: STEP_LABELS[e.step] ?? e.step,
        state: e.state,
        stateLabel: STATE_LABELS[e.state] ?? e.state,
        messages: [],
      };
      byStep.set(e.step, view);
    }
    view.state = e.state;
    view.stateLabel = STATE_LABELS[e.state] ?? e.state;
    view.messages.push(e.message);
  }
  return [...byStep.values()];
}

function isStepEvent(value: unknown): value is StepEvent {
  const e = value as StepEvent;
  return !!e && typeof e === 'object' && typeof e.step === 'string' && typeof e.state === 'string' && typeof e.message === 'string';
}

interface StoredResult {
  status?: string;
  message?: string;
  changeId?: number;
  originalId?: number;
  plan?: MassEditParams | null;
  recordsBefore?: FindingRecord[];
  steps?: unknown[];
  events?: unknown[];
  verification?: VerificationSummary;
  error?: { code: string; step: string; message: string };
  warnings?: string[];
  domains?: Array<{ domain: string; status: string }>;
  before?: { codes?: unknown };
}

export interface ItemView {
  seq: number;
  key: string;
  /** What the item stands for in words: the domain, or a scan slice's range of zones. */
  label: string;
  status: JobItem['status'];
  step: string | null;
  resultStatus: string | null;
  message: string | null;
  planText: string | null;
  /** The lockdown records before and after the planned change (dry runs, bulk results). */
  change: PlanView | null;
  steps: StepView[];
  verification: VerificationSummary | null;
  changeId: number | null;
  /** The change this item made can be undone now. */
  undoChangeId: number | null;
  error: string | null;
  /** The planned change replaces a record that blocks all mail, which the job was not allowed to do. */
  needsConsent: boolean;
  /** The row's three-valued status for tests and styling: failed → error, not over → warning. */
  pageStatus: 'ok' | 'warning' | 'error';
}

export interface JobView {
  job: Job;
  final: boolean;
  title: string;
  items: ItemView[];
  /** Items left out of the page (huge bulk jobs); counts are always complete in `job.progress`. */
  omitted: number;
  /** Domains of the job (for "apply these changes" after a dry run). */
  keys: string[];
  /** The job may replace records that block all mail (its selection asked for them). */
  allowBlockAll: boolean;
  /** A scan: whose zones it read, and how many zones and domains its finished slices read. */
  scope: string | null;
  scanned: { zones: number; domains: number } | null;
}

const KIND_TITLES: Record<string, string> = {
  repair: 'Fix Email Authorization',
  rollback: 'Undo',
  'bulk-fix': 'Bulk repair',
  scan: 'Scan of all accounts',
  verify: 'Verification',
  backup: 'Backup',
};

export function jobTitle(job: Job): string {
  return job.kind === 'bulk-fix' && job.dryRun ? 'Dry run: the changes a bulk repair would make' : (KIND_TITLES[job.kind] ?? job.kind);
}

export function jobView(
  job: Job,
  items: readonly JobItem[],
  runner: Pick<JobRunner, 'liveEvents'>,
  changeOf: (id: number) => Change | undefined,
  limit = 1000,
): JobView {
  const shown = items.slice(0, limit);
  const allowBlockAll = (job.params as { allowBlockAll?: unknown } | null)?.allowBlockAll === true;
  return {
    job,
    final: FINAL_JOB_STATUSES.has(job.status),
    title: jobTitle(job),
    omitted: items.length - shown.length,
    keys: items.map((i) => i.key),
    allowBlockAll,
    scope: job.kind === 'scan' ? scanScope(job) : null,
    scanned: job.kind === 'scan' ? scanTotals(items) : null,
    items: shown.map((item) => {
      const result = (item.result ?? {}) as StoredResult;
      const events = (item.status === 'running' ? runner.liveEvents(item.jobId, item.seq) : (result.steps ?? result.events ?? [])).filter(
        isStepEvent,
      );
      const changeId = typeof result.changeId === 'number' ? result.changeId : (item.changeId ?? null);
      const change = changeId !== null ? changeOf(changeId) : undefined;
      const undoable = !!change && change.kind === 'repair' && (change.status === 'applied' || change.status === 'verified');
      return {
        seq: item.seq,
        key: item.key,
        label: job.kind === 'scan' ? sliceLabel(job, item) : item.key,
        status: item.status,
        step: item.step ?? null,
        resultStatus: typeof result.status === 'string' ? result.status : null,
        message: typeof result.message === 'string' ? result.message : null,
        planText: result.plan ? describePlan(result.plan) : null,
        change: result.plan ? planView(result.plan, result.recordsBefore ?? []) : null,
        steps: stepViews(events),
        verification: result.verification ?? null,
        changeId,
        undoChangeId: undoable ? changeId : null,
        error: result.error?.message ?? null,
        needsConsent:
          !allowBlockAll &&
          result.status === 'planned' &&
          Array.isArray(result.before?.codes) &&
          blocksAllMail(result.before.codes as string[]),
        pageStatus:
          item.status === 'failed' || result.status === 'failed'
            ? 'error'
            : item.status === 'done' || item.status === 'skipped'
              ? 'ok'
              : 'warning',
      };
    }),
  };
}

/** The JSON of `/api/jobs/:id` (the poller reads `job.status`, `job.progress` and the items). */
export function jobJson(view: JobView): unknown {
  const { job } = view;
  return {
    job: {
      id: job.id,
      kind: job.kind,
      status: job.status,
      dryRun: job.dryRun,
      progress: job.progress,
      createdAt: job.createdAt,
      ...(job.startedAt ? { startedAt: job.startedAt } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      ...(job.error ? { error: job.error } : {}),
    },
    final: view.final,
    items: view.items,
    omitted: view.omitted,
  };
}
