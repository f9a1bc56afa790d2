/**
 * `POST /api/hooks/recheck` — cPanel's hooks (after an account transfer or restore, after a Zone
 * Editor edit) ask the daemon to look at an account again: a scan of its zones, always; and after a
 * restore or transfer, the self-healing loop marks the account as recently migrated and checks its
 * domains under the `policy.autofix` policy (repairing a stale record, or telling the owner).
 *
 * The hook answers cPanel at once: the scan is a job and the self-healing check runs in the
 * background. `Transfers::Session` post names no account (its data is the session's row), so for it
 * the accounts restored since the session started are checked again (a live transfer switches DNS
 * at its end).
 *
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

/** The hook script's event names (plugin/hooks/fix-email-auth-hook) that mean "an account arrived". */
const MIGRATION_EVENTS = new Set(['transfer', 'restore']);
/** A session older than this is not a live transfer we can help with any more. */
const MAX_SESSION_MS = 7 * 86_400_000;
/** Events after which tenant mode brings the account's records in step (usecases/tenantSync.ts). */
const TENANT_EVENTS = new Set(['create', 'mailbox-added', 'mailbox-removed']);

export function hookRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/api/hooks/recheck', async (req, res) => {
    const identity = requireRole(res, 'hook', 'admin');
    const user = field(req.body, 'user');
    const event = field(req.body, 'event', 40) ?? 'unknown';
    const { services } = ctx;
    // An account was created, restored or transferred: the cached domain map is out of date.
    services.cpanel.invalidateDomainMap();
    const healing = ctx.selfHeal?.healing;
    const log = (err: unknown) => ctx.log({ level: 'error', msg: 'self-heal after hook', event, error: (err as Error).message });

    if (user === undefined && event === 'transfer') {
      const sinceSeconds = Number(field(req.body, 'since', 20));
      const now = services.clock.now().getTime();
      const since = new Date(
        Number.isFinite(sinceSeconds) && sinceSeconds > 0 ? Math.max(sinceSeconds * 1000, now - MAX_SESSION_MS) : now - 86_400_000,
      );
      const users = services.store.selfHeal.migratedSince(since);
      res.status(202).json({ users, selfHeal: healing !== undefined });
      if (healing)
        void (async () => {
          for (const u of users) await healing.accountMigrated(u, event).catch(log);
        })();
      return;
    }
    if (!isValidName(user)) throw new HttpError(400, 'A cPanel user name is needed (“user”).', 'BAD_INPUT');
    const migrated = MIGRATION_EVENTS.has(event);
    // Remembered before answering, so a daemon stopped right after still knows the account arrived.
    if (migrated) services.store.selfHeal.recordMigration(user, event);
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
    res.status(202).json({ jobId: job.id, kind: job.kind, selfHeal: migrated && healing !== undefined });
    // The hook waits for this answer (at most 300 ms): the checks, with their WHM calls, start after it.
    if (migrated && healing) void healing.accountMigrated(user, event).catch(log);
  });
  return router;
}
