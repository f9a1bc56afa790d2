/**
 * `POST /api/hooks/recheck` — cPanel's hooks (after an account transfer or restore, after a Zone
 * Editor edit) ask the daemon to look at an account again: a scan of its zones, or a repair of its
 * domains when `policy.autoFixAfterTransfer` is on (a repair of a correct record changes nothing).
 * In tenant mode (`lockdown.mode`), an account created or a mailbox added or removed brings the
 * records that only need to follow the account in step (usecases/tenantSync.ts).
 */
import { Router } from 'express';
import { HttpError } from '../httpErrors';
import type { InspectContext } from '../../usecases/inspect';
import { startScan } from '../../usecases/scan';
import { domainsOutOfStep } from '../../usecases/tenantSync';
import { field, requireRole, type AppContext } from '../context';
import { actorOf, isValidName } from '../identity';

/** The hook script's event names (plugin/hooks/fix-email-auth-hook): only these may repair. */
const REPAIR_EVENTS = new Set(['transfer', 'restore']);
/** Events after which tenant mode brings the account's records in step (usecases/tenantSync.ts). */
const TENANT_EVENTS = new Set(['create', 'mailbox-added', 'mailbox-removed']);

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
    // Tenant mode: a new account or mailbox changes who may send; bring those records in step. The
    // hook waits a few hundred milliseconds at most, so the answer comes first and the work after.
    if (services.config.lockdown.mode === 'tenant' && TENANT_EVENTS.has(event)) {
      const domain = field(req.body, 'domain', 253)?.toLowerCase();
      const inspect: InspectContext = { ...services.repairContext(), accounts: services.accounts };
      res.status(202).json({ kind: 'tenant-sync', user });
      domainsOutOfStep(inspect, user, domain).then(
        (domains) => {
          if (domains.length > 0) ctx.runner.startJob('bulk-fix', domains, { event, user }, actorOf(identity));
        },
        (err: unknown) => ctx.log({ level: 'warn', msg: 'tenant sync after a hook failed', user, event, error: String(err) }),
      );
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
