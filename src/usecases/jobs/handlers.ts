/**
 * Item handlers for the jobs that change DNS: `repair` (one domain, for the person who clicked the
 * button), `bulk-fix` (many domains, for the admin; dry run or real) and `rollback` (undo a change).
 * Each calls one use case and turns its result into the item's stored result: what the job page shows
 * and what the JSON API returns. The acting user (`asUser`) comes from the job's params, which only
 * the daemon's routes set from the verified identity.
 */
import type { ItemOutcome, ScanResults } from '../../adapters/store';
import type { PropagationReport } from '../../adapters/dns/propagation';
import type { FindingRecord } from '../../checks/findings';
import type { MassEditParams } from '../../zone/model';
import { repairDomain, rollbackChange, type RepairContext, type RepairResult, type RollbackResult, type StepEvent } from '../repair';
import type { DomainReport } from '../report';
import type { ItemHandler } from './runner';

export interface RepairJobParams {
  /** Set for a cPanel user: the repair may only touch that account's zones. */
  asUser?: string;
  keepForeign?: boolean;
  /** The person agreed to replace records that block all mail (plan/confirmation.ts). */
  allowBlockAll?: boolean;
}

export interface RollbackJobParams {
  changeId: number;
  asUser?: string;
  force?: boolean;
}

/** The propagation report without the raw per-query detail a page does not show. */
export interface VerificationSummary {
  state: PropagationReport['state'];
  summary: string;
  cachesExpireAt: string | null;
  cacheTtl: number | null;
  servers: Array<{
    nameserver: string;
    address: string;
    port: number;
    state: string;
    serial: string | null;
    error?: string;
    note?: string;
  }>;
}

/** What a repair or bulk-fix item stores as its result. */
export interface RepairItemResult {
  status: RepairResult['status'];
  message: string;
  domain: string;
  zone: string;
  user: string;
  changeId?: number;
  plan: MassEditParams | null;
  recordsBefore: FindingRecord[];
  before: { status: DomainReport['status']; codes: string[] };
  after?: { status: DomainReport['status']; codes: string[] };
  warnings: string[];
  verification?: VerificationSummary;
  error?: { code: string; step: string; message: string };
  /** Only for single repairs (bulk results stay small: tens of thousands of rows). */
  steps?: StepEvent[];
}

export interface RollbackItemResult {
  status: RollbackResult['status'];
  message: string;
  originalId: number;
  changeId?: number;
  verification?: VerificationSummary;
  error?: { code: string; step: string; message: string };
  steps: StepEvent[];
}

export function summarizeVerification(report: PropagationReport | undefined): VerificationSummary | undefined {
  if (!report) return undefined;
  return {
    state: report.state,
    summary: report.summary,
    cachesExpireAt: report.cachesExpireAt,
    cacheTtl: report.cacheTtl,
    servers: report.servers.map((s) => ({
      nameserver: s.nameserver,
      address: s.address,
      port: s.port,
      state: s.state,
      serial: s.serial,
      ...(s.error ? { error: s.error } : {}),
      ...(s.note ? { note: s.note } : {}),
    })),
  };
}

const codesOf = (report: DomainReport) => ({ status: report.status, codes: report.findings.map((f) => f.code) });

export function repairItemResult(result: RepairResult, withSteps: boolean): RepairItemResult {
  const verification = summarizeVerification(result.verification);
  return {
    status: result.status,
    message: result.message,
    domain: result.domain,
    zone: result.zone,
    user: result.user,
    ...(result.changeId !== undefined ? { changeId: result.changeId } : {}),
    plan: result.plan,
    recordsBefore: result.recordsBefore,
    before: codesOf(result.before),
    ...(result.after ? { after: codesOf(result.after) } : {}),
    warnings: result.warnings,
    ...(verification ? { verification } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(withSteps ? { steps: result.steps } : {}),
  };
}

function itemStatus(status: RepairResult['status']): ItemOutcome['status'] {
  if (status === 'failed') return 'failed';
  if (status === 'unchanged' || status === 'not-authoritative') return 'skipped';
  return 'done';
}

/** After a real change, the admin's table shows the domain as it is now (owner kept from the last scan). */
function refreshScanRow(scans: Pick<ScanResults, 'getScanResult' | 'upsertScanResult'> | undefined, result: RepairResult, now: Date): void {
  if (!scans || !result.after) return;
  const previous = scans.getScanResult(result.domain);
  if (!previous) return;
  try {
    scans.upsertScanResult({
      domain: result.domain,
      zone: result.zone,
      user: result.user,
      owner: previous.owner,
      status: result.after.status,
      codes: result.after.findings.map((f) => f.code),
      report: result.after,
      scannedAt: now,
    });
  } catch {
    // A stale table row is corrected by the next scan; the repair itself succeeded.
  }
}

function params<T extends object>(value: unknown): Partial<T> {
  return value !== null && typeof value === 'object' ? value : {};
}

export interface RepairHandlerDeps {
  context: () => RepairContext;
  scans?: Pick<ScanResults, 'getScanResult' | 'upsertScanResult'>;
}

/** `repair` (withSteps: the step list is the page) and `bulk-fix` (compact results). */
export function repairItemHandler(deps: RepairHandlerDeps, options: { withSteps: boolean }): ItemHandler {
  return async ({ job, item, progress, linkChange }) => {
    const p = params<RepairJobParams>(job.params);
    const ctx = deps.context();
    const result = await repairDomain(ctx, {
      domain: item.key,
      actor: job.actor,
      jobId: job.id,
      onChangeCreated: linkChange,
      ...(typeof p.asUser === 'string' ? { asUser: p.asUser } : {}),
      ...(typeof p.keepForeign === 'boolean' ? { keepForeign: p.keepForeign } : {}),
      ...(p.allowBlockAll === true ? { allowBlockAll: true } : {}),
      ...(job.dryRun ? { dryRun: true } : {}),
      onStep: (event) => progress(event.step, event),
    });
    if (!job.dryRun) refreshScanRow(deps.scans, result, ctx.clock.now());
    return {
      status: itemStatus(result.status),
      result: repairItemResult(result, options.withSteps),
      ...(result.changeId !== undefined ? { changeId: result.changeId } : {}),
    };
  };
}

export function rollbackItemHandler(deps: { context: () => RepairContext }): ItemHandler {
  return async ({ job, progress, linkChange }) => {
    const p = params<RollbackJobParams>(job.params);
    if (typeof p.changeId !== 'number') throw new TypeError('a rollback job needs the change id in its params');
    const result = await rollbackChange(deps.context(), {
      changeId: p.changeId,
      actor: job.actor,
      jobId: job.id,
      onChangeCreated: linkChange,
      ...(typeof p.asUser === 'string' ? { asUser: p.asUser } : {}),
      ...(p.force === true ? { force: true } : {}),
      onStep: (event) => progress(event.step, event),
    });
    const verification = summarizeVerification(result.outcome?.verification);
    const stored: RollbackItemResult = {
      status: result.status,
      message: result.message,
      originalId: result.original.id,
      ...(result.rollback ? { changeId: result.rollback.id } : {}),
      ...(verification ? { verification } : {}),
      ...(result.error ? { error: result.error } : {}),
      steps: result.steps,
    };
    return {
      status: result.status === 'failed' ? 'failed' : result.status === 'unchanged' ? 'skipped' : 'done',
      result: stored,
      ...(result.rollback ? { changeId: result.rollback.id } : {}),
    };
  };
}
