/** The express application: the pipeline of middleware.ts, then the route modules. */
import express, { type Express } from 'express';
import type { AppContext } from './context';
import { locals } from './context';
import { requestLogger } from './logging';
import { csrfCheck, errorHandler, loopbackHostOnly, notFound, requireIdentity, resolveIdentity, securityHeaders } from './middleware';
import { fairShareRequests, jobAdmissionFirst, rejectionLog } from './fairShare';
import { identityFromHeaders } from './identity';
import { requireUserFeature } from './featureGate';
import { publicDir, viewsDir } from './paths';
import { adminRoutes } from './routes/admin';
import { demoRoutes } from './routes/demo';
import { hookRoutes } from './routes/hooks';
import { jobRoutes } from './routes/jobs';
import { selfHealLocals, selfHealRoutes } from './routes/selfHeal';
import { templateRoutes } from './routes/templates';
import { testEmailRoutes } from './routes/testEmail';
import { userRoutes } from './routes/user';
import { viewHelpers } from './viewHelpers';

export function buildApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', viewsDir());
  app.set('view engine', 'ejs');
  app.set('view cache', true);
  app.set('query parser', 'simple');
  Object.assign(app.locals, viewHelpers);

  app.use(securityHeaders);
  // On the socket the bridges say who asks: a flood is turned away first, before anything else runs.
  const fairShare = fairShareRequests(
    ctx.fairShare,
    ctx.mode === 'socket' ? (req) => identityFromHeaders(req.headers) : undefined,
    rejectionLog(ctx.log),
  );
  const admitJobs = ctx.jobAdmission
    ? jobAdmissionFirst(ctx.jobAdmission, ctx.fairShare, ctx.mode === 'socket' ? (req) => identityFromHeaders(req.headers) : undefined)
    : null;
  if (ctx.mode === 'socket') app.use(fairShare);
  if (ctx.mode === 'socket' && admitJobs) app.use(admitJobs);
  if (ctx.mode === 'tcp') app.use(loopbackHostOnly);
  app.use(requestLogger(ctx.log));
  app.use(
    '/static',
    express.static(publicDir(), {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=300'),
    }),
  );
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: ctx.version });
  });

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 5000 }));
  app.use(express.json({ limit: '200kb' }));
  app.use(resolveIdentity(ctx));
  if (ctx.mode === 'tcp') {
    app.use(csrfCheck(ctx));
    // Opening the demo's address lands on the picker until someone is picked.
    app.get('/', (_req, res, next) => (locals(res).identity ? next() : res.redirect(303, locals(res).url('/demo'))));
    app.use(demoRoutes(ctx, ctx.sessions!));
  }
  app.use(requireIdentity);
  if (ctx.mode === 'tcp') app.use(fairShare);
  if (ctx.mode === 'tcp' && admitJobs) app.use(admitJobs);
  app.use(requireUserFeature(ctx));
  app.use(selfHealLocals(ctx));
  app.use(userRoutes(ctx));
  app.use(testEmailRoutes(ctx));
  app.use(jobRoutes(ctx));
  app.use(selfHealRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(templateRoutes(ctx));
  app.use(hookRoutes(ctx));
  app.use(notFound);
  app.use(errorHandler(ctx));
  return app;
}
