/**
 * Tenant mode keeps each record in step with its account (config `lockdown.mode: tenant`): when an
 * account is created or a mailbox is added or removed, the hooks ask for the account's domains
 * whose record differs from the tenant record only because the account changed — no record yet, a
 * mailbox missing, a removed mailbox or a shared `auth=` still listed. Those are repaired through
 * the usual journalled path. A record that is wrong for another reason (stale after a migration,
 * blocking all mail, several records, misplaced) is not touched here: it waits for a person.
 */
import { worstSeverity } from '../checks/findings';
import type { DomainInfo } from '../ports';
import { diagnoseDomains, type InspectContext } from './inspect';

/** The lockdown verdicts a hook may bring in step on its own. */
const IN_STEP = new Set(['LOCKDOWN_OK', 'LOCKDOWN_MISSING', 'LOCKDOWN_SHARED', 'LOCKDOWN_IDENTITY_MISSING']);

/** The account's domains (or just `domain`) whose record a hook should bring in step now. */
export async function domainsOutOfStep(ctx: InspectContext, user: string, domain?: string): Promise<string[]> {
  let infos: DomainInfo[] = await ctx.accounts.domainsOfUser(user);
  if (domain !== undefined) infos = infos.filter((i) => i.domain === domain);
  const out: string[] = [];
  for (const d of await diagnoseDomains(ctx, infos)) {
    if (!d.report?.plan || d.authority?.local === false) continue;
    const lockdown = d.report.findings.filter((f) => f.check === 'lockdown');
    if (lockdown.length > 0 && lockdown.every((f) => IN_STEP.has(f.code)) && worstSeverity(lockdown) !== 'ok') out.push(d.info.domain);
  }
  return out;
}
