/**
 * Scan the server: diagnose every domain, zone by zone, and keep the latest result per domain in the
 * store for the admin's table. A stand-in until the bulk use case (issue 7) lands its own scanner:
 * it keeps to `startScan` + a `scan` item handler, so it can be swapped without touching the daemon.
 *
 * One job item per zone (a zone is read once for all its domains); the list of domains is fetched
 * once per job and kept for the job's items.
 */
import type { Job, ScanResultInput, ScanResults } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import type { Accounts, DomainInfo } from '../../ports';
import { diagnoseDomains, type DiagnoseContext } from './diagnoseDomains';
import type { ItemHandler, JobRunner } from './runner';

export interface ScanJobParams {
  /** Only these cPanel users' domains (default: every account). */
  users?: string[];
  /** Only these zones (a Zone Editor edit re-checks just its zone). */
  zones?: string[];
}

export interface ScanDeps {
  runner: JobRunner;
  accounts: Pick<Accounts, 'listDomains'>;
}

function selected(domains: DomainInfo[], params: ScanJobParams | null | undefined): DomainInfo[] {
  const users = params?.users?.length ? new Set(params.users) : null;
  const zones = params?.zones?.length ? new Set(params.zones) : null;
  return domains.filter((d) => (!users || users.has(d.user)) && (!zones || zones.has(d.zone)));
}

export async function startScan(deps: ScanDeps, actor: Actor, options: ScanJobParams & { concurrency?: number } = {}): Promise<Job> {
  const params: ScanJobParams = {
    ...(options.users?.length ? { users: [...options.users] } : {}),
    ...(options.zones?.length ? { zones: [...options.zones] } : {}),
  };
  const domains = selected(await deps.accounts.listDomains(), params);
  const zones = [...new Set(domains.map((d) => d.zone))].sort();
  return deps.runner.startJob('scan', zones, params, actor, options.concurrency !== undefined ? { concurrency: options.concurrency } : {});
}

export interface ScanHandlerDeps {
  context: () => DiagnoseContext & { clock: { now(): Date } };
  accounts: Pick<Accounts, 'listDomains'>;
  scans: Pick<ScanResults, 'upsertScanResults'>;
}

/** Jobs whose domain list is kept; a scan started while another runs gets its own fresh list. */
const KEPT_LISTS = 4;

export function scanItemHandler(deps: ScanHandlerDeps): ItemHandler {
  const lists = new Map<number, Promise<Map<string, DomainInfo[]>>>();
  const domainsByZone = (job: Job): Promise<Map<string, DomainInfo[]>> => {
    let list = lists.get(job.id);
    if (!list) {
      list = deps.accounts.listDomains().then((all) => {
        const byZone = new Map<string, DomainInfo[]>();
        for (const d of selected(all, job.params as ScanJobParams | null)) byZone.set(d.zone, [...(byZone.get(d.zone) ?? []), d]);
        return byZone;
      });
      // A failed listing is not kept: the next item asks again.
      list.catch(() => lists.delete(job.id));
      lists.set(job.id, list);
      while (lists.size > KEPT_LISTS) lists.delete(lists.keys().next().value!);
    }
    return list;
  };

  return async ({ job, item, progress }) => {
    const members = (await domainsByZone(job)).get(item.key) ?? [];
    if (members.length === 0) return { status: 'skipped', result: { domains: [], note: 'the zone no longer belongs to any domain' } };
    progress('diagnose');
    const ctx = deps.context();
    const diagnoses = await diagnoseDomains(ctx, members, { concurrency: 1 });
    const now = ctx.clock.now();
    const rows: ScanResultInput[] = diagnoses.map((d) => ({
      domain: d.info.domain,
      zone: d.info.zone,
      user: d.info.user,
      owner: d.info.owner,
      status: d.report ? d.report.status : 'unknown',
      codes: d.report ? d.report.findings.map((f) => f.code) : [],
      report: d.report ?? { error: d.error },
      scannedAt: now,
    }));
    deps.scans.upsertScanResults(rows);
    const summary = diagnoses.map((d) => ({ domain: d.info.domain, status: d.report?.status ?? 'unknown', ...(d.error ? { error: d.error } : {}) }));
    return { status: diagnoses.every((d) => d.error) ? 'failed' : 'done', result: { domains: summary } };
  };
}

/** Register the stand-in scanner on a runner. */
export function registerScan(runner: JobRunner, deps: ScanHandlerDeps, concurrency = 4): void {
  runner.register('scan', scanItemHandler(deps), { concurrency });
}
