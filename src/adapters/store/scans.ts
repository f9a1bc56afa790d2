/**
 * The latest scan result per domain, for the WHM table (filters by user, reseller, status and finding
 * code) and its summary. A bulk scan writes 10 000–50 000 rows, so `upsertScanResults` writes a batch
 * in one transaction with prepared statements, at relaxed durability (a cache: re-scan to rebuild).
 * Finding codes live in their own table keyed (code, domain), so a code filter is an index range.
 */
import { normalizeDomain } from '../../zone/model';
import { withRelaxedDurability, type Db } from './db';
import { fromJsonColumn, toJsonColumn } from './record-codec';
import { SqlFilter, clampLimit } from './sql-filter';
import { storeError } from './store-error';
import type { IsoTime } from './types';

/** A domain's worst finding severity, or `unknown` when the scan could not read the domain. */
export type ScanStatus = 'ok' | 'info' | 'warning' | 'error' | 'unknown';

export const SCAN_STATUSES: readonly ScanStatus[] = ['ok', 'info', 'warning', 'error', 'unknown'];

export interface ScanResultInput {
  domain: string;
  zone: string;
  /** cPanel account. */
  user: string;
  /** Reseller (or root) owning the account. */
  owner: string;
  status: ScanStatus;
  codes: readonly string[];
  report: unknown;
  /**
   * The report already serialized as JSON (a scan worker thread's), stored as is instead of `report`:
   * a server scan then serializes each report once, in the worker, never in the main thread.
   */
  reportJson?: string;
  scannedAt: IsoTime | Date;
}

export interface ScanResult {
  domain: string;
  zone: string;
  user: string;
  owner: string;
  status: ScanStatus;
  codes: string[];
  /** null when the query asked for `withReport: false`. */
  report: unknown;
  scannedAt: IsoTime;
}

export type ScanSort = 'domain' | 'user' | 'owner' | 'status' | 'scannedAt';

export interface ScanQuery {
  user?: string;
  owner?: string;
  status?: ScanStatus | readonly ScanStatus[];
  /** Domains with this finding code (any of them, for a list). */
  code?: string | readonly string[];
  /** Leave out domains with any of these finding codes. */
  excludeCode?: readonly string[];
  /** Substring of the domain name. */
  search?: string;
  /** `status` sorts by severity (error, unknown, warning, info, ok when descending). Default: domain. */
  sort?: ScanSort;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** Leave the (large) per-domain report out of a table listing. Default true. */
  withReport?: boolean;
}

export interface ScanPage {
  /** Rows matching the filters, before limit/offset. */
  total: number;
  rows: ScanResult[];
}

export interface ScanSummary {
  total: number;
  byStatus: Record<ScanStatus, number>;
  /** Domains per finding code. */
  byCode: Record<string, number>;
  lastScannedAt?: IsoTime;
}

export interface ScanResults {
  /** Store one result; false when a newer result for the domain was already stored. */
  upsertScanResult(result: ScanResultInput): boolean;
  /** Store a batch in one transaction; returns how many were written (older ones are skipped). */
  upsertScanResults(results: Iterable<ScanResultInput>): number;
  getScanResult(domain: string): ScanResult | undefined;
  queryScanResults(query?: ScanQuery): ScanPage;
  scanSummary(filter?: Pick<ScanQuery, 'user' | 'owner'>): ScanSummary;
  /** Forget domains not seen by a scan since `scannedBefore` (removed accounts); returns how many. */
  pruneScanResults(scannedBefore: IsoTime | Date): number;
}

interface ScanRow {
  domain: string;
  zone: string;
  cpanel_user: string;
  owner: string;
  status: ScanStatus;
  codes_json: string;
  report_json: string | null;
  scanned_at: string;
}

const SEVERITY_RANK = "CASE status WHEN 'error' THEN 4 WHEN 'unknown' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END";

const SORT_SQL: Record<ScanSort, string> = {
  domain: 'domain',
  user: 'cpanel_user',
  owner: 'owner',
  status: SEVERITY_RANK,
  scannedAt: 'scanned_at',
};

function isoTime(value: IsoTime | Date, what: string): IsoTime {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw storeError('BAD_INPUT', `${what} is not a valid time: ${String(value)}`);
  return date.toISOString();
}

function toScanResult(row: ScanRow): ScanResult {
  return {
    domain: row.domain,
    zone: row.zone,
    user: row.cpanel_user,
    owner: row.owner,
    status: row.status,
    codes: JSON.parse(row.codes_json) as string[],
    report: fromJsonColumn<unknown>(row.report_json) ?? null,
    scannedAt: row.scanned_at,
  };
}

/** `column` is prefixed with `table.` when the query joins scan_codes. */
function filterOf(query: ScanQuery, table = ''): SqlFilter {
  const where = new SqlFilter()
    .when(query.user, `${table}cpanel_user = ?`)
    .when(query.owner, `${table}owner = ?`)
    .whenIn(query.status, `${table}status`);
  if (query.code !== undefined) {
    const codes = typeof query.code === 'string' ? [query.code] : [...query.code];
    if (codes.length === 0) where.always('0');
    else where.always(`${table}domain IN (SELECT domain FROM scan_codes WHERE code IN (${codes.map(() => '?').join(', ')}))`, ...codes);
  }
  if (query.excludeCode !== undefined && query.excludeCode.length > 0) {
    const codes = [...query.excludeCode];
    where.always(`${table}domain NOT IN (SELECT domain FROM scan_codes WHERE code IN (${codes.map(() => '?').join(', ')}))`, ...codes);
  }
  if (query.search !== undefined && query.search !== '') {
    const escaped = query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    where.always(`${table}domain LIKE ? ESCAPE '\\'`, `%${escaped}%`);
  }
  return where;
}

