/**
 * Live, read-only diagnosis through the configured cPanel connection — the domain pages, the account
 * table, `diagnose <domain>` and `diagnose --user`. Each zone is read once for all the domains it
 * holds (a sub-domain lives in its parent's zone), and cPanel is asked about DNS authority in
 * batches. A domain whose zone cannot be read gets an error, not a verdict: "could not check" must
 * never look like "fine". A user may only inspect their own account's domains.
 */
import type { ErrorInfo } from '../adapters/store';
import { FixEmailAuthError, isFixEmailAuthError, type ErrorCode, type Step } from '../errors';
import type { Accounts, DomainInfo, LocalAuthority } from '../ports';
import type { RepairContext } from './repair/context';
import { resolveOwnedDomain } from './repair/ownership';
import { diagnoseInZone } from './repair/repair';
import type { DomainReport } from './report';

export interface DomainDiagnosis {
  info: DomainInfo;
  report?: DomainReport;
  authority?: LocalAuthority;
  error?: ErrorInfo;
}

export type DiagnoseContext = Pick<RepairContext, 'config' | 'zones' | 'resolver' | 'dkimPublicKey' | 'mailboxes'> & {
  accounts: Pick<Accounts, 'localAuthority'>;
};

/** has_local_authority takes a list of domains; keep each call's URL and answer small. */
const AUTHORITY_BATCH = 100;

function errorInfo(err: unknown, step: string): ErrorInfo {
  if (isFixEmailAuthError(err)) return { code: err.code, step: err.step, message: err.message };
  return { code: 'INTERNAL', step, message: err instanceof Error ? err.message : String(err) };
}

/** cPanel's authority answers by domain; a failed batch leaves its domains without one (not fatal). */
async function authorities(ctx: DiagnoseContext, domains: string[]): Promise<Map<string, LocalAuthority>> {
  const out = new Map<string, LocalAuthority>();
  for (let i = 0; i < domains.length; i += AUTHORITY_BATCH) {
    try {
      for (const a of await ctx.accounts.localAuthority(domains.slice(i, i + AUTHORITY_BATCH))) out.set(a.domain, a);
    } catch {
      // Without the answer the report simply has no DNS_NOT_AUTHORITATIVE finding.
    }
  }
  return out;
}

/** Run `fn` over `items` with at most `limit` at a time, keeping order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}

export async function diagnoseDomains(
  ctx: DiagnoseContext,
  infos: readonly DomainInfo[],
  options: { concurrency?: number; keepForeign?: boolean } = {},
): Promise<DomainDiagnosis[]> {
  const byZone = new Map<string, DomainInfo[]>();
  for (const info of infos) byZone.set(info.zone, [...(byZone.get(info.zone) ?? []), info]);
  const authority = await authorities(
    ctx,
    infos.map((i) => i.domain),
  );
  const results = new Map<string, DomainDiagnosis>();
  // One mailbox list per account for the whole page, not one per domain (tenant mode reads it).
  const lists = new Map<string, Promise<string[]>>();
  const mailboxes = ctx.mailboxes;
  const shared: DiagnoseContext = mailboxes
    ? {
        ...ctx,
        mailboxes: (user) => {
          let list = lists.get(user);
          if (!list) lists.set(user, (list = mailboxes(user)));
          return list;
        },
      }
    : ctx;

  await mapLimited([...byZone.entries()], options.concurrency ?? 4, async ([zoneName, members]) => {
    let zone;
    try {
      zone = await ctx.zones.readZone(zoneName);
    } catch (err) {
      for (const info of members) results.set(info.domain, { info, error: errorInfo(err, 'read') });
      return;
    }
    for (const info of members) {
      const a = authority.get(info.domain);
      try {
        const report = await diagnoseInZone(shared, info, zone, a, options.keepForeign);
        results.set(info.domain, { info, report, ...(a ? { authority: a } : {}) });
      } catch (err) {
        results.set(info.domain, { info, error: errorInfo(err, 'diagnose'), ...(a ? { authority: a } : {}) });
      }
    }
  });
  return infos.map((info) => results.get(info.domain) ?? { info, error: { code: 'INTERNAL', step: 'diagnose', message: 'not diagnosed' } });
}

export type InspectContext = DiagnoseContext & { accounts: Pick<Accounts, 'findDomain' | 'localAuthority' | 'domainsOfUser'> };

export interface InspectedDomain extends DomainReport {
  user: string;
  type: DomainInfo['type'];
  owner: string;
  authority?: LocalAuthority;
}

/** The report of a diagnosis, or its error thrown again (a command asked about this one domain). */
function reportOf(d: DomainDiagnosis): InspectedDomain {
  if (!d.report) {
    const error = d.error ?? { code: 'INTERNAL', step: 'diagnose', message: 'not diagnosed' };
    throw new FixEmailAuthError(error.code as ErrorCode, `${d.info.domain}: ${error.message}`, { step: error.step as Step });
  }
  return { ...d.report, user: d.info.user, type: d.info.type, owner: d.info.owner, ...(d.authority ? { authority: d.authority } : {}) };
}

export async function inspectDomain(
  ctx: InspectContext,
  domain: string,
  options: { asUser?: string; keepForeign?: boolean } = {},
): Promise<InspectedDomain> {
  const info = await resolveOwnedDomain(ctx.accounts, domain, options.asUser);
  const [diagnosis] = await diagnoseDomains(ctx, [info], options);
  return reportOf(diagnosis!);
}

const TYPE_ORDER: Record<DomainInfo['type'], number> = { main: 0, addon: 1, parked: 2, sub: 3 };

/** Every domain of one cPanel account: main, addon, parked, then sub-domains. */
export async function inspectUser(ctx: InspectContext, user: string, options: { keepForeign?: boolean } = {}): Promise<InspectedDomain[]> {
  const infos = (await ctx.accounts.domainsOfUser(user))
    .slice()
    .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.domain.localeCompare(b.domain));
  return (await diagnoseDomains(ctx, infos, options)).map(reportOf);
}
