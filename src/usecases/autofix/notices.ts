/**
 * Telling the account's owner: what happened to their domain's mail, what was done, and what to click
 * when nothing was. A notice is stored (the banner on their page reads it) and mailed to the account's
 * contact address, unless notices are off for the server (`notify.owners`) or the account (opt-out).
 * The store deduplicates: the same kind of notice about the same domain is made once per window.
 */
import type { Notice, NoticeKind, NoticeStore } from '../../adapters/store';
import type { Finding } from '../../checks/findings';
import type { HealOutcome } from './heal';
import type { PageLinks } from './links';

/** Sends one plain-text message (the local MTA in production). */
export interface NoticeMailer {
  send(mail: { to: readonly string[]; subject: string; text: string }): Promise<void>;
}

export interface OwnerNoticeDeps {
  notices: Pick<NoticeStore, 'addNotice' | 'markMailed' | 'isOptedOut'>;
  mailer: NoticeMailer | null;
  /** The account's contact addresses (cPanel's contact email), empty when none is set. */
  contactOf(user: string): Promise<string[]>;
  links: PageLinks;
  provider: string;
  /** Server-wide switch for mails to owners (the banner is always kept). */
  mailOwners: boolean;
  dedupeMs: number;
  /** Name of this server in subjects. */
  serverName: string;
}

const CLICK = (domain: string) =>
  `To fix it, log in to cPanel, open Email » Fix Email Authorization, choose ${domain} and press "Fix Email Authorization".`;

function firstProblem(findings: readonly Finding[], check: Finding['check']): Finding | undefined {
  return (
    findings.find((f) => f.check === check && f.severity === 'error') ?? findings.find((f) => f.check === check && f.severity !== 'ok')
  );
}

function recordsText(f: Finding | undefined): string {
  const values = (f?.records ?? []).map((r) => `"${r.value}"`);
  return values.length > 0 ? values.join(', ') : 'none';
}

/** The notice an outcome calls for, or null (nothing the owner needs to hear). */
export function noticeFor(outcome: HealOutcome, provider: string): { kind: NoticeKind; message: string; changeId?: number } | null {
  if (outcome.kind === 'repaired') {
    const { result, domain } = outcome;
    const before = recordsText(firstProblem(outcome.report.findings, 'lockdown'));
    const after = result.plan ? [...result.plan.edit, ...result.plan.add].map((r) => `"${r.data.join('')}"`).join(', ') : '';
    const message =
      `MailChannels was rejecting mail from ${domain} ("550 5.7.1 This sender is not authorized to send from ${domain}") ` +
      `because its Domain Lockdown record (${before}) did not name ${provider}. We changed it automatically to ${after} ` +
      `(change #${result.changeId ?? '?'}): a backup was taken first, and you can undo the change on the Fix Email Authorization page. ` +
      (result.verification?.summary ?? result.message);
    return { kind: 'repaired', message, ...(result.changeId !== undefined ? { changeId: result.changeId } : {}) };
  }
  if (outcome.kind === 'repair-failed') {
    const message = `We tried to repair the Domain Lockdown record of ${outcome.domain} automatically, but it did not work: ${outcome.result.message} ${CLICK(outcome.domain)} Your hosting provider has been told as well.`;
    return { kind: 'repair-failed', message, ...(outcome.result.changeId !== undefined ? { changeId: outcome.result.changeId } : {}) };
  }
  if (outcome.kind !== 'left') return null;
  const { domain, report, reason } = outcome;
  const lockdown = firstProblem(report.findings, 'lockdown');
  const spf = firstProblem(report.findings, 'spf');
  let message: string;
  if (reason === 'block-all') {
    message = `The Domain Lockdown record of ${domain} is "v=mc1" without any account, which makes MailChannels reject all mail from ${domain}. We never change such a record automatically, because it may be meant. If you do want to send mail from ${domain}: ${CLICK(domain)}`;
  } else if (reason === 'not-authoritative') {
    message = `Mail from ${domain} is being rejected, and its DNS is hosted elsewhere, so nothing can be changed here. The Fix Email Authorization page shows the record to publish at your DNS host.`;
  } else if (reason === 'not-stale') {
    const why = lockdown?.severity === 'error' ? lockdown : (spf ?? lockdown);
    message = `Mail from ${domain} is being rejected. ${why?.message ?? ''} Nothing was changed. ${CLICK(domain)}`;
  } else if (reason === 'ambiguous' || reason === 'manual') {
    message = `Mail from ${domain} is being rejected. ${lockdown?.message ?? ''} The records need a person to decide, so nothing was changed automatically. The Fix Email Authorization page shows the records and the suggested change; ${CLICK(domain)}`;
  } else {
    message = `Mail from ${domain} is being rejected by MailChannels because its Domain Lockdown record (${recordsText(lockdown)}) does not name ${provider}. Nothing was changed. ${CLICK(domain)}`;
  }
  return { kind: 'needs-action', message: message.replace(/\s+/g, ' ').trim() };
}

const SUBJECT: Record<NoticeKind, string> = {
  repaired: 'fixed automatically',
  'needs-action': 'needs your attention',
  'repair-failed': 'automatic repair failed',
};

/** Store the owner's notice (deduplicated) and mail it; null when there is nothing new to say. */
export async function tellOwner(deps: OwnerNoticeDeps, outcome: HealOutcome): Promise<Notice | null> {
  if (outcome.kind === 'not-on-server') return null;
  const wanted = noticeFor(outcome, deps.provider);
  if (!wanted) return null;
  const user = outcome.info.user;
  const notice = deps.notices.addNotice({ user, domain: outcome.domain, ...wanted }, deps.dedupeMs);
  if (!notice) return null;
  if (!deps.mailOwners || !deps.mailer) return notice;
  if (deps.notices.isOptedOut(user)) {
    deps.notices.markMailed(notice.id, { to: null, error: 'the account turned notice mails off' });
    return notice;
  }
  let to: string[] = [];
  try {
    to = await deps.contactOf(user);
    if (to.length === 0) {
      deps.notices.markMailed(notice.id, { to: null, error: 'the account has no contact email address' });
      return notice;
    }
    const text = [
      `Hello,`,
      '',
      notice.message,
      '',
      `Open it in cPanel: ${deps.links.userDomain(notice.domain)}`,
      '',
      `You receive this because you are the contact of the cPanel account "${user}" on ${deps.serverName}. To stop these mails, use "Stop these emails" on the Fix Email Authorization page.`,
      '',
    ].join('\n');
    await deps.mailer.send({ to, subject: `Mail from ${notice.domain}: ${SUBJECT[notice.kind]}`, text });
    deps.notices.markMailed(notice.id, { to: to.join(', ') });
  } catch (err) {
    deps.notices.markMailed(notice.id, { to: to.join(', ') || null, error: (err as Error).message });
  }
  return notice;
}
