/** Job pages and the poll endpoint, cancel, and Undo (a rollback job) — for users and the admin. */
import { Router, type Request, type Response } from 'express';
import { visibleChange, visibleJob } from '../access';
import { field, idParam, redirectOrJson, requireRole, respond, type AppContext } from '../context';
import { actorOf } from '../identity';
import { exportTable } from '../exports';
import { jobJson, jobView } from '../presenters/job';

export function jobRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx.services;

  const showJob = (req: Request, res: Response) => {
    const identity = requireRole(res, 'user', 'admin');
    const job = visibleJob(ctx, identity, idParam(req.params.id));
    const items = store.listJobItems(job.id);
    if (
      exportTable(
        req,
        res,
        items,
        [
          { header: 'seq', value: (i) => i.seq },
          { header: 'key', value: (i) => i.key },
          { header: 'status', value: (i) => i.status },
          { header: 'result', value: (i) => (i.result as { status?: unknown } | undefined)?.status ?? '' },
          {
            header: 'message',
            value: (i) =>
              (i.result as { message?: unknown; error?: { message?: unknown } } | undefined)?.message ??
              (i.result as { error?: { message?: unknown } } | undefined)?.error?.message ??
              '',
          },
          { header: 'change', value: (i) => i.changeId ?? '' },
          { header: 'finished', value: (i) => i.finishedAt ?? '' },
        ],
        `job-${job.id}`,
        { job, items },
      )
    )
      return;
    const view = jobView(job, items, ctx.runner, (id) => store.getChange(id));
    respond(req, res, 'job', { title: view.title, view, refreshSeconds: view.final ? null : 2 }, jobJson(view));
  };
  router.get('/jobs/:id', showJob);
  router.get('/api/jobs/:id', showJob);

  router.post('/jobs/:id/cancel', (req, res) => {
    const identity = requireRole(res, 'user', 'admin');
    const job = visibleJob(ctx, identity, idParam(req.params.id));
    ctx.runner.cancel(job.id, actorOf(identity));
    redirectOrJson(req, res, `/jobs/${job.id}`, { jobId: job.id });
  });

  const undo = async (req: Request, res: Response) => {
    const identity = requireRole(res, 'user', 'admin');
    const change = await visibleChange(ctx, identity, idParam(req.params.id));
    // Only the admin may force an undo over a record someone edited since (rollback.ts).
    const force = identity.role === 'admin' && field(req.body, 'force') === '1';
    const params = {
      changeId: change.id,
      ...(identity.role === 'user' ? { asUser: identity.user } : {}),
      ...(force ? { force: true } : {}),
    };
    const job = ctx.runner.startJob('rollback', [change.domain], params, actorOf(identity));
    redirectOrJson(req, res, `/jobs/${job.id}`, { jobId: job.id });
  };
  router.post('/changes/:id/undo', undo);
  router.post('/api/changes/:id/rollback', undo);

  return router;
}
