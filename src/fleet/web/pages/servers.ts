/**
 * `GET /`: the servers with their last report's age and counts (a server silent too long is stale,
 * never healthy); adding a server (a one-time enrollment token, shown once, with the command to run
 * on it); revoking one.
 */
import { Router } from 'express';
import { FleetError } from '../../errors';
import { newEnrollmentToken } from '../../protocol';
import { createEnrollmentToken, listServers, revokeServer, SERVER_NAME, type ServerSummary } from '../../store';
import { field, idOf, locals, wantsJson, type FleetContext } from '../context';
import { exportFormat, once, streamExport } from '../exports';

const SERVER_COLUMNS = [
  { header: 'id', value: (s: ServerSummary) => s.id },
  { header: 'name', value: (s: ServerSummary) => s.name },
  { header: 'hostname', value: (s: ServerSummary) => s.hostname },
  { header: 'last_seen', value: (s: ServerSummary) => s.lastSeenAt },
  { header: 'stale', value: (s: ServerSummary) => (s.revokedAt ? 'revoked' : s.stale ? 'stale' : 'reporting') },
  { header: 'domains', value: (s: ServerSummary) => s.domains },
  { header: 'error', value: (s: ServerSummary) => s.byStatus.error },
  { header: 'warning', value: (s: ServerSummary) => s.byStatus.warning },
  { header: 'ok', value: (s: ServerSummary) => s.byStatus.ok + s.byStatus.info },
  { header: 'unknown', value: (s: ServerSummary) => s.byStatus.unknown },
  { header: 'open_requests', value: (s: ServerSummary) => s.openRequests },
];

export function serverRoutes(ctx: FleetContext): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const servers = await listServers(ctx.pool, ctx.config.staleAfterSeconds);
    const format = exportFormat(req);
    if (format) return streamExport(res, format, 'fleet-servers', SERVER_COLUMNS, once(servers));
    if (wantsJson(req)) return res.json({ servers });
    const live = servers.filter((s) => !s.revokedAt);
    res.render('fleet/servers', {
      title: 'Servers',
      servers,
      totals: {
        servers: live.length,
        stale: live.filter((s) => s.stale).length,
        domains: live.reduce((n, s) => n + s.domains, 0),
        errors: live.reduce((n, s) => n + s.byStatus.error, 0),
      },
    });
  });

  router.post('/servers/tokens', async (req, res) => {
    const name = field(req.body, 'name', 100) ?? '';
    if (!SERVER_NAME.test(name))
      throw new FleetError('BAD_INPUT', 'A server name is letters, digits, ".", "_" and "-", starting with a letter or digit.');
    const token = newEnrollmentToken();
    const admin = locals(res).admin!;
    const created = await createEnrollmentToken(ctx.pool, {
      token,
      serverName: name,
      createdBy: admin.username,
      expiresInHours: ctx.config.enrollmentTokenHours,
    });
    const url = ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'controller'}`;
    const command = `fix-email-auth fleet join ${url} ${token}`;
    if (wantsJson(req)) return res.status(201).json({ name, token, expiresAt: created.expiresAt, command });
    res.status(201).render('fleet/token', { title: `Add ${name}`, name, token, expiresAt: created.expiresAt, command });
  });

  router.post('/servers/:id/revoke', async (req, res) => {
    const id = idOf(req.params.id);
    if (!id || !(await revokeServer(ctx.pool, id, locals(res).admin!.username)))
      throw new FleetError('NOT_FOUND', 'There is no such enrolled server.');
    if (wantsJson(req)) return res.json({ revoked: id });
    res.redirect(303, '/');
  });
  return router;
}
