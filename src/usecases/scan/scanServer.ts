/**
 * `scanServer`: diagnose every domain of the server (or of one account or reseller), zone by zone,
 * and keep the latest result per domain in the store — streaming: results are yielded as they come
 * (in zone order) and stored in batches, so memory holds a few zones' reports, never the server's.
 *
 * - The domain list is read once (it is small: names and owners), grouped by zone; each zone is read
 *   once for all its domains (a sub-domain lives in its parent's zone).
 * - At most `concurrency` zones are being read or diagnosed at once; results wait in a small reorder
 *   window so the output order does not depend on timing.
 * - A zone that cannot be read or parsed gives its domains an `unknown` result with the error; the
 *   scan goes on.
 * - Every result is stored (filters by status or code only narrow what is yielded), so the admin's
 *   table is complete for the accounts scanned.
 */
import type { ScanResultInput, ScanResults } from '../../adapters/store';
import type { Clock, LocalAuthority } from '../../ports';
import { errorInfo, errorResult } from './diagnoseZone';
import type { ScanDomain, ScannedDomain, ScanOptions, ScanProgress, ScanSource, ZoneDiagnoser, ZoneMember, ZoneTask } from './types';

export interface ScanContext {
  source: ScanSource;
  diagnoser: ZoneDiagnoser;
  scans: Pick<ScanResults, 'upsertScanResults'> & Partial<Pick<ScanResults, 'pruneScanResults'>>;
  clock: Clock;
  /** Tenant mode: an account's mailbox logins (asked once per account per scan). */
  mailboxesOf?: (user: string) => Promise<string[]>;
}

/** has_local_authority takes a list of domains; keep each call's URL and answer small. */
const AUTHORITY_BATCH = 100;
/** Zones in flight: enough to keep every worker thread busy while the main thread reads and stores. */
const DEFAULT_CONCURRENCY = 32;
/**
 * Results per store transaction. Small on purpose: a batch's reports live until it is written, long
 * enough to be promoted to V8's old space, and 500 of them made the peak RSS grow with the server
 * (measured in bench/: 10 000 zones 167 → 133 MiB, 50 000 zones 279 → 201 MiB), at no cost in speed.
 */
const DEFAULT_BATCH = 100;

