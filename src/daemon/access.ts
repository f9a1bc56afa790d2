/**
 * Server-side ownership checks every route makes before it reads or changes anything (docs/design.md
 * "Identity and trust"): a cPanel user reaches only the domains, changes and jobs of their own
 * account; anything else — another account's, or nothing at all — is the same 403.
 */
import type { Change, Job } from '../adapters/store';
import type { DomainInfo } from '../ports';
import { checkDomainSyntax } from '../usecases/repair';
import type { AppContext } from './context';
import { HttpError, notYours } from './httpErrors';
import type { Identity } from './identity';

export async function visibleDomain(ctx: AppContext, identity: Identity, domain: string): Promise<DomainInfo> {
  const name = checkDomainSyntax(domain);
  if (identity.role === 'user') {
    const mine = (await ctx.services.accounts.domainsOfUser(identity.user)).find((d) => d.domain === name);
    if (!mine) throw notYours(`domain named ${name}`);
    return mine;
  }
  if (identity.role !== 'admin') throw new HttpError(403, 'This page is not for your role.');
  const info = await ctx.services.accounts.findDomain(name);
  if (!info) throw new HttpError(404, `No account on this server has the domain ${name}.`);
  return info;
}

/**
 * A change, for a cPanel user only while their account owns its domain (in the same zone) now: the
 * user recorded on the change owned it then, and a domain can move to another account since.
 */
export async function visibleChange(ctx: AppContext, identity: Identity, id: number): Promise<Change> {
  const change = ctx.services.store.getChange(id);
  if (identity.role === 'user') {
    const ownedNow = change && (await ctx.services.accounts.domainsOfUser(identity.user)).some((d) => ownsChange(d, change));
    if (!change || !ownedNow) throw notYours(`change number ${id}`);
    return change;
  }
  if (identity.role !== 'admin') throw new HttpError(403, 'This page is not for your role.');
  if (!change) throw new HttpError(404, `There is no change number ${id}.`);
  return change;
}

/** The domain is the change's, in the change's zone. */
export function ownsChange(info: Pick<DomainInfo, 'domain' | 'zone'>, change: Pick<Change, 'domain' | 'zone'>): boolean {
  return info.domain === change.domain && info.zone === change.zone;
}

export function visibleJob(ctx: AppContext, identity: Identity, id: number): Job {
  const job = ctx.services.store.getJob(id);
  if (identity.role === 'user') {
    if (!job || job.actor.kind !== 'user' || job.actor.name !== identity.user) throw notYours(`job number ${id}`);
    return job;
  }
  if (identity.role !== 'admin') throw new HttpError(403, 'This page is not for your role.');
  if (!job) throw new HttpError(404, `There is no job number ${id}.`);
  return job;
}
