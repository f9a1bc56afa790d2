/**
 * Diagnose many domains at once — a scan of the server, or the status table of one account. Each zone
 * is read once for all the domains it holds (a sub-domain lives in its parent's zone), and cPanel is
 * asked about DNS authority in batches. A domain whose zone cannot be read gets an error, not a
 * verdict: "could not check" must never look like "fine".
 */
import type { ErrorInfo } from '../../adapters/store';
import { isFixEmailAuthError } from '../../errors';
import type { DomainInfo, LocalAuthority } from '../../ports';
import type { RepairContext } from '../repair';
import { diagnoseInZone } from '../repair/repair';
import type { DomainReport } from '../report';

export interface DomainDiagnosis {
  info: DomainInfo;
  report?: DomainReport;
  authority?: LocalAuthority;
  error?: ErrorInfo;
}

export type DiagnoseContext = Pick<RepairContext, 'config' | 'zones' | 'accounts' | 'resolver' | 'dkimPublicKey'>;

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

export async function diagnoseDomains(ctx: DiagnoseContext, infos: readonly DomainInfo[], options: { concurrency?: number } = {}): Promise<DomainDiagnosis[]> {
  const byZone = new Map<string, DomainInfo[]>();
  for (const info of infos) byZone.set(info.zone, [...(byZone.get(info.zone) ?? []), info]);
  const authority = await authorities(ctx, infos.map((i) => i.domain));
  const results = new Map<string, DomainDiagnosis>();
  const fullCtx = ctx as RepairContext; // diagnoseInZone reads only the fields of DiagnoseContext

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
        const report = await diagnoseInZone(fullCtx, info, zone, a);
        results.set(info.domain, { info, report, ...(a ? { authority: a } : {}) });
      } catch (err) {
        results.set(info.domain, { info, error: errorInfo(err, 'diagnose'), ...(a ? { authority: a } : {}) });
      }
    }
  });
  return infos.map((info) => results.get(info.domain) ?? { info, error: { code: 'INTERNAL', step: 'diagnose', message: 'not diagnosed' } });
}
