/**
 * `POST /api/hooks/recheck` — cPanel's hooks (after an account transfer or restore, after a Zone
 * Editor edit) ask the daemon to look at an account again: a scan of its zones, or a repair of its
 * domains when `policy.autoFixAfterTransfer` is on (a repair of a correct record changes nothing).
 */
import { Router } from 'express';
import { HttpError } from '../httpErrors';
import { startScan } from '../../usecases/scan';
import { field, requireRole, type AppContext } from '../context';
import { actorOf, isValidName } from '../identity';

/** The hook script's event names (plugin/hooks/fix-email-auth-hook): only these may repair. */
const REPAIR_EVENTS = new Set(['transfer', 'restore']);

export function hookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/api/hooks/recheck', async (req, res) => {
    const identity = requireRole(res, 'hook', 'admin');
    const user = field(req.body, 'user');
    const event = field(req.body, 'event', 40) ?? 'unknown';
    if (!isValidName(user)) throw new HttpError(400, 'A cPanel user name is needed (“user”).', 'BAD_INPUT');
    const { services } = ctx;
    // An account was created, restored or transferred: the cached domain map is out of date.
    services.cpanel.invalidateDomainMap();
    if (services.config.policy.autoFixAfterTransfer && REPAIR_EVENTS.has(event)) {
      const domains = (await services.accounts.domainsOfUser(user)).map((d) => d.domain);
      const job = ctx.runner.startJob('bulk-fix', domains, { event, user }, actorOf(identity));
      res.status(202).json({ jobId: job.id, kind: job.kind });
      return;
    }
    // A Zone Editor edit names its zone: re-check just that one (when it is the user's).
    const zone = field(req.body, 'zone', 253)?.toLowerCase();
    const job = await startScan({ runner: ctx.runner, source: await services.scanSource() }, actorOf(identity), {
      users: [user],
      ...(zone ? { zones: [zone] } : {}),
    });
    res.status(202).json({ jobId: job.id, kind: job.kind });
  });
  return router;
}
