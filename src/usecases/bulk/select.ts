/**
 * Which domains a bulk repair is for: a list given by the admin, or a filter over the latest scan
 * (e.g. `--all-stale`: every domain whose Domain Lockdown record makes MailChannels reject its mail
 * although nobody meant it to).
 * The order spreads the domains of one zone apart, so the workers of a job are rarely waiting for
 * the same zone's lock.
 */
import type { ScanQuery, ScanResults, ScanStatus } from '../../adapters/store';
import { staleSelection } from '../../checks/findings';

export interface BulkFilter {
  /** Every stale domain (`fix --all-stale`; checks/findings.ts `staleSelection`). */
  allStale?: boolean;
  /** With allStale: also the domains whose record blocks all mail (`--include-block-all`). */
  includeBlockAll?: boolean;
  codes?: readonly string[];
  statuses?: readonly ScanStatus[];
  user?: string;
  reseller?: string;
}

const PAGE = 5000;

/** Domains of the latest scan matching the filter, with their zones. */
export function selectFromScan(scans: Pick<ScanResults, 'queryScanResults'>, filter: BulkFilter): Array<{ domain: string; zone: string }> {
  const stale = filter.allStale ? staleSelection({ includeBlockAll: filter.includeBlockAll === true }) : null;
  const codes = stale ? [...stale.codes, ...(filter.codes ?? [])] : filter.codes;
  const query: ScanQuery = {
    ...(codes && codes.length > 0 ? { code: codes } : {}),
    ...(stale && stale.excludeCodes.length > 0 ? { excludeCode: stale.excludeCodes } : {}),
    ...(filter.statuses && filter.statuses.length > 0 ? { status: filter.statuses } : {}),
    ...(filter.user !== undefined ? { user: filter.user } : {}),
    ...(filter.reseller !== undefined ? { owner: filter.reseller } : {}),
    withReport: false,
    sort: 'domain',
  };
  const out: Array<{ domain: string; zone: string }> = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = scans.queryScanResults({ ...query, limit: PAGE, offset });
    for (const row of page.rows) out.push({ domain: row.domain, zone: row.zone });
    if (page.rows.length < PAGE) break;
  }
  return out;
}

/**
 * Job order: zones in name order, but the n-th domain of every zone before any zone's (n+1)-th,
 * so two domains of one zone are far apart in the queue.
 */
export function spreadByZone(domains: ReadonlyArray<{ domain: string; zone: string }>): string[] {
  const byZone = new Map<string, string[]>();
  for (const d of [...domains].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0))) {
    const list = byZone.get(d.zone);
    if (list) {
      if (!list.includes(d.domain)) list.push(d.domain);
    } else byZone.set(d.zone, [d.domain]);
  }
  const zones = [...byZone.keys()].sort();
  const out: string[] = [];
  for (let round = 0; ; round++) {
    let any = false;
    for (const zone of zones) {
      const d = byZone.get(zone)![round];
      if (d !== undefined) {
        out.push(d);
        any = true;
      }
    }
    if (!any) return out;
  }
}