/** The statements behind `queryScanResults` (exported so tests can ask SQLite how it runs them). */
export function scanQuerySql(query: ScanQuery): { count: { sql: string; params: unknown[] }; select: { sql: string; params: unknown[] } } {
  const where = filterOf(query);
  const order = query.order === 'desc' ? 'DESC' : 'ASC';
  const sort = SORT_SQL[query.sort ?? 'domain'];
  const columns =
    query.withReport === false ? 'domain, zone, cpanel_user, owner, status, codes_json, NULL AS report_json, scanned_at' : '*';
  return {
    count: { sql: `SELECT count(*) AS n FROM scan_results ${where.sql}`, params: where.params },
    select: {
      sql: `SELECT ${columns} FROM scan_results ${where.sql} ORDER BY ${sort} ${order}, domain ASC LIMIT ? OFFSET ?`,
      params: [...where.params, clampLimit(query.limit), Math.max(0, query.offset ?? 0)],
    },
  };
}

export function createScanResults(db: Db): ScanResults {
  const upsert = db.prepare(
    `INSERT INTO scan_results (domain, zone, cpanel_user, owner, status, codes_json, report_json, scanned_at)
     VALUES (@domain, @zone, @user, @owner, @status, @codes, @report, @scannedAt)
     ON CONFLICT (domain) DO UPDATE SET zone = excluded.zone, cpanel_user = excluded.cpanel_user, owner = excluded.owner,
       status = excluded.status, codes_json = excluded.codes_json, report_json = excluded.report_json, scanned_at = excluded.scanned_at
     WHERE excluded.scanned_at >= scan_results.scanned_at`,
  );
  const deleteCodes = db.prepare('DELETE FROM scan_codes WHERE domain = ?');
  const insertCode = db.prepare('INSERT INTO scan_codes (code, domain) VALUES (?, ?)');

  function writeOne(input: ScanResultInput): boolean {
    if (!SCAN_STATUSES.includes(input.status))
      throw storeError('BAD_INPUT', `Unknown scan status '${String(input.status)}' for ${input.domain}`);
    const domain = normalizeDomain(input.domain);
    const codes = [...new Set(input.codes)];
    const written = upsert.run({
      domain,
      zone: normalizeDomain(input.zone),
      user: input.user,
      owner: input.owner,
      status: input.status,
      codes: JSON.stringify(codes),
      report: input.reportJson ?? toJsonColumn(input.report ?? null),
      scannedAt: isoTime(input.scannedAt, `scannedAt of ${domain}`),
    }).changes;
    if (written === 0) return false; // a newer result is already stored
    deleteCodes.run(domain);
    for (const code of codes) insertCode.run(code, domain);
    return true;
  }

  const writeBatch = db.transaction((results: Iterable<ScanResultInput>): number => {
    let written = 0;
    for (const result of results) if (writeOne(result)) written++;
    return written;
  });

  return {
    upsertScanResult: (result) => withRelaxedDurability(db, () => writeBatch.immediate([result])) === 1,
    upsertScanResults: (results) => withRelaxedDurability(db, () => writeBatch.immediate(results)),
    getScanResult(domain) {
      const row = db.prepare('SELECT * FROM scan_results WHERE domain = ?').get(normalizeDomain(domain)) as ScanRow | undefined;
      return row && toScanResult(row);
    },
    queryScanResults(query = {}) {
      const { count, select } = scanQuerySql(query);
      const total = (db.prepare(count.sql).get(...count.params) as { n: number }).n;
      const rows = db.prepare(select.sql).all(...select.params) as ScanRow[];
      return { total, rows: rows.map(toScanResult) };
    },
    scanSummary(filter = {}) {
      const where = filterOf({ user: filter.user, owner: filter.owner });
      const joined = filterOf({ user: filter.user, owner: filter.owner }, 'r.');
      const byStatus = Object.fromEntries(SCAN_STATUSES.map((s) => [s, 0])) as Record<ScanStatus, number>;
      let total = 0;
      for (const { status, n } of db
        .prepare(`SELECT status, count(*) AS n FROM scan_results ${where.sql} GROUP BY status`)
        .all(...where.params) as { status: ScanStatus; n: number }[]) {
        byStatus[status] = n;
        total += n;
      }
      const byCode: Record<string, number> = {};
      const codeRows = db
        .prepare(
          `SELECT c.code, count(*) AS n FROM scan_codes c JOIN scan_results r ON r.domain = c.domain ${joined.sql} GROUP BY c.code ORDER BY c.code`,
        )
        .all(...joined.params) as { code: string; n: number }[];
      for (const { code, n } of codeRows) byCode[code] = n;
      const last = db.prepare(`SELECT max(scanned_at) AS at FROM scan_results ${where.sql}`).get(...where.params) as { at: string | null };
      const summary: ScanSummary = { total, byStatus, byCode };
      if (last.at !== null) summary.lastScannedAt = last.at;
      return summary;
    },
    pruneScanResults(scannedBefore) {
      const before = isoTime(scannedBefore, 'scannedBefore');
      return withRelaxedDurability(db, () => db.prepare('DELETE FROM scan_results WHERE scanned_at < ?').run(before).changes);
    },
  };
}