/** The selected domains grouped by zone, zones in name order (a stable order for output and jobs). */
export function groupByZone(
  domains: readonly ScanDomain[],
  options: Pick<ScanOptions, 'user' | 'reseller' | 'zoneFilter'> = {},
): Map<string, ScanDomain[]> {
  const groups = new Map<string, ScanDomain[]>();
  for (const d of domains) {
    if (options.user !== undefined && d.user !== options.user) continue;
    if (options.reseller !== undefined && d.owner !== options.reseller) continue;
    if (options.zoneFilter && !options.zoneFilter(d.zone)) continue;
    const group = groups.get(d.zone);
    if (group) group.push(d);
    else groups.set(d.zone, [d]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The selected domains packed per zone, one line per domain (`domain\tuser\towner`): the one
 * structure a scan holds for the whole server, kept to a few bytes per domain (objects cost several
 * times more, and V8 lets the heap grow with what it holds: measured in bench/).
 */
function packByZone(
  domains: readonly ScanDomain[],
  options: Pick<ScanOptions, 'user' | 'reseller' | 'zoneFilter'>,
): { zones: string[]; packed: Map<string, string>; count: number } {
  const packed = new Map<string, string>();
  let count = 0;
  for (const d of domains) {
    if (options.user !== undefined && d.user !== options.user) continue;
    if (options.reseller !== undefined && d.owner !== options.reseller) continue;
    if (options.zoneFilter && !options.zoneFilter(d.zone)) continue;
    const line = `${d.domain}\t${d.user}\t${d.owner}`;
    const previous = packed.get(d.zone);
    packed.set(d.zone, previous === undefined ? line : `${previous}\n${line}`);
    count++;
  }
  const zones = [...packed.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { zones, packed, count };
}

function unpack(zone: string, lines: string): ScanDomain[] {
  return lines.split('\n').map((line) => {
    const [domain = '', user = '', owner = ''] = line.split('\t');
    return { domain, user, owner, zone };
  });
}

async function authorityOf(source: ScanSource, domains: string[]): Promise<Map<string, LocalAuthority>> {
  const out = new Map<string, LocalAuthority>();
  if (!source.localAuthority) return out;
  for (let i = 0; i < domains.length; i += AUTHORITY_BATCH) {
    try {
      for (const a of await source.localAuthority(domains.slice(i, i + AUTHORITY_BATCH))) out.set(a.domain, a);
    } catch {
      // Without the answer the reports simply have no DNS_NOT_AUTHORITATIVE finding.
    }
  }
  return out;
}

/** Once per account for the whole scan; a failed read leaves the account's domains without (reported by the diagnosis). */
function memoMailboxes(read: ((user: string) => Promise<string[]>) | undefined) {
  if (!read) return undefined;
  const lists = new Map<string, Promise<string[] | undefined>>();
  return (user: string) => {
    let list = lists.get(user);
    if (!list) lists.set(user, (list = read(user).catch(() => undefined)));
    return list;
  };
}

async function taskFor(
  source: ScanSource,
  zone: string,
  group: ScanDomain[],
  authority: Map<string, LocalAuthority>,
  mailboxesOf?: (user: string) => Promise<string[] | undefined>,
): Promise<ZoneTask> {
  const members: ZoneMember[] = await Promise.all(
    group.map(async (d) => {
      const member: ZoneMember = { domain: d.domain, user: d.user, owner: d.owner };
      const key = source.dkimPublicKey ? await source.dkimPublicKey(d.domain).catch(() => undefined) : undefined;
      if (key !== undefined) member.dkimPublicKey = key;
      const a = authority.get(d.domain);
      if (a) member.authority = a;
      const boxes = mailboxesOf ? await mailboxesOf(d.user) : undefined;
      if (boxes) member.mailboxes = boxes;
      return member;
    }),
  );
  try {
    return { zone, members, content: await source.readZone(zone) };
  } catch (err) {
    return { zone, members, error: errorInfo(err, 'read') };
  }
}

function wanted(row: ScannedDomain, options: ScanOptions): boolean {
  if (options.statuses && options.statuses.length > 0 && !options.statuses.includes(row.status)) return false;
  if (options.codes && options.codes.length > 0 && !row.codes.some((c) => options.codes!.includes(c))) return false;
  return true;
}

function storedRow(row: ScannedDomain, at: Date): ScanResultInput {
  return {
    domain: row.domain,
    zone: row.zone,
    user: row.user,
    owner: row.owner,
    status: row.status,
    codes: row.codes,
    report: undefined,
    reportJson: row.reportJson,
    scannedAt: at,
  };
}

export async function* scanServer(ctx: ScanContext, options: ScanOptions = {}): AsyncGenerator<ScannedDomain, ScanProgress> {
  const startedAt = ctx.clock.now();
  const { zones, packed, count } = packByZone(await ctx.source.listDomains(), options);
  const progress: ScanProgress = { zonesDone: 0, zonesTotal: zones.length, domainsDone: 0, domainsTotal: count, errors: 0 };
  options.onProgress?.({ ...progress });

  const authority = ctx.source.localAuthority
    ? await authorityOf(
        ctx.source,
        zones.flatMap((z) => unpack(z, packed.get(z) as string).map((d) => d.domain)),
      )
    : new Map<string, LocalAuthority>();
  const mailboxesOf = memoMailboxes(ctx.mailboxesOf);
  const concurrency = Math.max(1, Math.min(256, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)));
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  let batch: ScanResultInput[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    ctx.scans.upsertScanResults(batch);
    batch = [];
  };

  // Zones in flight, in zone order; each resolves to its domains' results.
  const window: Promise<ScannedDomain[]>[] = [];
  let next = 0;
  const launch = () => {
    while (window.length < concurrency && next < zones.length && !options.signal?.aborted) {
      const zone = zones[next++] as string;
      const group = unpack(zone, packed.get(zone) as string);
      packed.delete(zone); // the domain list shrinks as the scan goes
      window.push(
        taskFor(ctx.source, zone, group, authority, mailboxesOf).then((task) =>
          // A worker that died mid-zone: that zone's domains get the error, the scan goes on.
          ctx.diagnoser.diagnose(task).catch((err: unknown) => task.members.map((m) => errorResult(zone, m, errorInfo(err, 'diagnose')))),
        ),
      );
    }
  };

  try {
    launch();
    while (window.length > 0) {
      const rows = await (window.shift() as Promise<ScannedDomain[]>);
      launch();
      const at = ctx.clock.now();
      progress.zonesDone++;
      for (const row of rows) {
        progress.domainsDone++;
        if (row.status === 'unknown') progress.errors++;
        batch.push(storedRow(row, at));
        options.onResult?.(row);
        if (wanted(row, options)) yield row;
      }
      if (batch.length >= batchSize) flush();
      options.onProgress?.({ ...progress });
    }
  } finally {
    // Stored even when the consumer stops early or the scan is cancelled: what was diagnosed is kept.
    flush();
  }
  // A whole-server scan that ran to the end has seen every domain there is: rows it did not refresh
  // belong to domains that are gone (account removed, domain moved away), and leave the admin's table.
  const whole =
    options.user === undefined && options.reseller === undefined && options.zoneFilter === undefined && !options.signal?.aborted;
  if (whole && progress.zonesDone === progress.zonesTotal) ctx.scans.pruneScanResults?.(startedAt);
  return progress;
}

/** Run a scan to the end without keeping the results (jobs, benchmarks): the store has them. */
export async function runScan(ctx: ScanContext, options: ScanOptions = {}): Promise<ScanProgress> {
  const it = scanServer(ctx, options);
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
  }
}
