/**
 * The WHM admin's pages: overview, the scan table (filters, sort, selection, export), scan, dry run
 * and bulk repair as jobs, every change with rollback, recent lockdown rejections from the Exim log,
 * and the configuration (read-only, no secrets).
 */
import { Router, type Request, type Response } from 'express';
import { SCAN_STATUSES, type ScanQuery, type ScanResult, type ScanSort, type ScanStatus } from '../../adapters/store';
import { BLOCK_ALL_CODE, FINDING_SEVERITY, staleSelection } from '../../checks/findings';
import { HttpError } from '../httpErrors';
import { findBounces, type BounceReport } from '../../usecases/bounces';
import { startScan } from '../../usecases/scan';
import { checkZoneTemplates } from '../../usecases/templates';
import { checkDomainSyntax } from '../../usecases/repair';
import { field, fields, redirectOrJson, requireRole, respond, type AppContext } from '../context';
import { exportTable, historyExport } from '../exports';
import { actorOf, isValidName } from '../identity';
import { changeRow } from '../presenters/domain';
import { configView } from '../presenters/config';
import { findingWords } from '../presenters/findingWords';
import { badge, pageStatus } from '../presenters/status';

const PAGE_SIZE = 100;
const SORTS: readonly ScanSort[] = ['domain', 'user', 'owner', 'status', 'scannedAt'];
const FINDING_CODES = Object.keys(FINDING_SEVERITY);
/** Most domains one bulk job takes (a very large server is repaired in several runs). */
const MAX_BULK = 50_000;
const BOUNCE_WINDOW_DAYS = 7;

interface TableFilter {
  status: ScanStatus[];
  code?: string;
  user?: string;
  owner?: string;
  search?: string;
  sort: ScanSort;
  order: 'asc' | 'desc';
  page: number;
}

