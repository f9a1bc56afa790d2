/**
 * `GET /domains`: every domain across servers, filtered by server, reseller, account, status, finding
 * and name, sorted, one page at a time; the whole filtered list as CSV or JSON; the selection form
 * that starts a repair across servers (pages/repairs.ts).
 */
import { Router } from 'express';
import { staleFilter } from '../../app/stale';
import { queryDomains, serverChoices, walkDomains, type FleetDomain } from '../../store';
import { wantsJson, type FleetContext } from '../context';
import { exportFormat, streamExport } from '../exports';
import { FINDING_CODES, filterOnly, filterQuery, parseFilter, SORTS, STATUSES } from '../filters';

export const PAGE_SIZE = 100;

const DOMAIN_COLUMNS = [
  { header: 'server', value: (d: FleetDomain) => d.server },
  { header: 'domain', value: (d: FleetDomain) => d.domain },
  { header: 'zone', value: (d: FleetDomain) => d.zone },
  { header: 'account', value: (d: FleetDomain) => d.user },
  { header: 'reseller', value: (d: FleetDomain) => d.owner },
  { header: 'status', value: (d: FleetDomain) => d.status },
  { header: 'codes', value: (d: FleetDomain) => d.codes.join(' ') },
  { header: 'scanned_at', value: (d: FleetDomain) => d.scannedAt },
  { header: 'server_stale', value: (d: FleetDomain) => (d.serverStale ? 'yes' : 'no') },
];

export function domainRoutes(ctx: FleetContext): Router {
  const router = Router();
  router.get('/domains', async (req, res) => {
    const filter = parseFilter(req.query);
    const format = exportFormat(req);
    if (format && !(format === 'json' && req.query.page !== undefined))
      return streamExport(
        res,
        format,
        'fleet-domains',
        DOMAIN_COLUMNS,
        walkDomains(ctx.pool, filterOnly(filter), ctx.config.staleAfterSeconds),
      );
    const page = await queryDomains(
      ctx.pool,
      { ...filter, limit: PAGE_SIZE, offset: (filter.page - 1) * PAGE_SIZE },
      ctx.config.staleAfterSeconds,
    );
    if (wantsJson(req)) return res.json({ total: page.total, page: filter.page, pageSize: PAGE_SIZE, domains: page.rows });
    const [servers, stale] = await Promise.all([
      serverChoices(ctx.pool),
      queryDomains(ctx.pool, { ...filterOnly(filter), ...staleFilter(), limit: 1 }, ctx.config.staleAfterSeconds),
    ]);
    res.render('fleet/domains', {
      title: 'Domains across servers',
      filter,
      query: filterQuery(filter),
      rows: page.rows,
      total: page.total,
      pages: Math.max(1, Math.ceil(page.total / PAGE_SIZE)),
      staleCount: stale.total,
      servers,
      statuses: STATUSES,
      codes: FINDING_CODES,
      sorts: SORTS,
    });
  });
  return router;
}
