/**
 * Which zone holds a domain and who owns it, checked server-side for every request: a cPanel user may
 * only act on domains of their own account (DESIGN.md "Identity and trust").
 */
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