/** Unknown filter values are dropped, not errors: a stale bookmark still opens the table. */
function tableFilter(query: unknown): TableFilter {
  const status = fields(query, 'status').filter((s): s is ScanStatus => (SCAN_STATUSES as readonly string[]).includes(s));
  const code = field(query, 'code');
  const user = field(query, 'user');
  const owner = field(query, 'owner');
  const search = field(query, 'search', 100)?.trim();
  const sort = field(query, 'sort') as ScanSort | undefined;
  const page = Number(field(query, 'page') ?? '1');
  return {
    status,
    ...(code && FINDING_CODES.includes(code) ? { code } : {}),
    ...(user && isValidName(user) ? { user } : {}),
    ...(owner && isValidName(owner) ? { owner } : {}),
    ...(search ? { search } : {}),
    sort: sort && SORTS.includes(sort) ? sort : 'status',
    order: field(query, 'order') === 'asc' ? 'asc' : field(query, 'order') === 'desc' ? 'desc' : sort && sort !== 'status' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

function scanQuery(f: TableFilter): ScanQuery {
  return {
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.code ? { code: f.code } : {}),
    ...(f.user ? { user: f.user } : {}),
    ...(f.owner ? { owner: f.owner } : {}),
    ...(f.search ? { search: f.search } : {}),
    sort: f.sort,
    order: f.order,
    withReport: false,
  };
}

/** Every row of a query, page by page (the store caps one page at 10 000). */
function allRows(ctx: AppContext, query: ScanQuery, max: number): ScanResult[] {
  const out: ScanResult[] = [];
  for (let offset = 0; out.length < max;) {
    const page = ctx.services.store.queryScanResults({ ...query, limit: 10_000, offset });
    out.push(...page.rows);
    offset += page.rows.length;
    if (page.rows.length === 0 || offset >= page.total) break;
  }
  return out.slice(0, max);
}

function tableRow(r: ScanResult) {
  return {
    domain: r.domain,
    zone: r.zone,
    user: r.user,
    owner: r.owner,
    status: r.status,
    pageStatus: pageStatus(r.status),
    badge: badge(r.status),
    codes: r.codes,
    // In words for the table, the code kept for the element's title and the filter link.
    findings: r.codes.filter((c) => !c.endsWith('_OK')).map((code) => ({ code, words: findingWords(code) })),
    scannedAt: r.scannedAt,
  };
}

/** The stored scan's "all stale" domains (checks/findings.ts), as a query. */
function staleQuery(includeBlockAll: boolean): ScanQuery {
  const { codes, excludeCodes } = staleSelection({ includeBlockAll });
  return { code: codes, excludeCode: excludeCodes, withReport: false, sort: 'domain' };
}

/** How many domains a query matches (one row read). */
function countOf(ctx: AppContext, query: ScanQuery): number {
  return ctx.services.store.queryScanResults({ ...query, limit: 1 }).total;
}

/**
 * The domains a dry run or bulk repair is for: the ticked ones, or "all stale". The separate
 * "include block-all" box adds the domains whose record blocks all mail to "all stale", and is the
 * consent to replace such records among the ticked ones (plan/confirmation.ts).
 */
function selection(ctx: AppContext, body: unknown): { domains: string[]; allowBlockAll: boolean } {
  const allowBlockAll = field(body, 'include-block-all') === '1';
  const domains =
    field(body, 'all-stale') === '1'
      ? allRows(ctx, staleQuery(allowBlockAll), MAX_BULK).map((r) => r.domain)
      : fields(body, 'domain').map((d) => checkDomainSyntax(d));
  const unique = [...new Set(domains)];
  if (unique.length === 0) throw new HttpError(400, 'Select at least one domain (or “all stale”).', 'BAD_INPUT');
  if (unique.length > MAX_BULK) throw new HttpError(400, `At most ${MAX_BULK} domains per bulk job.`, 'BAD_INPUT');
  return { domains: unique, allowBlockAll };
}

export function adminRoutes(ctx: AppContext): Router {
  const router = Router();
  const { services } = ctx;
  const admin = (res: Response) => requireRole(res, 'admin');

  router.get('/admin', async (req, res) => {
    admin(res);
    const summary = services.store.scanSummary();
    const templates = (await checkZoneTemplates(services.templateContext()).catch(() => [])).filter((t) => t.repaired !== null || t.error);
    const jobs = services.store.listJobs({ limit: 10 });
    const stale = countOf(ctx, staleQuery(false));
    const counts = [
      ...SCAN_STATUSES.map((s) => ({ kind: 'status', name: s, domains: summary.byStatus[s] })),
      ...Object.entries(summary.byCode).map(([code, n]) => ({ kind: 'finding', name: code, domains: n })),
    ];
    if (
      exportTable(
        req,
        res,
        counts,
        [
          { header: 'kind', value: (c) => c.kind },
          { header: 'name', value: (c) => c.name },
          { header: 'domains', value: (c) => c.domains },
        ],
        'overview',
        summary,
      )
    )
      return;
    respond(
      req,
      res,
      'admin/overview',
      {
        title: 'Server overview',
        summary,
        jobs,
        stale,
        templates: templates.map((t) => t.name),
        statuses: SCAN_STATUSES.map((s) => ({ status: s, badge: badge(s), count: summary.byStatus[s] })),
      },
      { summary, jobs, templatesToFix: templates.map((t) => t.name) },
    );
  });

  router.get('/admin/domains', (req: Request, res: Response) => {
    admin(res);
    const filter = tableFilter(req.query);
    const query = scanQuery(filter);
    const format = field(req.query, 'format');
    if (format === 'csv' || format === 'json') {
      const rows = allRows(ctx, query, 200_000).map(tableRow);
      exportTable(
        req,
        res,
        rows,
        [
          { header: 'domain', value: (r) => r.domain },
          { header: 'zone', value: (r) => r.zone },
          { header: 'user', value: (r) => r.user },
          { header: 'reseller', value: (r) => r.owner },
          { header: 'status', value: (r) => r.status },
          { header: 'findings', value: (r) => r.codes.join(' ') },
          { header: 'scanned', value: (r) => r.scannedAt },
        ],
        'domains',
        rows.map(({ badge: _b, pageStatus: _p, findings: _f, ...rest }) => rest),
      );
      return;
    }
    const page = services.store.queryScanResults({ ...query, limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE });
    const summary = services.store.scanSummary();
    const rows = page.rows.map(tableRow);
    respond(
      req,
      res,
      'admin/domains',
      {
        title: 'Domains',
        filter,
        rows,
        total: page.total,
        pages: Math.max(1, Math.ceil(page.total / PAGE_SIZE)),
        summary,
        codes: FINDING_CODES,
        findingWords,
        statuses: SCAN_STATUSES,
        sorts: SORTS,
        staleCount: countOf(ctx, staleQuery(false)),
        blockAllCount: summary.byCode[BLOCK_ALL_CODE] ?? 0,
      },
      { total: page.total, rows: rows.map(({ badge: _b, pageStatus: _p, findings: _f, ...rest }) => rest) },
    );
  });

  router.post('/admin/scan', async (req, res) => {
    const identity = admin(res);
    const job = await startScan({ runner: ctx.runner, source: await services.scanSource() }, actorOf(identity));
    redirectOrJson(req, res, `/jobs/${job.id}`, { jobId: job.id });
  });

  const bulk = (dryRun: boolean) => (req: Request, res: Response) => {
    const identity = admin(res);
    const { domains, allowBlockAll } = selection(ctx, req.body);
    const params = allowBlockAll ? { allowBlockAll: true } : {};
    const job = ctx.runner.startJob('bulk-fix', domains, params, actorOf(identity), dryRun ? { dryRun: true } : {});
    redirectOrJson(req, res, `/jobs/${job.id}`, { jobId: job.id });
  };
  router.post('/admin/dry-run', bulk(true));
  router.post('/admin/bulk-fix', bulk(false));

  router.get('/admin/history', (req, res) => {
    admin(res);
    const user = field(req.query, 'user');
    const domain = field(req.query, 'domain', 253);
    const changes = services.store
      .listChanges({ limit: 1000, ...(user && isValidName(user) ? { user } : {}), ...(domain ? { domain: domain.toLowerCase() } : {}) })
      .map(changeRow);
    if (historyExport(req, res, changes, 'history')) return;
    respond(req, res, 'history', { title: 'History of changes', changes, admin: true }, { changes });
  });

  router.get('/admin/bounces', async (req, res) => {
    admin(res);
    const { config } = services;
    let report: BounceReport | null = null;
    let error: string | null = null;
    try {
      report = await findBounces({
        log: config.paths.eximMainlog,
        relayHost: config.provider.relayHost,
        provider: config.provider.authId,
        since: new Date(services.clock.now().getTime() - BOUNCE_WINDOW_DAYS * 86_400_000),
        maxEvents: 2000,
      });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const rejections = (report?.events ?? []).filter((e) => e.class === 'LOCKDOWN_REJECTED').reverse();
    const domains = (report?.advice ?? []).filter((a) => a.class === 'LOCKDOWN_REJECTED');
    if (
      exportTable(
        req,
        res,
        rejections,
        [
          { header: 'time', value: (e) => e.time },
          { header: 'domain', value: (e) => e.domain ?? '' },
          { header: 'sender', value: (e) => e.sender ?? '' },
          { header: 'account', value: (e) => e.authUser ?? '' },
          { header: 'recipient', value: (e) => e.recipient },
          { header: 'message', value: (e) => e.messageId },
        ],
        'lockdown-rejections',
        { events: rejections, domains },
      )
    )
      return;
    respond(
      req,
      res,
      'admin/bounces',
      {
        title: 'Recent lockdown rejections',
        rejections,
        domains,
        error,
        log: config.paths.eximMainlog,
        days: BOUNCE_WINDOW_DAYS,
        warnings: report?.warnings ?? [],
      },
      { events: rejections, domains, error },
    );
  });

  router.get('/admin/config', (req, res) => {
    admin(res);
    const view = configView(services.config);
    respond(req, res, 'admin/config', { title: 'Configuration', sections: view }, view);
  });

  return router;
}
