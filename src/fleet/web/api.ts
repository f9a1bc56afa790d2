/**
 * The servers' side of the controller: `POST /api/v1/enroll`, `/api/v1/push`, `/api/v1/pull`. The
 * body is read as raw bytes, because the signature covers exactly those bytes; authentication,
 * parsing and storing are app/serverApi.ts's.
 */
import express, { Router, type Request, type Response } from 'express';
import { enroll, pull, push, type ServerApiDeps } from '../app/serverApi';
import { MAX_PUSH_BYTES } from '../protocol';
import type { FleetContext } from './context';

export function serverApiRoutes(ctx: FleetContext): Router {
  const router = Router();
  const deps: ServerApiDeps = { pool: ctx.pool, pollSeconds: ctx.config.pollSeconds };
  const raw = express.raw({ type: () => true, limit: MAX_PUSH_BYTES });
  const body = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
  const auth = (req: Request) => req.get('authorization');
  const answer = (fn: (req: Request) => Promise<unknown>) => async (req: Request, res: Response) => {
    res.json(await fn(req));
  };

  router.post(
    '/api/v1/enroll',
    raw,
    answer((req) => enroll(deps, body(req))),
  );
  router.post(
    '/api/v1/push',
    raw,
    answer((req) => push(deps, auth(req), body(req))),
  );
  router.post(
    '/api/v1/pull',
    raw,
    answer((req) => pull(deps, auth(req), body(req))),
  );
  return router;
}
