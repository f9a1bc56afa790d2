/**
 * The automatic-repair policy (config `policy.autofix`): given a fresh diagnosis, repair now or leave
 * it for a person, and say why. Pure: the caller brings the diagnosis, when the account last arrived
 * by restore or transfer, and the clock.
 */
import type { AutofixPolicy } from '../../configSelfHeal';
import type { DomainReport } from '../report';
import { autofixRefusal, type LeaveReason } from './stale';

export type { AutofixPolicy };

export type AutofixDecision =
  | { repair: true }
  | {
      repair: false;
      reason: LeaveReason | 'policy-off' | 'not-recently-migrated';
    };

export interface AutofixInput {
  policy: AutofixPolicy;
  report: Pick<DomainReport, 'findings' | 'plan'>;
  /** When the account was last restored or transferred onto this server, if ever. */
  migratedAt: Date | null;
  migrationWindowMs: number;
  now: Date;
}

export function decideAutofix(input: AutofixInput): AutofixDecision {
  const refusal = autofixRefusal(input.report);
  // A problem we would never touch is reported as such whatever the policy: the notice says why.
  if (refusal !== null) return { repair: false, reason: refusal };
  if (input.policy === 'off') return { repair: false, reason: 'policy-off' };
  if (input.policy === 'stale-after-migration') {
    const recent = input.migratedAt !== null && input.now.getTime() - input.migratedAt.getTime() <= input.migrationWindowMs;
    if (!recent) return { repair: false, reason: 'not-recently-migrated' };
  }
  return { repair: true };
}
