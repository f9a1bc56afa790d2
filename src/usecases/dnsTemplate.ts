/**
 * The server DNS template check and fix (Plesk: docs/reference/plesk.md §6.1). Every new domain gets
 * the template's records, so a `_mailchannels` TXT there that does not name the provider — an old
 * host's `auth=`, a block-all, several records — re-infects each domain created afterwards, however
 * often the zones are repaired. The check reports it; the fix puts the provider's record
 * (`v=mc1 auth=<authId>`) in its place, writing to the audit log first. No record at all is fine:
 * new domains then start without lockdown, which the zone checks report per domain.
 */
import type { Actor, AuditLog, DnsTemplate } from '../ports';
import { FixEmailAuthError } from '../errors';

export type TemplateState = 'absent' | 'current' | 'stale';

export interface TemplateReport {
  state: TemplateState;
  /** The template's `_mailchannels` TXT values. */
  values: string[];
  /** The record the fix leaves. */
  desired: string;
  message: string;
}

const authorizes = (value: string, authId: string) => {
  const tokens = value.trim().split(/\s+/);
  return tokens[0]?.toLowerCase() === 'v=mc1' && tokens.some((t) => t.toLowerCase() === `auth=${authId.toLowerCase()}`);
};

export async function checkDnsTemplate(template: DnsTemplate | undefined, authId: string): Promise<TemplateReport> {
  if (!template)
    throw new FixEmailAuthError('BAD_INPUT', "This server's panel has no DNS template the tool manages (Plesk only)", { step: 'read' });
  const values = await template.lockdownValues();
  const desired = `v=mc1 auth=${authId}`;
  if (values.length === 0)
    return { state: 'absent', values, desired, message: 'The DNS template holds no _mailchannels record; new domains start without one.' };
  if (values.length === 1 && authorizes(values[0]!, authId))
    return { state: 'current', values, desired, message: `The DNS template's _mailchannels record names the provider (${values[0]}).` };
  const shown = values.map((v) => `"${v}"`).join(', ');
  return {
    state: 'stale',
    values,
    desired,
    message: `The DNS template's _mailchannels record${values.length > 1 ? 's' : ''} ${shown} ${values.length > 1 ? 'do' : 'does'} not name the provider as the one record: every new domain gets ${values.length > 1 ? 'them' : 'it'}. Fix it with "plesk-template --fix".`,
  };
}

export async function fixDnsTemplate(
  ctx: { template: DnsTemplate | undefined; authId: string; audit: Pick<AuditLog, 'appendAudit'> },
  actor: Actor,
): Promise<TemplateReport> {
  const before = await checkDnsTemplate(ctx.template, ctx.authId);
  if (before.state !== 'stale') return before;
  ctx.audit.appendAudit({ actor, action: 'dns-template-fix', detail: { before: before.values, after: before.desired } });
  await ctx.template!.replaceLockdown(before.values, before.desired);
  const after = await checkDnsTemplate(ctx.template, ctx.authId);
  if (after.state !== 'current')
    throw new FixEmailAuthError('API_ERROR', `The DNS template still is not right after the fix: ${after.message}`, { step: 'verify' });
  return { ...after, message: `The DNS template now holds "${after.desired}" (was ${before.values.map((v) => `"${v}"`).join(', ')}).` };
}
