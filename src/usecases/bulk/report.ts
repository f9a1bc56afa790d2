/**
 * A bulk job's outcome zone by zone (the admin reads "zone X: 2 domains fixed", not 10 000 rows),
 * from the items' stored results. Items not worked yet (pending, cancelled) are placed in their zone
 * by the latest scan when it knows the domain.
 */
import type { Job, JobItem, JobQueue, ScanResults } from '../../adapters/store';

export interface DomainOutcome {
  domain: string;
  /** The repair's status (`verified`, `applied`, `planned`, `unchanged`, `not-authoritative`, `failed`) or the item's (`pending`, `running`, `cancelled`). */
  status: string;
  message?: string;
  changeId?: number;
  plan?: unknown;
  error?: { code: string; step: string; message: string };
}

export interface ZoneOutcome {
  zone: string;
  /** The most pressing of its domains' statuses. */
  status: string;
  domains: DomainOutcome[];
}

export interface BulkReport {
  job: Job;
  zones: ZoneOutcome[];
  /** Domains per status. */
  counts: Record<string, number>;
}

/** Most pressing first: what an admin must look at. */
const RANK = [
  'failed',
  'running',
  'pending',
  'cancelled',
  'planned',
  'applied',
  'not-authoritative',
  'verified',
  'unchanged',
  'skipped',
  'done',
];
const rank = (status: string) => {
  const i = RANK.indexOf(status);
  return i < 0 ? RANK.length : i;
};

interface StoredResult {
  status?: string;
  domain?: string;
  zone?: string;
  message?: string;
  changeId?: number;
  plan?: unknown;
  error?: { code: string; step: string; message: string };
}

function outcomeOf(item: JobItem): { zone?: string; outcome: DomainOutcome } {
  const r = (item.result ?? {}) as StoredResult;
  const finished = item.status === 'done' || item.status === 'failed' || item.status === 'skipped';
  const status = finished ? (typeof r.status === 'string' ? r.status : item.status === 'failed' ? 'failed' : item.status) : item.status;
  const outcome: DomainOutcome = { domain: item.key, status };
  if (typeof r.message === 'string') outcome.message = r.message;
  const changeId = r.changeId ?? item.changeId;
  if (typeof changeId === 'number') outcome.changeId = changeId;
  if (r.plan) outcome.plan = r.plan;
  if (r.error) {
    outcome.error = r.error;
    outcome.message ??= r.error.message;
  }
  return { ...(typeof r.zone === 'string' ? { zone: r.zone } : {}), outcome };
}

export function bulkReport(
  deps: { queue: Pick<JobQueue, 'getJob' | 'listJobItems'>; scans?: Pick<ScanResults, 'getScanResult'> },
  jobId: number,
): BulkReport | undefined {
  const job = deps.queue.getJob(jobId);
  if (!job) return undefined;
  const zones = new Map<string, ZoneOutcome>();
  const counts: Record<string, number> = {};
  for (const item of deps.queue.listJobItems(jobId)) {
    const { zone: known, outcome } = outcomeOf(item);
    const zone = known ?? deps.scans?.getScanResult(item.key)?.zone ?? item.key;
    let entry = zones.get(zone);
    if (!entry) zones.set(zone, (entry = { zone, status: outcome.status, domains: [] }));
    entry.domains.push(outcome);
    if (rank(outcome.status) < rank(entry.status)) entry.status = outcome.status;
    counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  }
  const list = [...zones.values()].sort((a, b) => rank(a.status) - rank(b.status) || (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
  return { job, zones: list, counts };
}
