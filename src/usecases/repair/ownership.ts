/**
 * Which zone holds a domain and who owns it, checked server-side for every request: a cPanel user may
 * only act on domains of their own account (docs/design.md "Identity and trust").
 */
import type { Change, ChangeJournal } from '../../adapters/store/changes';
import { FixEmailAuthError } from '../../errors';
import type { Accounts, DomainInfo } from '../../ports';
import { normalizeDomain } from '../../zone/model';

const DOMAIN_SYNTAX = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export function checkDomainSyntax(domain: string): string {
  const normalized = normalizeDomain(domain);
  if (!DOMAIN_SYNTAX.test(normalized)) {
    throw new FixEmailAuthError('BAD_INPUT', `“${domain.slice(0, 100)}” is not a domain name`, { step: 'input' });
  }
  return normalized;
}

export async function resolveOwnedDomain(accounts: Pick<Accounts, 'findDomain'>, domain: string, asUser?: string): Promise<DomainInfo> {
  const name = checkDomainSyntax(domain);
  const info = await accounts.findDomain(name);
  // The same answer for "no such domain" and "not yours", so a user cannot probe other accounts.
  if (!info || (asUser !== undefined && info.user !== asUser)) {
    if (asUser !== undefined) throw new FixEmailAuthError('NOT_OWNED', `Your account has no domain named ${name}`, { step: 'input' });
    throw new FixEmailAuthError('UNKNOWN_DOMAIN', `No account on this server has the domain ${name}`, { step: 'input' });
  }
  return info;
}

/**
 * The change, if the asker may act on it now. Root (no `asUser`) sees every change. A cPanel user
 * sees a change only while their account owns its domain, in the same zone, *now*: the user recorded
 * on the change is who owned it then, and after a domain moves to another account (or an account is
 * removed and its name reused) the old owner must not undo in the new owner's zone, while the new
 * owner sees the zone's history. Also the domain the change is about, as cPanel knows it now.
 */
export async function changeVisibleTo(
  ctx: { journal: Pick<ChangeJournal, 'getChange'>; accounts: Pick<Accounts, 'findDomain'> },
  changeId: number,
  asUser?: string,
): Promise<{ change: Change; owner: DomainInfo | null }> {
  const change = ctx.journal.getChange(changeId);
  const notFound = () =>
    // Same answer for "no such change" and "not yours", so a user cannot probe other accounts.
    new FixEmailAuthError('NOT_FOUND', `There is no change ${changeId}${asUser !== undefined ? ' on your account' : ''}`, {
      step: 'input',
    });
  if (!change) throw notFound();
  const info = await ctx.accounts.findDomain(change.domain);
  const owner = info && info.zone === change.zone ? info : null;
  if (asUser !== undefined && owner?.user !== asUser) throw notFound();
  return { change, owner };
}
