/** `GET/POST /login`, `POST /logout`. */
import { Router } from 'express';
import { FleetError } from '../../errors';
import { field, locals, type FleetContext } from '../context';
import { issueLoginToken, passwordSignIn, requireAdmin, signOut } from '../session';

/** Only a path of this controller may follow a sign-in (no open redirect). */
function nextPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) ? value : '/';
}

export function authRoutes(ctx: FleetContext): Router {
  const router = Router();
  router.get('/login', (req, res) => {
    if (locals(res).admin) return res.redirect(303, nextPath(field(req.query, 'next', 500)));
    const token = issueLoginToken(ctx, req, res);
    res.render('fleet/login', { title: 'Sign in', loginToken: token, next: nextPath(field(req.query, 'next', 500)), error: null });
  });
  router.post('/login', async (req, res) => {
    const username = field(req.body, 'username', 100) ?? '';
    const password =
      typeof (req.body as Record<string, unknown>)?.password === 'string' ? ((req.body as Record<string, string>).password ?? '') : '';
    const next = nextPath(field(req.body, 'next', 500));
    try {
      await passwordSignIn(ctx, req, res, username, password);
    } catch (err) {
      if (!(err instanceof FleetError)) throw err;
      res.status(err.status);
      const token = issueLoginToken(ctx, req, res);
      return res.render('fleet/login', { title: 'Sign in', loginToken: token, next, error: err.message, username });
    }
    res.redirect(303, next);
  });
  router.post('/logout', requireAdmin, async (req, res) => {
    await signOut(ctx, req, res);
    res.redirect(303, '/login');
  });
  return router;
}
