/**
 * The repair story: diagnose → plan → snapshot → apply → verify → record.
 * A second repair of a fixed domain is a no-op that says so; a domain the world does not ask this
 * server about is not changed here (the record to publish elsewhere is in the report).
 */
import type { PropagationReport } from '../../adapters/dns/propagation';
import type { SnapshotOutcome } from '../../adapters/jetbackup/policy';
import type { FindingRecord } from '../../checks/findings';
import type { DomainInfo, LocalAuthority } from '../../ports';
import type { MassEditParams, Zone } from '../../zone/model';
import { diagnoseDomain } from '../diagnose';
import { confirmationNeeded } from '../plan/confirmation';
import { domainReport, type DomainReport } from '../report';
import { propagationFinding } from '../../checks/dns';
import { applyChange } from './applyChange';
import type { RepairContext, RequestBase, StepEvent } from './context';
import { resolveOwnedDomain } from './ownership';
import { stepEmitter, type Emit } from './steps';
import type { VerifyOptions } from './verifyStep';

export interface RepairRequest extends RequestBase {
  domain: string;
  keepForeign?: boolean;
  dryRun?: boolean;
  /** The plan the person confirmed (from a dry run): refuse when the zone now calls for another. */
  confirmedPlan?: MassEditParams;
  /** The person agreed to replace a record that blocks all mail (plan/confirmation.ts). */
  allowBlockAll?: boolean;
  verifyOptions?: VerifyOptions;
  /**
   * A condition the diagnosis must meet for the change to be made, checked before the first write
   * and again after every re-plan: the reason it is not met, else null. The automatic repair uses it
   * so that a zone edited meanwhile into something it must not touch (block-all) is left alone.
   */
  onlyIf?: (report: DomainReport) => string | null;
}

export type RepairStatus =
  /** The record was already right (or another edit made it right): nothing changed. */
  | 'unchanged'
  /** Dry run: `plan` is what would be sent. */
  | 'planned'
  /** The world does not ask this server: publish the record at the external DNS host. */
  | 'not-authoritative'
  /** Applied, and every authoritative nameserver serves it. */
  | 'verified'
  /** Applied; some nameserver still serves the old answer or could not be asked. */
  | 'applied'
  | 'failed';

export interface RepairResult {
  domain: string;
  zone: string;
  user: string;
  status: RepairStatus;
  /** One sentence for the person who asked. */
  message: string;
  /** Diagnosis before the change. */
  before: DomainReport;
  /** Diagnosis of the zone after the change. */
  after?: DomainReport;
  plan: MassEditParams | null;
  /** The lockdown records found before the change. */
  recordsBefore: FindingRecord[];
  changeId?: number;
  backup?: SnapshotOutcome;
  verification?: PropagationReport;
  warnings: string[];
  attempts: number;
  steps: StepEvent[];
  error?: { code: string; step: string; message: string };
  /** The question a person must answer yes to before this plan is applied (a dry run still plans). */
  needsConfirmation?: string;
}

