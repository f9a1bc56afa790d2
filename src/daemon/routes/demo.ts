/**
 * The demo picker (TCP mode only): choose a cPanel user or the WHM admin. Stands in for the bridges
 * of production, so it is only ever mounted on loopback, with the demo banner on every page.
 * Login is a POST with the CSRF token of the anonymous session, and always issues a new session id.
 */
import { Router } from 'express';
import { HttpError } from '../httpErrors';
import { field, locals, type AppContext } from '../context';
import { isValidName } from '../identity';
import type { SessionKeeper } from '../session';
import { setSession } from '../sessionCookie';

export function demoRoutes(ctx: AppContext, sessions: SessionKeeper): Router {
  const router = Router();

  router.get('/demo', async (_req, res) => {
    const accounts = (await ctx.services.cpanel.listAccounts({ want: ['domain', 'owner', 'suspended'] })).sort((a, b) =>
      a.user.localeCompare(b.user),
    );
    res.render('picker', { title: 'Choose who you are', accounts });
  });

  router.post('/demo/login', async (req, res) => {
    const role = field(req.body, 'role');
    if (role === 'admin') {
      setSession(res, sessions, { role: 'admin', user: 'root' });
      res.redirect(303, locals(res).url('/admin'));
      return;
    }
    const user = field(req.body, 'user');
    if (!isValidName(user)) throw new HttpError(400, 'Pick a cPanel user from the list.', 'BAD_INPUT');
    const known = await ctx.services.cpanel.listAccounts({ searchType: 'user', search: user, exact: true });
    if (!known.some((a) => a.user === user)) throw new HttpError(400, `There is no cPanel account ${user} on this server.`, 'BAD_INPUT');
    setSession(res, sessions, { role: 'user', user });
    res.redirect(303, locals(res).url('/'));
  });

  router.post('/demo/logout', (_req, res) => {
    setSession(res, sessions);
    res.redirect(303, locals(res).url('/demo'));
  });

  return router;
}
