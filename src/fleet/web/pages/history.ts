/** `GET /history`: every server's changes, newest first; `GET /rejections`: what bounced, per server and domain. */
import { Router } from 'express';
import { listServers, queryChanges, rejectionSummary, type FleetChange, type RejectionSummary } from '../../store';
import { field, idOf, wantsJson, type FleetContext } from '../context';
import { exportFormat, once, streamExport } from '../exports';

const PAGE_SIZE = 100;
const CLASSES = ['LOCKDOWN_REJECTED', 'SPF_REJECTED', 'RECIPIENT_INVALID', 'RATE_LIMITED', 'DEFERRED', 'OTHER'];
const CHANGE_STATUSES = ['planned', 'backed_up', 'applying', 'applied', 'verified', 'failed', 'rolled_back'];

const CHANGE_COLUMNS = [
  { header: 'server', value: (c: FleetChange) => c.server },
  { header: 'change_id', value: (c: FleetChange) => c.changeId },
  { header: 'time', value: (c: FleetChange) => c.createdAt },
  { header: 'domain', value: (c: FleetChange) => c.domain },
  { header: 'account', value: (c: FleetChange) => c.user },
  { header: 'kind', value: (c: FleetChange) => c.kind },
  { header: 'status', value: (c: FleetChange) => c.status },
  { header: 'by', value: (c: FleetChange) => c.actor },
  { header: 'before', value: (c: FleetChange) => c.before.join(' | ') },
  { header: 'after', value: (c: FleetChange) => c.after.join(' | ') },
  { header: 'error', value: (c: FleetChange) => c.error ?? '' },
];

const REJECTION_COLUMNS = [
  { header: 'server', value: (r: RejectionSummary) => r.server },
  { header: 'domain', value: (r: RejectionSummary) => r.domain ?? '' },
  { header: 'class', value: (r: RejectionSummary) => r.class },
  { header: 'count', value: (r: RejectionSummary) => r.count },
  { header: 'last_seen', value: (r: RejectionSummary) => r.lastSeen },
  { header: 'status_now', value: (r: RejectionSummary) => r.status ?? '' },
];

export function historyRoutes(ctx: FleetContext): Router {
  const router = Router();

  router.get('/history', async (req, res) => {
    const serverId = idOf(field(req.query, 'server'));
    const domain = field(req.query, 'domain', 253)?.toLowerCase();
    const statusText = field(req.query, 'status');
    const status = statusText && CHANGE_STATUSES.includes(statusText) ? statusText : undefined;
    const page = Math.max(1, Math.min(10_000, Number(field(req.query, 'page') ?? 1) || 1));
    const filter = { ...(serverId ? { serverId } : {}), ...(domain ? { domain } : {}), ...(status ? { status } : {}) };
    const format = exportFormat(req);
    const result = await queryChanges(ctx.pool, {
      ...filter,
      limit: format ? 10_000 : PAGE_SIZE,
      offset: format ? 0 : (page - 1) * PAGE_SIZE,
    });
    if (format) return streamExport(res, format, 'fleet-history', CHANGE_COLUMNS, once(result.rows));
    if (wantsJson(req)) return res.json(result);
    const servers = await listServers(ctx.pool, ctx.config.staleAfterSeconds);
    res.render('fleet/history', {
      title: 'History across servers',
      ...result,
      filter: { server: serverId, domain, status, page },
      pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      servers,
      statuses: CHANGE_STATUSES,
    });
  });

  router.get('/rejections', async (req, res) => {
    const serverId = idOf(field(req.query, 'server'));
    const cls = field(req.query, 'class');
    const days = Math.max(1, Math.min(90, Number(field(req.query, 'days') ?? 7) || 7));
    const rows = await rejectionSummary(ctx.pool, {
      since: new Date(Date.now() - days * 86_400_000),
      ...(serverId ? { serverId } : {}),
      ...(cls && CLASSES.includes(cls) ? { class: cls } : {}),
    });
    const format = exportFormat(req);
    if (format) return streamExport(res, format, 'fleet-rejections', REJECTION_COLUMNS, once(rows));
    if (wantsJson(req)) return res.json({ days, rejections: rows });
    const servers = await listServers(ctx.pool, ctx.config.staleAfterSeconds);
    res.render('fleet/rejections', {
      title: 'Rejections across servers',
      rows,
      days,
      filter: { server: serverId, class: cls },
      servers,
      classes: CLASSES,
    });
  });
  return router;
}