export function lockdownRecordsOf(report: DomainReport): FindingRecord[] {
  const seen = new Set<string>();
  const out: FindingRecord[] = [];
  for (const f of report.findings) {
    if (f.check !== 'lockdown') continue;
    for (const r of f.records) {
      const key = `${r.name}|${r.lineIndex}|${r.value}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(r);
      }
    }
  }
  return out;
}

export async function authorityOf(ctx: Pick<RepairContext, 'accounts'>, domain: string, emit: Emit): Promise<LocalAuthority | undefined> {
  try {
    return (await ctx.accounts.localAuthority([domain]))[0];
  } catch (err) {
    emit('diagnose', 'warn', `Could not ask cPanel whether this server is authoritative for ${domain}: ${(err as Error).message}`);
    return undefined;
  }
}

export async function diagnoseInZone(
  ctx: Pick<RepairContext, 'config' | 'resolver' | 'dkimPublicKey' | 'mailboxes'>,
  info: DomainInfo,
  zone: Zone,
  authority: LocalAuthority | undefined,
  keepForeign?: boolean,
): Promise<DomainReport> {
  const dkimPublicKey = ctx.dkimPublicKey ? await ctx.dkimPublicKey(info.domain).catch(() => undefined) : undefined;
  // Tenant mode judges the record against the account's mailboxes: a failed read stops here (never guessed).
  const mailboxes = ctx.config.lockdown.mode === 'tenant' && ctx.mailboxes ? await ctx.mailboxes(info.user) : undefined;
  return diagnoseDomain({
    domain: info.domain,
    zone,
    user: info.user,
    config: ctx.config,
    keepForeign: keepForeign ?? ctx.config.policy.keepForeign,
    ...(ctx.resolver ? { resolver: ctx.resolver } : {}),
    ...(dkimPublicKey ? { dkimPublicKey } : {}),
    ...(authority ? { authority } : {}),
    ...(mailboxes ? { mailboxes } : {}),
  });
}

export async function repairDomain(ctx: RepairContext, req: RepairRequest): Promise<RepairResult> {
  const { emit, events } = stepEmitter(ctx.clock, req.onStep);
  const info = await resolveOwnedDomain(ctx.accounts, req.domain, req.asUser);
  const authority = await authorityOf(ctx, info.domain, emit);

  emit('read', 'start', `Reading zone ${info.zone}`);
  const zone = await ctx.zones.readZone(info.zone);
  emit('read', 'done', `Zone ${info.zone} read at serial ${zone.serial}`, { serial: zone.serial });
  const before = await diagnoseInZone(ctx, info, zone, authority, req.keepForeign);
  const base = { domain: info.domain, zone: info.zone, user: info.user, before, recordsBefore: lockdownRecordsOf(before), steps: events };

  if (authority?.local === false) {
    emit('plan', 'skip', 'This server is not authoritative for the domain; nothing was changed here');
    const message = `The world does not ask this server for ${info.domain}; publish the record shown at the DNS host that serves the domain.`;
    return { ...base, status: 'not-authoritative', plan: before.plan, attempts: 0, warnings: [], message };
  }
  const refused = req.onlyIf?.(before);
  if (refused) {
    emit('plan', 'skip', refused);
    const error = { code: 'CONFLICT', step: 'plan', message: refused };
    return { ...base, status: 'failed', plan: before.plan, attempts: 0, warnings: [], message: refused, error };
  }
  const manual = before.findings.find((f) => f.check === 'lockdown' && typeof f.details?.manual === 'string');
  if (!before.plan && manual) {
    const message = `${info.domain} needs a person to look at it: ${String(manual.details!.manual)}`;
    emit('plan', 'fail', message);
    return {
      ...base,
      status: 'failed',
      plan: null,
      attempts: 0,
      warnings: [],
      message,
      error: { code: 'CONFLICT', step: 'plan', message },
    };
  }
  if (!before.plan) {
    emit('plan', 'skip', 'The lockdown record is already correct');
    return {
      ...base,
      status: 'unchanged',
      plan: null,
      attempts: 0,
      warnings: [],
      message: `The _mailchannels record of ${info.domain} is already correct; nothing was changed.`,
    };
  }
  emit('plan', 'done', `Planned: ${describePlan(before.plan)}`, { plan: before.plan });
  if (req.confirmedPlan && JSON.stringify(req.confirmedPlan) !== JSON.stringify(before.plan)) {
    const message = `Zone ${info.zone} changed since the preview you confirmed (serial ${req.confirmedPlan.serial} → ${zone.serial}); nothing was changed. Look at the new preview and confirm again.`;
    emit('plan', 'fail', message);
    return {
      ...base,
      status: 'failed',
      plan: before.plan,
      attempts: 0,
      warnings: [],
      message,
      error: { code: 'CONFLICT', step: 'plan', message },
    };
  }
  const consent = req.allowBlockAll ? null : confirmationNeeded(before.findings, ctx.config.provider.authId);
  if (req.dryRun) {
    return {
      ...base,
      status: 'planned',
      plan: before.plan,
      attempts: 0,
      warnings: [],
      message: `Dry run: ${describePlan(before.plan)}; nothing was changed.${consent ? ` ${consent.question} (asked before applying)` : ''}`,
      ...(consent ? { needsConfirmation: consent.question } : {}),
    };
  }
  if (consent) {
    const message = `${consent.question} Nothing was changed: the record blocks all mail on purpose unless you say otherwise.`;
    emit('plan', 'fail', message);
    return {
      ...base,
      status: 'failed',
      plan: before.plan,
      attempts: 0,
      warnings: [],
      message,
      needsConfirmation: consent.question,
      error: { code: 'CONFIRMATION_REQUIRED', step: 'plan', message },
    };
  }

  const outcome = await applyChange(ctx, {
    ...req,
    info,
    kind: 'repair',
    zone,
    plan: before.plan,
    emit,
    verifyName: `_mailchannels.${info.domain}.`,
    replan: async () => {
      const fresh = await ctx.zones.readZone(info.zone);
      const report = await diagnoseInZone(ctx, info, fresh, authority, req.keepForeign);
      // Someone set the record to block all mail meanwhile: their choice stands unless allowed.
      const blocked = !req.allowBlockAll && confirmationNeeded(report.findings, ctx.config.provider.authId);
      return { zone: fresh, plan: blocked || req.onlyIf?.(report) ? null : report.plan };
    },
  });
  const after = outcome.zoneAfter
    ? withPropagation(await diagnoseInZone(ctx, info, outcome.zoneAfter, authority, req.keepForeign), outcome.verification, ctx.clock.now())
    : undefined;
  const common = {
    ...base,
    plan: outcome.plan,
    changeId: outcome.change.id,
    attempts: outcome.attempts,
    warnings: outcome.warnings,
    ...(after ? { after } : {}),
    ...(outcome.backup ? { backup: outcome.backup } : {}),
    ...(outcome.verification ? { verification: outcome.verification } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  switch (outcome.status) {
    case 'verified':
      return {
        ...common,
        status: 'verified',
        message: `Fixed: ${info.domain} now authorizes ${ctx.config.provider.authId}. ${outcome.verification?.summary ?? ''}`.trim(),
      };
    case 'applied':
      return {
        ...common,
        status: 'applied',
        message: `The change is in the zone. ${outcome.verification?.summary ?? 'The nameservers could not be checked.'}`.trim(),
      };
    case 'not-needed':
      return { ...common, status: 'unchanged', message: outcome.error?.message ?? 'Nothing was changed.' };
    case 'failed':
      return { ...common, status: 'failed', message: outcome.error?.message ?? 'The change failed; nothing was changed.' };
  }
}

export function describePlan(plan: MassEditParams): string {
  const parts: string[] = [];
  for (const e of plan.edit) parts.push(`replace line ${e.line_index} with ${e.dname} TXT "${e.data.join('')}"`);
  for (const a of plan.add) parts.push(`add ${a.dname} TXT "${a.data.join('')}"`);
  if (plan.remove.length) parts.push(`remove line${plan.remove.length > 1 ? 's' : ''} ${plan.remove.join(', ')}`);
  return `${parts.join('; ')} in zone ${plan.zone}`;
}

/** DNS_PROPAGATION_PENDING on the after-report while the change is not yet everywhere (or cached). */
function withPropagation(report: DomainReport, verification: PropagationReport | undefined, now: Date): DomainReport {
  const pending = verification ? propagationFinding(verification, now) : null;
  if (!pending) return report;
  return domainReport({
    domain: report.domain,
    zone: report.zone,
    findings: [...report.findings, pending],
    plan: report.plan,
    ...(report.user ? { user: report.user } : {}),
  });
}
