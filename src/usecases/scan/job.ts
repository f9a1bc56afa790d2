/**
 * The server scan as a background job (the daemon's "Scan all accounts", the hooks' re-check of one
 * account): `startScan(deps, actor, options) → Promise<Job>` and the `scan` item handler, with the
 * scanner of this folder behind it.
 *
 * One job item per slice of the server's zones, not per zone: every item costs a few durable SQLite
 * transactions (claim, finish), and thousands of them would cost more than the scan itself. A slice
 * is the zones from its key (the slice's first zone, in name order) up to the next slice's key, so
 * zones added or removed between start and resume still fall into exactly one slice. The domain list
 * is read once per job and kept while the job runs.
 */
import type { Job } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import type { DomainInfo } from '../../ports';
import type { ItemHandler, JobRunner } from '../jobs/runner';
import { groupByZone, runScan, type ScanContext } from './scanServer';
import type { ScanSource, ScanStatus } from './types';

export interface ScanJobParams {
  /** Only these cPanel users' domains (default: every account). */
  users?: string[];
  /** Only accounts of this reseller. */
  reseller?: string;
  /** Only these zones (a Zone Editor hook re-checks the zone that was edited). */
  zones?: string[];
  /** Read through WHM's API even when the files are readable. */
  viaApi?: boolean;
  /** First zone of each slice, in order (the items' keys). */
  bounds: string[];
}

export interface ScanJobOptions {
  users?: string[];
  reseller?: string;
  zones?: string[];
  viaApi?: boolean;
  /** Slices worked at once. */
  concurrency?: number;
  /** Zones per slice (default 250). */
  sliceZones?: number;
}

export interface StartScanDeps {
  runner: Pick<JobRunner, 'startJob'>;
  /** Where the domain list comes from (the same source the items will read). */
  source: Pick<ScanSource, 'listDomains'>;
}

const DEFAULT_SLICE = 250;

function selection(domains: readonly DomainInfo[], params: Pick<ScanJobParams, 'users' | 'reseller' | 'zones'>): DomainInfo[] {
  const users = params.users && params.users.length > 0 ? new Set(params.users) : null;
  const zones = params.zones && params.zones.length > 0 ? new Set(params.zones) : null;
  return domains.filter(
    (d) => (!users || users.has(d.user)) && (!zones || zones.has(d.zone)) && (params.reseller === undefined || d.owner === params.reseller),
  );
}

/** Slice bounds for sorted zone names: the first zone of every `size` zones. */
export function sliceBounds(zones: readonly string[], size = DEFAULT_SLICE): string[] {
  const bounds: string[] = [];
  for (let i = 0; i < zones.length; i += Math.max(1, size)) bounds.push(zones[i] as string);
  return bounds;
}

/** Whether `zone` belongs to slice `index` (0-based) of `bounds`: the first slice also takes any zone before it. */
export function inSlice(zone: string, bounds: readonly string[], index: number): boolean {
  const from = index === 0 ? undefined : bounds[index];
  const to = bounds[index + 1];
  return (from === undefined || zone >= from) && (to === undefined || zone < to);
}

export async function startScan(deps: StartScanDeps, actor: Actor, options: ScanJobOptions = {}): Promise<Job> {
  const domains = selection(await deps.source.listDomains(), options);
  const zones = [...groupByZone(domains).keys()];
  const bounds = sliceBounds(zones, options.sliceZones);
  const params: ScanJobParams = {
    ...(options.users?.length ? { users: [...options.users] } : {}),
    ...(options.reseller !== undefined ? { reseller: options.reseller } : {}),
    ...(options.zones?.length ? { zones: [...options.zones] } : {}),
    ...(options.viaApi ? { viaApi: true } : {}),
    bounds,
  };
  return deps.runner.startJob('scan', bounds, params, actor, options.concurrency !== undefined ? { concurrency: options.concurrency } : {});
}

export interface ScanHandlerDeps {
  /** The scan's source, diagnoser and store for a job (`viaApi` from its params). */
  context(options: { viaApi: boolean }): Promise<ScanContext>;
}

/** Jobs whose domain list is kept; a scan started while another runs gets its own list. */
const KEPT_LISTS = 4;

export interface SliceResult {
  zones: number;
  domains: number;
  errors: number;
  byStatus: Partial<Record<ScanStatus, number>>;
  /** The first and last zone (in name order) the slice scanned: what the job page names it by. */
  firstZone?: string;
  lastZone?: string;
  /** One line for the job page. */
  message: string;
}

function sliceMessage(zones: number, domains: number, byStatus: Partial<Record<ScanStatus, number>>): string {
  const parts = (['error', 'warning', 'unknown', 'info', 'ok'] as const).filter((s) => byStatus[s]).map((s) => `${byStatus[s]} ${s}`);
  return `${zones} zone(s), ${domains} domain(s)${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function scanSliceHandler(deps: ScanHandlerDeps): ItemHandler {
  const lists = new Map<number, Promise<DomainInfo[]>>();
  const listFor = (job: Job, ctx: ScanContext): Promise<DomainInfo[]> => {
    let list = lists.get(job.id);
    if (!list) {
      list = ctx.source.listDomains();
      // A failed listing is not kept: the next item asks again.
      list.catch(() => lists.delete(job.id));
      lists.set(job.id, list);
      while (lists.size > KEPT_LISTS) lists.delete(lists.keys().next().value as number);
    }
    return list;
  };

  return async ({ job, item, progress }) => {
    const params = (job.params ?? {}) as Partial<ScanJobParams>;
    const bounds = Array.isArray(params.bounds) ? params.bounds : [item.key];
    const index = Math.max(0, bounds.indexOf(item.key));
    const ctx = await deps.context({ viaApi: params.viaApi === true });
    const all = await listFor(job, ctx);
    const domains = selection(all, params);
    const byStatus: Partial<Record<ScanStatus, number>> = {};
    let firstZone: string | undefined;
    let lastZone: string | undefined;
    let reported = 0;
    const done = await runScan(
      { ...ctx, source: { ...ctx.source, listDomains: async () => domains } },
      {
        zoneFilter: (zone) => inSlice(zone, bounds, index),
        onProgress: (p) => {
          // A note every few zones for the page; the store write is cheap but not free.
          if (p.zonesDone === p.zonesTotal || p.zonesDone - reported >= 25) {
            reported = p.zonesDone;
            progress(`zones ${p.zonesDone}/${p.zonesTotal}`);
          }
        },
        onResult: (row) => {
          byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
          if (firstZone === undefined || row.zone < firstZone) firstZone = row.zone;
          if (lastZone === undefined || row.zone > lastZone) lastZone = row.zone;
        },
      },
    );
    const result: SliceResult = {
      zones: done.zonesDone,
      domains: done.domainsDone,
      errors: done.errors,
      byStatus,
      ...(firstZone !== undefined && lastZone !== undefined ? { firstZone, lastZone } : {}),
      message: sliceMessage(done.zonesDone, done.domainsDone, byStatus),
    };
    if (done.zonesTotal === 0) return { status: 'skipped', result: { ...result, note: 'no zone of this slice is on the server any more' } };
    return { status: done.errors === done.domainsDone ? 'failed' : 'done', result };
  };
}

/** Register the scanner's `scan` handler on a runner. */
export function registerScanJobs(runner: Pick<JobRunner, 'register'>, deps: ScanHandlerDeps, concurrency = 1): void {
  runner.register('scan', scanSliceHandler(deps), { concurrency });
}
