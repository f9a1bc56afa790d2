/**
 * Which domains a bulk repair is for: a list given by the admin, or a filter over the latest scan
 * (e.g. `--all-stale`: every domain whose Domain Lockdown record makes MailChannels reject its mail).
 * The order spreads the domains of one zone apart, so the workers of a job are rarely waiting for
 * the same zone's lock.
 */
import type { ScanQuery, ScanResults, ScanStatus } from '../../adapters/store';

/** Lockdown findings of severity error (DESIGN.md): mail is rejected until the record is fixed. */
export const LOCKDOWN_ERROR_CODES = [
  'LOCKDOWN_STALE',
  'LOCKDOWN_WRONG_SENDERID',
  'LOCKDOWN_BLOCK_ALL',
  'LOCKDOWN_MULTIPLE',
  'LOCKDOWN_MALFORMED',
  'LOCKDOWN_CFID',
] as const;

export interface BulkFilter {
  /** Every domain with a lockdown error (`fix --all-stale`). */
  allStale?: boolean;
  codes?: readonly string[];
  statuses?: readonly ScanStatus[];
  user?: string;
  reseller?: string;
}

const PAGE = 5000;

/** Domains of the latest scan matching the filter, with their zones. */
export function selectFromScan(scans: Pick<ScanResults, 'queryScanResults'>, filter: BulkFilter): Array<{ domain: string; zone: string }> {
  const codes = filter.allStale ? [...LOCKDOWN_ERROR_CODES, ...(filter.codes ?? [])] : filter.codes;
  const query: ScanQuery = {
    ...(codes && codes.length > 0 ? { code: codes } : {}),
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
