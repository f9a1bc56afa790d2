/**
 * The cPanel user's pages (the admin may open the domain pages too): the account's domains at a
 * glance, one domain in detail, the Fix button, the account's history, and the bounce explainer.
 * Routes only parse, check ownership, call a use case and render.
 */
import { Router, type Request, type Response } from 'express';
import { diagnoseDomains } from '../../usecases/inspect';
import { explainBounce } from '../../usecases/explain';
import { ownsChange, visibleDomain } from '../access';
import { field, identityOf, locals, redirectOrJson, requireRole, respond, type AppContext } from '../context';
import { historyExport } from '../exports';
import { actorOf } from '../identity';
import { changeRow, domainPage, domainRow, listNotes, sortRows } from '../presenters/domain';

export function userRoutes(ctx: AppContext): Router {
  const router = Router();
  const { services } = ctx;

  const listDomains = async (req: Request, res: Response) => {
    const identity = identityOf(res);
    if (identity.role === 'admin' && !req.path.startsWith('/api/')) {
      res.redirect(303, locals(res).url('/admin'));
      return;
    }
    const me = requireRole(res, 'user');
    const infos = await services.accounts.domainsOfUser(me.user);
    const rows = sortRows((await diagnoseDomains(services.repairContext(), infos)).map(domainRow));
    const notes = listNotes(rows, services.config.provider.authId, services.config.lockdown.mode);
    respond(req, res, 'user/domains', { title: 'Fix Email Authorization', rows, notes }, { user: me.user, domains: rows, notes });
  };
  router.get('/', listDomains);
  router.get('/api/domains', listDomains);

  const showDomain = async (req: Request, res: Response) => {
    const identity = requireRole(res, 'user', 'admin');
    const info = await visibleDomain(ctx, identity, String(req.params.domain));
    const [diagnosis] = await diagnoseDomains(services.repairContext(), [info]);
    const page = domainPage(diagnosis!, services.config.provider.authId);
    const changes = services.store
      .listChanges({ domain: info.domain, limit: 20 })
      // The account that owns the domain now sees its history, whoever owned it then.
      .filter((c) => identity.role === 'admin' || ownsChange(info, c))
      .map(changeRow);
    respond(
      req,
      res,
      'domain',
      // Tenant mode's cost is said where the record is shown too (a new mailbox waits for the record).
      {
        title: info.domain,
        page,
        changes,
        tenantNote: listNotes([], services.config.provider.authId, services.config.lockdown.mode).tenant,
      },
      {
        domain: info.domain,
        info,
        report: diagnosis!.report ?? null,
        error: diagnosis!.error ?? null,
        authority: diagnosis!.authority ?? null,
        changes,
      },
    );
  };
  router.get('/domains/:domain', showDomain);
  router.get('/api/domains/:domain', showDomain);

  const fix = async (req: Request, res: Response) => {
    const identity = requireRole(res, 'user', 'admin');
    const info = await visibleDomain(ctx, identity, String(req.params.domain));
    // The page's "block all mail" box: the person's yes to replacing such a record (plan/confirmation.ts).
    const params = {
      ...(identity.role === 'user' ? { asUser: identity.user } : {}),
      ...(field(req.body, 'allow-block-all') === '1' ? { allowBlockAll: true } : {}),
    };
    const job = ctx.runner.startJob('repair', [info.domain], params, actorOf(identity));
    redirectOrJson(req, res, `/jobs/${job.id}`, { jobId: job.id });
  };
  router.post('/domains/:domain/fix', fix);
  router.post('/api/domains/:domain/fix', fix);

  const history = async (req: Request, res: Response) => {
    const me = requireRole(res, 'user');
    // Changes to the domains the account owns now, whoever made them (a domain can change accounts).
    const mine = await services.accounts.domainsOfUser(me.user);
    const changes = services.store
      .listChanges({ domain: mine.map((d) => d.domain), limit: 500 })
      .filter((c) => mine.some((d) => ownsChange(d, c)))
      .map(changeRow);
    if (historyExport(req, res, changes, `history-${me.user}`)) return;
    respond(req, res, 'history', { title: 'History of changes', changes, admin: false }, { changes });
  };
  router.get('/history', history);
  router.get('/api/history', history);

  router.post('/explain', async (req, res) => {
    const identity = requireRole(res, 'user', 'admin');
    const text = field(req.body, 'text', 64 * 1024) ?? '';
    const explanation = explainBounce(text, { provider: services.config.provider.authId });
    // Link the domain the bounce names only when the asker may open it.
    let domainLink: string | null = null;
    if (explanation.domain) {
      const domain = explanation.domain;
      const mine =
        identity.role === 'admin'
          ? await services.accounts.findDomain(domain)
          : (await services.accounts.domainsOfUser(identity.user)).find((d) => d.domain === domain);
      if (mine) domainLink = `/domains/${encodeURIComponent(mine.domain)}`;
    }
    respond(req, res, 'explain', { title: 'What this bounce means', explanation, text, domainLink }, { explanation });
  });

  return router;
}
