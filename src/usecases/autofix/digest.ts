/**
 * The admin's digest: what the self-healing loop saw and did since the last one — new lockdown and
 * SPF rejections per domain, automatic repairs, repairs that failed, problems left for owners — with
 * links to the pages. Nothing happened, nothing is sent. The last digest is also kept for the admin's
 * self-healing page.
 */
import type { Notice, NoticeStore, SelfHealStore } from '../../adapters/store';
import type { NoticeMailer } from './notices';
import type { PageLinks } from './links';

export interface Digest {
  at: string;
  subject: string;
  text: string;
  counts: { rejectedDomains: number; rejections: number; repaired: number; failed: number; needsAction: number };
  mailedTo: string | null;
  mailError: string | null;
}

export interface DigestDeps {
  selfHeal: Pick<SelfHealStore, 'takeUndigestedRejections' | 'setState'>;
  notices: Pick<NoticeStore, 'takeUndigestedNotices'>;
  mailer: NoticeMailer | null;
  /** Where the digest goes (config `notify.adminTo`), or null to keep it on the page only. */
  adminTo: string | null;
  links: PageLinks;
  serverName: string;
  now: () => Date;
}

export const LAST_DIGEST_KEY = 'digest:last';

/** Most lines per section (the counts above them are always whole). */
const MAX_LINES = 50;

function section(title: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`  … and ${lines.length - MAX_LINES} more on the page`);
  return [title, ...shown, ''];
}

export function buildDigest(
  rejections: Array<{ domain: string; user: string | null; count: number; lastClass: string }>,
  notices: Notice[],
  links: PageLinks,
  serverName: string,
  now: Date,
): Omit<Digest, 'mailedTo' | 'mailError'> | null {
  if (rejections.length === 0 && notices.length === 0) return null;
  const of = (kind: Notice['kind']) => notices.filter((n) => n.kind === kind);
  const repaired = of('repaired');
  const failed = of('repair-failed');
  const needsAction = of('needs-action');
  const total = rejections.reduce((sum, r) => sum + r.count, 0);
  const counts = {
    rejectedDomains: rejections.length,
    rejections: total,
    repaired: repaired.length,
    failed: failed.length,
    needsAction: needsAction.length,
  };
  const line = (n: Notice) => `  ${n.domain} (account ${n.user}): ${n.message}\n    ${links.adminDomain(n.domain)}`;
  const text = [
    `Self-healing on ${serverName} since the last digest:`,
    `${total} lockdown/SPF rejection${total === 1 ? '' : 's'} from ${rejections.length} domain${rejections.length === 1 ? '' : 's'}, ` +
      `${repaired.length} repaired automatically, ${failed.length} automatic repair${failed.length === 1 ? '' : 's'} failed, ` +
      `${needsAction.length} left for the owner.`,
    '',
    ...section(
      'Automatic repairs that failed:',
      failed.map((n) => line(n)),
    ),
    ...section(
      'Repaired automatically (undo from History):',
      repaired.map((n) => line(n)),
    ),
    ...section(
      'Left for the account owner:',
      needsAction.map((n) => line(n)),
    ),
    ...section(
      'New rejections:',
      [...rejections]
        .sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain))
        .map((r) => `  ${r.domain}${r.user ? ` (account ${r.user})` : ' (not on this server)'}: ${r.count} × ${r.lastClass}`),
    ),
    `The self-healing page: ${links.adminSelfHeal()}`,
    '',
  ].join('\n');
  const subject = `[${serverName}] Mail authentication: ${repaired.length} repaired, ${failed.length} failed, ${total} rejection${total === 1 ? '' : 's'}`;
  return { at: now.toISOString(), subject, text, counts };
}

/** Build and send the digest of everything not yet in one; null when there was nothing to say. */
export async function sendDigest(deps: DigestDeps): Promise<Digest | null> {
  const rejections = deps.selfHeal.takeUndigestedRejections();
  const notices = deps.notices.takeUndigestedNotices();
  const built = buildDigest(rejections, notices, deps.links, deps.serverName, deps.now());
  if (!built) return null;
  const digest: Digest = { ...built, mailedTo: null, mailError: null };
  if (deps.adminTo && deps.mailer) {
    try {
      await deps.mailer.send({ to: [deps.adminTo], subject: digest.subject, text: digest.text });
      digest.mailedTo = deps.adminTo;
    } catch (err) {
      digest.mailError = (err as Error).message;
    }
  }
  deps.selfHeal.setState(LAST_DIGEST_KEY, JSON.stringify(digest));
  return digest;
}
