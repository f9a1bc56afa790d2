/**
 * Crash safety: a change left in `applying` means the process died between writing the
 * intent and learning the outcome. At start we read each such zone and settle the row — applied or
 * not — so a crash never leaves a duplicate or a lost record, and never a guess.
 *
 * The same reading settles a change in-process when the work around it failed half-way (a journal
 * write refused after the zone edit): `settleChangeFromZone`, used by the job runner, so a job never
 * waits for a restart to say what its zone holds.
 */
import type { Change } from '../../adapters/store/changes';
import type { Zone } from '../../zone/model';
import type { RepairContext } from './context';
import { recordSettlement, settleUncertainApply, zoneHoldsChange } from './applyChange';

export interface ReconcileReport {
  applied: Change[];
  notApplied: Change[];
  /** The zone could not be read; the row stays `applying` for the next start. */
  unknown: Change[];
}

export async function reconcileInterruptedChanges(ctx: Pick<RepairContext, 'zones' | 'journal'>): Promise<ReconcileReport> {
  const report: ReconcileReport = { applied: [], notApplied: [], unknown: [] };
  for (const change of ctx.journal.findApplying()) {
    const settled = await settleUncertainApply(ctx, change);
    const now = ctx.journal.getChange(change.id) ?? change;
    if (!settled.known) report.unknown.push(now);
    else if (settled.landed) report.applied.push(now);
    else report.notApplied.push(now);
  }
  return report;
}

/** What the zone of a change holds after the work around it failed, and whether the journal says so. */
export interface ChangeSettlement {
  changeId: number;
  /** `unknown`: neither the journal nor the zone could tell (it is settled at the next start). */
  zone: 'landed' | 'not-landed' | 'unknown';
  /** The zone's serial when the change is in it. */
  serial?: string;
  /** The journal row now says what the zone shows (false: the journal refused the write). */
  recorded: boolean;
  /** One sentence for the job page. */
  message: string;
}

export interface SettleOptions {
  /** Waits between attempts to record the outcome when the journal refuses a write (default 0.1, 0.4, 1.6 s). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY_DELAYS_MS = [100, 400, 1600];
const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `write`, again after each delay while it throws; the last error when every attempt failed. */
async function withRetries(write: () => void, options: SettleOptions): Promise<unknown> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? sleepMs;
  let last: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await sleep(delays[attempt - 1]!);
    try {
      write();
      return undefined;
    } catch (err) {
      last = err;
    }
  }
  return last ?? new Error('the journal refused the write');
}

/**
 * Settle change `changeId` from its zone, as start-up reconciliation does, after the work around it
 * threw: a change still `applying` is decided by reading the zone (never by sending again); one that
 * never reached `applying` was never sent and is closed as failed. Journal writes are retried a few
 * times (a locked or full database is usually a passing thing); the zone is read once.
 */
export async function settleChangeFromZone(
  ctx: Pick<RepairContext, 'zones' | 'journal'>,
  changeId: number,
  options: SettleOptions = {},
): Promise<ChangeSettlement> {
  let change: Change | undefined;
  try {
    change = ctx.journal.getChange(changeId);
  } catch (err) {
    return unknown(changeId, `the journal could not be read (${reasonOf(err)})`);
  }
  if (!change) return unknown(changeId, 'the journal has no such change');
  switch (change.status) {
    case 'applied':
    case 'verified':
    case 'rolled_back':
      return landed(change, change.serialAfter, true);
    case 'failed':
      return change.serialAfter ? landed(change, change.serialAfter, true) : notLanded(change, true);
    case 'planned':
    case 'backed_up': {
      // The intent is written before anything is sent: this change never reached cPanel.
      const error = { code: 'INTERRUPTED', step: 'apply', message: 'The work stopped before the change was sent; nothing was changed.' };
      const from = change.status;
      const failure = await withRetries(() => ctx.journal.transition(change.id, from, 'failed', { error }), options);
      return withJournalNote(notLanded(change, failure === undefined), failure);
    }
    case 'applying': {
      let zone: Zone;
      try {
        zone = await ctx.zones.readZone(change.zone);
      } catch (err) {
        return unknown(changeId, `zone ${change.zone} could not be read (${reasonOf(err)})`);
      }
      const inZone = zoneHoldsChange(zone, change);
      const failure = await withRetries(() => recordSettlement(ctx.journal, change, inZone, zone.serial), options);
      return withJournalNote(
        inZone ? landed(change, zone.serial, failure === undefined) : notLanded(change, failure === undefined),
        failure,
      );
    }
  }
}

function withJournalNote(settled: ChangeSettlement, failure: unknown): ChangeSettlement {
  if (failure === undefined) return settled;
  return {
    ...settled,
    message: `${settled.message} The journal could not record this (${reasonOf(failure)}); it is recorded when the daemon next starts.`,
  };
}

function landed(change: Change, serial: string | undefined, recorded: boolean): ChangeSettlement {
  return {
    changeId: change.id,
    zone: 'landed',
    ...(serial !== undefined ? { serial } : {}),
    recorded,
    message: `Change ${change.id} reached zone ${change.zone}${serial !== undefined ? ` (serial ${serial})` : ''}, but the work around it failed, so it was not verified on the nameservers.`,
  };
}

function notLanded(change: Change, recorded: boolean): ChangeSettlement {
  return {
    changeId: change.id,
    zone: 'not-landed',
    recorded,
    message: `Change ${change.id} did not reach zone ${change.zone}: the zone is as it was, nothing was changed.`,
  };
}

function unknown(changeId: number, why: string): ChangeSettlement {
  return {
    changeId,
    zone: 'unknown',
    recorded: false,
    message: `Whether change ${changeId} reached its zone is not known yet: ${why}. It is settled from the zone when the daemon next starts.`,
  };
}
