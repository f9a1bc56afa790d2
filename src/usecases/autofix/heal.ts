/**
 * One domain, looked at again because its mail was just rejected or its account just arrived:
 * diagnose it live, decide by policy, and — only for a plainly stale lockdown record, at most once per
 * domain per hour — repair it through the same journalled, backed-up, serial-checked, verified and
 * undoable path as a person's click (src/usecases/repair), as the actor `autofix`.
 *
 * The repair is bound to what was decided: the plan of this diagnosis (`confirmedPlan`), and the
 * policy's condition again after every re-plan (`onlyIf`), so a zone edited in the meantime into
 * block-all or something unclear is never rewritten.
 */
import type { ErrorInfo, SelfHealStore } from '../../adapters/store';
import type { Actor } from '../../adapters/store/types';
import type { AutofixPolicy } from '../../configSelfHeal';
import type { DomainInfo } from '../../ports';
import { diagnoseDomains } from '../inspect';
import { repairDomain, type RepairContext, type RepairResult, type VerifyOptions } from '../repair';
import type { DomainReport } from '../report';
import { decideAutofix, type AutofixDecision } from './policy';
import { autofixRefusal } from './stale';

/** Who the journal and the audit log name for automatic repairs. */
export const AUTOFIX_ACTOR: Actor = { kind: 'system', name: 'autofix' };

/** At most one automatic repair per domain in this long, whatever came of the last one. */
export const AUTOFIX_INTERVAL_MS = 3_600_000;

export type HealTrigger = 'rejection' | 'migration' | 'sweep';

type Left = Extract<AutofixDecision, { repair: false }>['reason'];

export type HealOutcome =
  | { kind: 'not-on-server'; domain: string; trigger: HealTrigger }
  | { kind: 'unreadable'; domain: string; trigger: HealTrigger; info: DomainInfo; error: ErrorInfo }
  /** Nothing a person needs to do about the domain's DNS. */
  | { kind: 'fine'; domain: string; trigger: HealTrigger; info: DomainInfo; report: DomainReport }
  /** A problem left for a person, and why it was not repaired automatically. */
  | { kind: 'left'; domain: string; trigger: HealTrigger; info: DomainInfo; report: DomainReport; reason: Left }
  /** Repairable, but an automatic repair was tried less than an hour ago. */
  | { kind: 'rate-limited'; domain: string; trigger: HealTrigger; info: DomainInfo; report: DomainReport }
  | { kind: 'repaired'; domain: string; trigger: HealTrigger; info: DomainInfo; report: DomainReport; result: RepairResult }
  | { kind: 'repair-failed'; domain: string; trigger: HealTrigger; info: DomainInfo; report: DomainReport; result: RepairResult };

export interface HealDeps {
  context: () => RepairContext;
  store: Pick<SelfHealStore, 'markChecked' | 'claimAutofix' | 'finishAutofix' | 'migratedAt'>;
  policy: AutofixPolicy;
  migrationWindowMs: number;
  verifyOptions?: VerifyOptions;
}

/** A problem with the domain's mail authentication that its owner should hear about. */
export function needsPerson(report: DomainReport): boolean {
  return report.findings.some((f) => (f.check === 'lockdown' || f.check === 'spf') && f.severity === 'error');
}

export async function healDomain(deps: HealDeps, domain: string, trigger: HealTrigger): Promise<HealOutcome> {
  const ctx = deps.context();
  const info = await ctx.accounts.findDomain(domain);
  if (!info) {
    deps.store.markChecked(domain, { user: null, status: 'unknown', codes: ['NOT_ON_SERVER'] });
    return { kind: 'not-on-server', domain, trigger };
  }
  const [diagnosis] = await diagnoseDomains(ctx, [info]);
  if (!diagnosis?.report) {
    const error = diagnosis?.error ?? { code: 'INTERNAL', step: 'diagnose', message: 'not diagnosed' };
    deps.store.markChecked(domain, { user: info.user, status: 'unknown', codes: [error.code] });
    return { kind: 'unreadable', domain, trigger, info, error };
  }
  const report = diagnosis.report;
  deps.store.markChecked(domain, { user: info.user, status: report.status, codes: report.findings.map((f) => f.code) });
  const decision = decideAutofix({
    policy: deps.policy,
    report,
    migratedAt: deps.store.migratedAt(info.user),
    migrationWindowMs: deps.migrationWindowMs,
    now: ctx.clock.now(),
  });
  const base = { domain: info.domain, trigger, info, report };
  if (!decision.repair) {
    if (decision.reason === 'not-stale' && !needsPerson(report)) return { kind: 'fine', ...base };
    // An arriving account's block-all record, or a zone the world does not ask us about, is nobody's
    // problem until mail is actually rejected.
    if (trigger === 'migration' && (decision.reason === 'block-all' || decision.reason === 'not-authoritative'))
      return { kind: 'fine', ...base };
    return { kind: 'left', ...base, reason: decision.reason };
  }
  const attempt = deps.store.claimAutofix(info.domain, trigger, AUTOFIX_INTERVAL_MS);
  if (!attempt) return { kind: 'rate-limited', ...base };
  let result: RepairResult;
  try {
    result = await repairDomain(ctx, {
      domain: info.domain,
      actor: AUTOFIX_ACTOR,
      ...(report.plan ? { confirmedPlan: report.plan } : {}),
      onlyIf: (fresh) => {
        const why = autofixRefusal(fresh);
        return why === null ? null : `The zone changed since it was diagnosed and is no longer plainly stale (${why}); left for a person.`;
      },
      ...(deps.verifyOptions ? { verifyOptions: deps.verifyOptions } : {}),
    });
  } catch (err) {
    deps.store.finishAutofix(attempt.id, 'failed', null, (err as Error).message);
    throw err;
  }
  deps.store.finishAutofix(attempt.id, result.status, result.changeId ?? null, result.message);
  if (result.status === 'verified' || result.status === 'applied') return { kind: 'repaired', ...base, result };
  // Someone else's edit made the record right meanwhile: nothing left to do.
  if (result.status === 'unchanged') return { kind: 'fine', ...base };
  // The zone changed into something the policy does not touch (the onlyIf or confirmedPlan refusal).
  if (result.error?.code === 'CONFLICT' && result.error.step === 'plan') return { kind: 'left', ...base, reason: 'ambiguous' };
  return { kind: 'repair-failed', ...base, result };
}
