/**
 * The controller's express application: the servers' signed API, then the admin pages behind their
 * own sign-in. Same look as the WHM pages (views/fleet/, public/), same strict Content-Security-Policy
 * (no inline script at all), every value from servers escaped by the templates.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { publicDir, viewsDir } from '../../daemon/paths';
import { isFleetError } from '../errors';
import { locals, wantsJson, type FleetContext } from './context';
import { serverApiRoutes } from './api';
import { authRoutes } from './pages/auth';
import { domainRoutes } from './pages/domains';
import { historyRoutes } from './pages/history';
import { repairRoutes } from './pages/repairs';
import { serverRoutes } from './pages/servers';
import { viewHelpers } from './present';
import { loadSession, requireAdmin } from './session';

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

export function buildFleetApp(ctx: FleetContext): Express {
  const app = express();
  app.disable('x-powered-by');
  if (ctx.config.publicUrl || ctx.config.tls) app.set('trust proxy', 'loopback');
  app.set('views', viewsDir());
  app.set('view engine', 'ejs');
  app.set('view cache', true);
  app.set('query parser', 'simple');
  Object.assign(app.locals, viewHelpers);

  app.use(securityHeaders);
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: ctx.version });
  });
  app.use(serverApiRoutes(ctx));
  app.use(
    '/static',
    express.static(publicDir(), {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=300'),
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 20_000 }));
  app.use(loadSession(ctx));
  app.use(authRoutes(ctx));
  app.use(requireAdmin);
  app.use(serverRoutes(ctx));
  app.use(domainRoutes(ctx));
  app.use(repairRoutes(ctx));
  app.use(historyRoutes(ctx));
  app.use((_req, _res, next) => next(Object.assign(new Error('There is no such page.'), { status: 404, code: 'NOT_FOUND' })));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = isFleetError(err) ? err.status : ((err as { status?: number }).status ?? 500);
    const code = isFleetError(err) ? err.code : ((err as { code?: string }).code ?? 'INTERNAL');
    const message = status < 500 && err instanceof Error ? err.message : 'The controller could not do this; the error is in its log.';
    if (status >= 500)
      ctx.log({
        level: 'error',
        msg: 'request failed',
        path: req.path.slice(0, 200),
        error: err instanceof Error ? err.stack : String(err),
      });
    if (res.headersSent) return void res.end();
    res.status(status);
    if (wantsJson(req) || (req.method !== 'GET' && !locals(res).admin))
      return void res.json({ error: { code: typeof code === 'string' ? code : 'HTTP', message } });
    res.render('fleet/error', { title: status === 404 ? 'Not found' : 'Something is wrong', message, status });
  });
  return app;
}
