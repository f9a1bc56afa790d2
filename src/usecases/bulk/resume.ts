/**
 * Resume one job left behind by a process that is gone (the CLI killed half-way, a daemon that
 * crashed): the start-up half of the recovery contract (adapters/store/job-recovery.ts), then work
 * the job in this process. Changes left `applying` are settled by reading their zones; every item
 * left running is decided from the journal (reached the zone → done; never sent → worked again);
 * finished items are never handed out again. Jobs of a live process are left alone.
 */
import type { ChangeJournal, Job, JobQueue, JobRecovery } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import { FixEmailAuthError } from '../../errors';
import { reconcileItemFromJournal } from '../jobs/recovery';
import type { JobRunner } from '../jobs/runner';
import { reconcileInterruptedChanges, type RepairContext } from '../repair';

export interface ResumeDeps {
  ctx: Pick<RepairContext, 'zones' | 'journal'>;
  recovery: Pick<JobRecovery, 'recoverInterrupted'>;
  journal: Pick<ChangeJournal, 'getChange' | 'listChanges' | 'advance'>;
  queue: Pick<JobQueue, 'getJob'>;
  runner: Pick<JobRunner, 'resume'>;
}

export interface ResumeOutcome {
  job: Job;
  /** Items whose outcome could not be settled yet (their zone could not be read). */
  unresolved: number;
}

export async function resumeJob(
  deps: ResumeDeps,
  jobId: number,
  by: Actor,
  options: { concurrency?: number } = {},
): Promise<ResumeOutcome> {
  const before = deps.queue.getJob(jobId);
  if (!before) throw new FixEmailAuthError('NOT_FOUND', `Job ${jobId} does not exist`);
  await reconcileInterruptedChanges(deps.ctx);
  const report = await deps.recovery.recoverInterrupted(reconcileItemFromJournal(deps.journal));
  const unresolved = report.unresolved.filter((u) => u.item.jobId === jobId).length;
  const job = deps.queue.getJob(jobId) as Job;
  if (job.status !== 'interrupted') {
    if (['done', 'failed', 'cancelled'].includes(job.status)) return { job, unresolved };
    throw new FixEmailAuthError(
      'CONFLICT',
      `Job ${jobId} is ${job.status}${job.runner ? ` in process ${job.runner}` : ''}; only an interrupted job can be resumed`,
    );
  }
  if (unresolved > 0) {
    throw new FixEmailAuthError(
      'CONFLICT',
      `Job ${jobId} has ${unresolved} item(s) whose change could not be checked in its zone yet; try again when cPanel answers`,
    );
  }
  deps.runner.resume(jobId, by, options);
  return { job: deps.queue.getJob(jobId) as Job, unresolved };
}
