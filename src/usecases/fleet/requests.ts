/**
 * Repair requests pulled from the controller. Each is decided by this server's policy (policy.ts) on
 * a fresh diagnosis; the accepted ones of one fleet repair become one local `bulk-fix` job — the
 * same journalled, serial-checked, verified, undoable repair as a WHM admin's — and every decision and
 * every ending goes into the outbox for the controller. A request seen before (the controller sends
 * unanswered ones again) is never decided twice.
 */
import type { FleetOutbox, FleetRequestRow, Job, JobItem } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import type { RepairRequest, RequestOutcome } from '../../fleet/protocol';
import type { Clock } from '../../ports';
import type { DomainDiagnosis } from '../inspect';
import type { RepairItemResult } from '../jobs/handlers';
import { decideRequest } from './policy';

export interface RequestDeps {
  outbox: FleetOutbox;
  transaction<T>(fn: () => T): T;
  clock: Clock;
  /** A fresh diagnosis of the domain on this server (null: no account has it). */
  diagnose(domain: string): Promise<DomainDiagnosis | null>;
  /** Start a local bulk repair of these domains (the job runner's `bulk-fix`). */
  startRepairJob(domains: ReadonlyArray<{ domain: string; zone: string }>, actor: Actor): Job;
  getJob(id: number): Job | undefined;
  listJobItems(jobId: number): JobItem[];
}

const OVER = new Set(['done', 'failed', 'cancelled']);

function record(
  deps: RequestDeps,
  request: RepairRequest,
  state: FleetRequestRow['state'],
  outcome: RequestOutcome,
  jobId: number | null,
): void {
  deps.outbox.saveFleetRequest({
    itemId: request.itemId,
    repairId: request.repairId,
    domain: request.domain,
    requestedBy: request.requestedBy,
    receivedAt: deps.clock.now().toISOString(),
    state,
    jobId,
    outcome,
  });
  deps.outbox.enqueue('request', { outcome }, deps.clock.now());
}

export async function handleRequests(
  deps: RequestDeps,
  requests: readonly RepairRequest[],
): Promise<{ accepted: number; declined: number }> {
  const accepted = new Map<number, Array<{ request: RepairRequest; zone: string; codes: string[] }>>();
  let declined = 0;
  for (const request of requests) {
    if (deps.outbox.fleetRequest(request.itemId)) continue;
    let diagnosis: DomainDiagnosis | null;
    try {
      diagnosis = await deps.diagnose(request.domain);
    } catch (err) {
      diagnosis = {
        info: { domain: request.domain, user: '', owner: '', type: 'main', zone: request.domain },
        error: { code: 'INTERNAL', step: 'diagnose', message: (err as Error).message },
      };
    }
    const decision = decideRequest(diagnosis);
    if (decision.accept) {
      const list = accepted.get(request.repairId) ?? [];
      list.push({ request, zone: decision.zone, codes: decision.codes });
      accepted.set(request.repairId, list);
      continue;
    }
    declined++;
    deps.transaction(() =>
      record(
        deps,
        request,
        decision.state,
        {
          itemId: request.itemId,
          state: decision.state,
          ...(decision.state === 'refused' ? { reason: decision.reason } : {}),
          message: decision.message,
          codes: decision.codes,
        },
        null,
      ),
    );
  }
  let count = 0;
  for (const list of accepted.values()) {
    const by = list[0]!.request.requestedBy;
    const actor: Actor = { kind: 'admin', name: `fleet:${by}`.slice(0, 200) };
    deps.transaction(() => {
      const job = deps.startRepairJob(
        list.map((a) => ({ domain: a.request.domain, zone: a.zone })),
        actor,
      );
      for (const a of list)
        record(
          deps,
          a.request,
          'accepted',
          {
            itemId: a.request.itemId,
            state: 'accepted',
            message: `Repairing in job ${job.id} on this server.`,
            jobId: job.id,
            codes: a.codes,
          },
          job.id,
        );
    });
    count += list.length;
  }
  return { accepted: count, declined };
}

function outcomeOfItem(request: FleetRequestRow, item: JobItem | undefined, job: Job): RequestOutcome {
  const base = { itemId: request.itemId, jobId: job.id };
  const result = item?.result as Partial<RepairItemResult> | undefined;
  if (!item) return { ...base, state: 'failed', message: `Job ${job.id} ended without this domain.` };
  if (item.status === 'done')
    return {
      ...base,
      state: 'done',
      message: result?.message ?? 'Repaired.',
      ...((item.changeId ?? result?.changeId) ? { changeId: item.changeId ?? result?.changeId } : {}),
      ...(result?.after ? { codes: result.after.codes } : {}),
    };
  if (item.status === 'skipped') {
    if (result?.status === 'not-authoritative')
      return { ...base, state: 'refused', reason: 'FOREIGN_DNS', message: result.message ?? 'Hosted elsewhere.' };
    return { ...base, state: 'unchanged', message: result?.message ?? 'Nothing needed changing.' };
  }
  const why =
    result?.error?.message ?? result?.message ?? (item.status === 'cancelled' ? 'cancelled on this server' : `ended ${item.status}`);
  return { ...base, state: 'failed', message: `The repair did not succeed: ${why}` };
}

/** Report how the local jobs of accepted requests ended, once they have. */
export function settleRequests(deps: RequestDeps): number {
  let settled = 0;
  const byJob = new Map<number, FleetRequestRow[]>();
  for (const r of deps.outbox.openFleetRequests()) if (r.jobId !== null) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
  for (const [jobId, requests] of byJob) {
    const job = deps.getJob(jobId);
    if (!job || !OVER.has(job.status)) continue;
    const items = new Map(deps.listJobItems(jobId).map((i) => [i.key, i]));
    deps.transaction(() => {
      for (const request of requests) {
        const outcome = outcomeOfItem(request, items.get(request.domain), job);
        deps.outbox.saveFleetRequest({ ...request, state: outcome.state === 'accepted' ? 'accepted' : outcome.state, outcome });
        deps.outbox.enqueue('request', { outcome }, deps.clock.now());
        settled++;
      }
    });
  }
  return settled;
}
