/**
 * The `fix_email_auth` feature, checked again by the daemon for every cPanel user's request. The
 * UAPI module enforces it (`_needs_feature`), but a process that reaches the adminbin without going
 * through the module — with cPanel's parent check off (`/var/cpanel/skipparentcheck`, cPanel 11.120
 * `Cpanel/AdminBin/Server/Backend.pm`) or through a caller `allowed_parents` lists — would skip it.
 * cPanel decides through WHM API 1 `verify_user_has_feature` (its own feature lists and per-account
 * overrides, `Cpanel/Features/Check.pm`); the answer is kept for a minute per account.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from './context';
import { locals } from './context';
import { HttpError } from './httpErrors';

export const PLUGIN_FEATURE = 'fix_email_auth';
const REMEMBER_MS = 60_000;

export function requireUserFeature(ctx: AppContext, feature = PLUGIN_FEATURE, now: () => number = Date.now) {
  const known = new Map<string, { at: number; enabled: boolean }>();
  return (_req: Request, res: Response, next: NextFunction): void => {
    const identity = locals(res).identity;
    if (identity?.role !== 'user') return next();
    const cached = known.get(identity.user);
    const decide = (enabled: boolean) =>
      enabled
        ? next()
        : next(
            new HttpError(
              403,
              `Fix Email Authorization is not enabled for your account. Ask your hosting provider to enable the “${feature}” feature.`,
              'FEATURE_DISABLED',
            ),
          );
    if (cached && now() - cached.at < REMEMBER_MS) return decide(cached.enabled);
    ctx.services.cpanel.userHasFeature(identity.user, feature).then(
      (enabled) => {
        known.set(identity.user, { at: now(), enabled });
        if (known.size > 10_000) known.delete(known.keys().next().value as string);
        decide(enabled);
      },
      (err: unknown) => next(err),
    );
  };
}
