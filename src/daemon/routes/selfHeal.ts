/**
 * The self-healing pages: the account owner's banner (their open notices, on every page of theirs),
 * dismissing a notice and turning the notice mails off or on for the account; the admin's page of
 * what the follower saw and the loop did (JSON too), sending the digest now, and the per-account
 * mail switch. Routes only parse, check the role and ownership, call the store or the loop, render.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { LAST_DIGEST_KEY, type Digest } from '../../usecases/autofix/digest';
import { HttpError } from '../httpErrors';
import { field, idParam, identityOf, locals, redirectOrJson, requireRole, respond, wantsJson, type AppContext } from '../context';
import { isValidName } from '../identity';

/** The banner's data, set for a cPanel user's pages (views/partials/selfheal-banner.ejs). */
export function selfHealLocals(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const identity = locals(res).identity;
    if (identity?.role === 'user' && req.method === 'GET' && !wantsJson(req)) {
      res.locals.selfHealNotices = ctx.services.store.notices.openNotices(identity.user, 5);
      res.locals.selfHealOptedOut = ctx.services.store.notices.isOptedOut(identity.user);
      // The switch for notice mails is always on the account's front page, beside any notice elsewhere.
      res.locals.selfHealMailSwitch = req.path === '/';
    }
    next();
  };
}

const yes = (value: string | undefined) => value === '1' || value === 'true' || value === 'on';

export function selfHealRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx.services;

  const notices = (req: Request, res: Response) => {
    const me = requireRole(res, 'user');
    res.json({ notices: store.notices.openNotices(me.user, 50), optedOut: store.notices.isOptedOut(me.user) });
  };
  router.get('/api/notices', notices);

  const dismiss = (req: Request, res: Response) => {
    const me = requireRole(res, 'user');
    // Someone else's notice, or one that does not exist: the same 403 as every other "not yours".
    if (!store.notices.dismissNotice(idParam(req.params.id), me.user)) throw new HttpError(403, 'This notice is not yours.', 'NOT_OWNED');
    redirectOrJson(req, res, '/', { dismissed: true });
  };
  router.post('/notices/:id/dismiss', dismiss);
  router.post('/api/notices/:id/dismiss', dismiss);

  const mails = (req: Request, res: Response) => {
    const me = requireRole(res, 'user');
    const off = yes(field(req.body, 'off', 5));
    store.notices.setOptOut(me.user, off, `user:${me.user}`);
    redirectOrJson(req, res, '/', { optedOut: off });
  };
  router.post('/notices/mails', mails);
  router.post('/api/notices/mails', mails);

  router.get('/admin/selfheal', (req, res) => {
    requireRole(res, 'admin');
    const { config } = ctx.services;
    const last = store.selfHeal.getState(LAST_DIGEST_KEY);
    const data = {
      policy: config.policy.autofix,
      migrationWindowHours: config.policy.migrationWindowHours,
      follow: ctx.selfHeal?.follower?.status() ?? null,
      queue: ctx.selfHeal ? { ...ctx.selfHeal.healing.queue.stats } : null,
      tally: store.selfHeal.tally(),
      domains: store.selfHeal.rejectedDomains({ limit: 200 }),
      autofixes: store.selfHeal.recentAutofixes(100),
      notices: store.notices.recentNotices(100),
      optedOut: store.notices.optedOutUsers(),
      lastDigest: last ? (JSON.parse(last) as Digest) : null,
      notify: { owners: config.notify.owners, admin: config.notify.admin, adminTo: config.notify.adminTo },
      digestMinutes: config.notify.digestMinutes,
    };
    respond(req, res, 'admin/selfheal', { title: 'Self-healing', ...data }, data);
  });

  router.post('/admin/selfheal/digest', async (req, res) => {
    requireRole(res, 'admin');
    if (!ctx.selfHeal) throw new HttpError(409, 'Self-healing is not running in this daemon.', 'CONFLICT');
    const digest = await ctx.selfHeal.healing.digest();
    redirectOrJson(req, res, '/admin/selfheal', { digest });
  });

  router.post('/admin/selfheal/mails', (req, res) => {
    const admin = identityOf(res);
    requireRole(res, 'admin');
    const user = field(req.body, 'user');
    if (!isValidName(user)) throw new HttpError(400, 'A cPanel user name is needed (“user”).', 'BAD_INPUT');
    const off = yes(field(req.body, 'off', 5));
    store.notices.setOptOut(user, off, `admin:${admin.user}`);
    redirectOrJson(req, res, '/admin/selfheal', { user, optedOut: off });
  });

  return router;
}
