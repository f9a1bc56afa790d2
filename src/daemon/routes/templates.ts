/**
 * The WHM admin's zone templates (cPanel makes every new zone from them): what each would give a new
 * account, the fix of a stale `_mailchannels` line, and the history of those changes with Undo.
 * A template is a few hundred bytes, so the check runs on every visit and the fix answers at once.
 */
import { Router, type Request, type Response } from 'express';
import { badge, pageStatus } from '../presenters/status';
import { findingWords } from '../presenters/findingWords';
import { checkZoneTemplates, repairZoneTemplate, rollbackZoneTemplate, type TemplateReport } from '../../usecases/templates';
import { field, idParam, requireRole, respond, wantsJson, locals, type AppContext } from '../context';
import { actorOf } from '../identity';
import { HttpError } from '../httpErrors';

export function templateView(r: TemplateReport) {
  return {
    name: r.name,
    status: r.status,
    pageStatus: pageStatus(r.status),
    badge: badge(r.status),
    findings: r.findings.map((f) => ({ code: f.code, words: findingWords(f.code), message: f.message })),
    fixable: r.repaired !== null,
    before: r.before,
    after: r.after,
    error: r.error ?? null,
  };
}

export function templateRoutes(ctx: AppContext): Router {
  const router = Router();
  const { services } = ctx;

  router.get('/admin/templates', async (req: Request, res: Response) => {
    requireRole(res, 'admin');
    const templates = (await checkZoneTemplates(services.templateContext())).map(templateView);
    const changes = services.store.listTemplateChanges({ limit: 100 });
    const done = field(req.query, 'done');
    respond(
      req,
      res,
      'admin/templates',
      { title: 'Zone templates', templates, changes, dir: services.config.paths.zoneTemplates, done: done ?? null },
      { dir: services.config.paths.zoneTemplates, templates, changes },
    );
  });

  router.post('/admin/templates/:name/fix', async (req, res) => {
    const identity = requireRole(res, 'admin');
    const result = await repairZoneTemplate(services.templateContext(), String(req.params.name), actorOf(identity));
    if (wantsJson(req)) {
      res
        .status(result.status === 'failed' ? 409 : 200)
        .json({ status: result.status, message: result.message, change: result.change ?? null });
      return;
    }
    if (result.status === 'failed') throw new HttpError(409, result.message, 'CONFLICT');
    res.redirect(303, locals(res).url(`/admin/templates?done=${encodeURIComponent(result.message)}`));
  });

  router.post('/admin/template-changes/:id/undo', async (req, res) => {
    const identity = requireRole(res, 'admin');
    const force = field(req.body, 'force') === '1';
    const result = await rollbackZoneTemplate(services.templateContext(), idParam(req.params.id), actorOf(identity), { force });
    if (wantsJson(req)) {
      res.status(result.status === 'failed' ? 409 : 200).json(result);
      return;
    }
    if (result.status === 'failed') throw new HttpError(409, result.message, 'CONFLICT');
    res.redirect(303, locals(res).url(`/admin/templates?done=${encodeURIComponent(result.message)}`));
  });

  return router;
}
