/**
 * "Send a test email" — the last step of the manual procedure (seed steps 4 and 6): send a message
 * through the server's own MTA as the cPanel user, so it takes the real path (Exim → MailChannels,
 * with the user's X-AuthUser), then read the Exim main log until it is delivered, bounced, or the
 * time is up, and say what happened in plain words (the relay's reply, classified like a bounce).
 *
 * Nothing is sent unless every input is valid: the user owns the From domain, and both addresses are
 * plain `local@domain` without anything that could change the message's header or sendmail's
 * arguments (line breaks, quotes, spaces, angle brackets, commas, a leading "-").
 */
import { randomBytes } from 'crypto';
import type { DeliveryState, FollowOptions, FollowResult, LogMark, MessageMatch } from '../adapters/mail/followLog';
import type { Submission } from '../adapters/mail/sendmail';
import { classifyBounce, type BounceVerdict } from '../checks/bounce';
import { FixEmailAuthError } from '../errors';
import type { Accounts, Clock } from '../ports';

export interface TestEmailInput {
  user: string;
  from: string;
  to: string;
  /** How long to follow the message in the log (default 60 s, at most 10 minutes). */
  timeoutMs?: number;
}

export interface TestEmailDeps {
  accounts: Pick<Accounts, 'domainsOfUser'>;
  mail: {
    submit(submission: Submission): Promise<void>;
    mark(): Promise<LogMark>;
    follow(mark: LogMark, match: MessageMatch, options: FollowOptions): Promise<FollowResult>;
  };
  /** The relay host as it appears in `H=` (config `provider.relayHost`, e.g. smtp.mailchannels.net). */
  relayHost: string;
  /** MailChannels account id, for the wording of advice. */
  provider?: string;
  /** Main log path, for messages. */
  logPath: string;
  clock?: Clock;
  /** Unique token for the Message-ID and subject (tests pass a fixed one). */
  token?: () => string;
}

export type TestEmailStatus = 'delivered' | 'bounced' | 'deferred' | 'queued' | 'not-in-log';

export interface TestEmailResult {
  status: TestEmailStatus;
  user: string;
  from: string;
  to: string;
  /** Message-ID header we set, without brackets. */
  messageId: string;
  subject: string;
  /** Exim's id for the message, once its arrival was seen. */
  eximId: string | null;
  /** The remote server's reply (`250 …`, `550 5.7.1 …`) without Exim's words around it, when the log has one. */
  reply: string | null;
  /** Remote host of the last attempt, and whether it is the MailChannels relay. */
  host: string | null;
  viaRelay: boolean | null;
  /** For a bounce or deferral: the classification (LOCKDOWN_REJECTED, SPF_REJECTED, …) with its advice. */
  verdict: BounceVerdict | null;
  /** One or two sentences for a person. */
  summary: string;
  /** What to do next, when something is wrong. */
  advice: string | null;
  timedOut: boolean;
  elapsedMs: number;
  logLines: string[];
}

export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
export const MAX_TEST_TIMEOUT_MS = 600_000;
const MAX_ADDRESS = 254;
const MAX_LOCAL = 64;
const USER = /^[a-z][a-z0-9_-]{0,31}$/;
/** The local part characters we accept: the common unquoted ones, nothing a header or shell treats specially. */
const LOCAL = /^[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function bad(message: string): FixEmailAuthError {
  return new FixEmailAuthError('BAD_INPUT', message, { step: 'input' });
}

/** `local@domain`, domain lower-cased; throws BAD_INPUT with the reason. */
export function validateAddress(value: unknown, label: string): { address: string; local: string; domain: string } {
  if (typeof value !== 'string' || value === '') throw bad(`${label}: an e-mail address is required.`);
  if (value.length > MAX_ADDRESS) throw bad(`${label}: the address is longer than ${MAX_ADDRESS} characters.`);
  if (/[\r\n]/.test(value)) throw bad(`${label}: the address contains a line break.`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw bad(`${label}: the address contains control characters.`);
  if (/["'`]/.test(value)) throw bad(`${label}: the address contains a quote; only plain addresses like name@example.com are accepted.`);
  if (/\s/.test(value)) throw bad(`${label}: the address contains a space.`);
  if (/[<>(),;:\\[\]]/.test(value)) throw bad(`${label}: give the bare address (name@example.com), without a name, brackets or a list.`);
  if (/[^\x21-\x7e]/.test(value))
    throw bad(`${label}: only ASCII addresses are accepted (write an internationalized domain in its xn-- form).`);
  const at = value.indexOf('@');
  if (at < 0 || at !== value.lastIndexOf('@')) throw bad(`${label}: "${value}" is not of the form name@example.com.`);
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length === 0 || local.length > MAX_LOCAL || !LOCAL.test(local) || local.includes('..')) {
    throw bad(`${label}: the part before "@" may hold letters, digits and . _ % + - (not at its start or end, no "..").`);
  }
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    throw bad(`${label}: "${domain}" is not a domain name.`);
  return { address: `${local}@${domain}`, local, domain };
}

export function validateUser(value: unknown): string {
  if (typeof value !== 'string' || !USER.test(value))
    throw bad('user: a cPanel user name (lower-case letters, digits, "_" or "-", starting with a letter) is required.');
  return value;
}

function validateTimeout(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_TEST_TIMEOUT_MS;
  if (!Number.isFinite(ms) || ms < 1000 || ms > MAX_TEST_TIMEOUT_MS) throw bad(`timeout: between 1 s and ${MAX_TEST_TIMEOUT_MS / 1000} s.`);
  return ms;
}

/** RFC 5322 §3.3 date, e.g. "Sun, 29 Nov 2026 00:38:19 +0000". */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export function buildTestMessage(p: { from: string; to: string; user: string; messageId: string; subject: string; date: Date }): string {
  return [
    `From: ${p.from}`,
    `To: ${p.to}`,
    `Subject: ${p.subject}`,
    `Date: ${rfc5322Date(p.date)}`,
    `Message-ID: <${p.messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    'Auto-Submitted: auto-generated',
    '',
    `This is a test message from Fix Email Authorization, sent as the cPanel user ${p.user}`,
    `to check that mail from ${p.from} is accepted by the outgoing relay.`,
    '',
    'You can delete it.',
    '',
  ].join('\n');
}

function isRelay(result: FollowResult, relayHost: string): boolean {
  const want = relayHost.toLowerCase();
  return result.host?.toLowerCase() === want || result.hostIp === relayHost;
}

function describeOutcome(
  result: FollowResult,
  ctx: { from: string; to: string; domain: string; relayHost: string; provider?: string; timeoutMs: number; logPath: string },
) {
  const seconds = Math.round(ctx.timeoutMs / 1000);
  const reply = result.reply ? ` The server answered: "${result.reply}".` : '';
  const state: DeliveryState = result.state;
  if (state === 'delivered') {
    const viaRelay = isRelay(result, ctx.relayHost);
    if (!viaRelay) {
      return {
        status: 'delivered' as const,
        viaRelay,
        verdict: null,
        summary: `Delivered to ${ctx.to}, but not through ${ctx.relayHost} (it went to ${result.host ?? 'a local mailbox'}), so this says nothing about Domain Lockdown.`,
        advice: `Send the test to an address outside this server (for example a webmail account) to check the path through MailChannels.`,
      };
    }
    return {
      status: 'delivered' as const,
      viaRelay,
      verdict: null,
      summary: `Delivered: ${ctx.relayHost} accepted the message from ${ctx.from}.${reply}`,
      advice: null,
    };
  }
  if (state === 'bounced' || state === 'deferred') {
    const verdict = classifyBounce(result.reply ?? '', ctx.provider ? { provider: ctx.provider } : {});
    const cls = state === 'deferred' && verdict.class === 'OTHER' ? 'DEFERRED' : verdict.class;
    // Exim's wording around it ("SMTP error from remote mail server after end of data:") is in the log lines.
    const reply = verdict.reply ? ` The server answered: "${verdict.reply}".` : '';
    const head =
      state === 'bounced'
        ? `Rejected: the message from ${ctx.from} was refused${result.host ? ` by ${result.host}` : ''}.`
        : `Delayed: the message is still waiting after ${seconds} s; the last attempt failed temporarily, and the server keeps retrying.`;
    return {
      status: state,
      viaRelay: result.host === null ? null : isRelay(result, ctx.relayHost),
      verdict: { ...verdict, class: cls },
      summary: `${head}${reply} ${verdict.explanation}`,
      advice: verdict.fix,
    };
  }
  if (state === 'queued') {
    return {
      status: 'queued' as const,
      viaRelay: null,
      verdict: null,
      summary: `No result within ${seconds} s: the message (Exim id ${result.eximId}) is in the mail queue and has not been delivered yet.`,
      advice: 'Run the test again with a longer timeout, or look for the message id in the mail log later.',
    };
  }
  return {
    status: 'not-in-log' as const,
    viaRelay: null,
    verdict: null,
    summary: `The message was handed to the mail server, but it did not show up in ${ctx.logPath} within ${seconds} s.`,
    advice:
      'Check that the configured mail log (paths.eximMainlog) is the one Exim writes to, and that the server is not holding outgoing mail for this account.',
  };
}

export async function sendTestEmail(deps: TestEmailDeps, input: TestEmailInput): Promise<TestEmailResult> {
  const user = validateUser(input.user);
  const from = validateAddress(input.from, 'from');
  const to = validateAddress(input.to, 'to');
  const timeoutMs = validateTimeout(input.timeoutMs);

  const owned = (await deps.accounts.domainsOfUser(user)).map((d) => d.domain.toLowerCase());
  if (owned.length === 0)
    throw new FixEmailAuthError('UNKNOWN_DOMAIN', `The cPanel user "${user}" has no domains on this server.`, { step: 'input' });
  if (!owned.includes(from.domain)) {
    const list = owned.slice(0, 10).join(', ') + (owned.length > 10 ? ', …' : '');
    throw new FixEmailAuthError(
      'NOT_OWNED',
      `${from.domain} is not a domain of ${user}; send from an address of one of ${user}'s domains (${list}).`,
      { step: 'input' },
    );
  }

  const clock = deps.clock ?? { now: () => new Date() };
  const token = (deps.token ?? (() => randomBytes(8).toString('hex')))();
  if (!/^[A-Za-z0-9-]{6,40}$/.test(token)) throw new FixEmailAuthError('INTERNAL', 'bad test message token', { step: 'mail' });
  const messageId = `fea-test-${token}@${from.domain}`;
  const subject = `Fix Email Authorization test ${token}`;
  const message = buildTestMessage({ from: from.address, to: to.address, user, messageId, subject, date: clock.now() });

  // Mark the log before sending, so the arrival cannot be missed however fast delivery is.
  const mark = await deps.mail.mark();
  const started = Date.now();
  await deps.mail.submit({ user, envelopeFrom: from.address, message });
  const followed = await deps.mail.follow(mark, { messageId, subjectMarker: token }, { timeoutMs });
  const outcome = describeOutcome(followed, {
    from: from.address,
    to: to.address,
    domain: from.domain,
    relayHost: deps.relayHost,
    provider: deps.provider,
    timeoutMs,
    logPath: deps.logPath,
  });
  return {
    ...outcome,
    user,
    from: from.address,
    to: to.address,
    messageId,
    subject,
    eximId: followed.eximId,
    reply: outcome.verdict?.reply || followed.reply,
    host: followed.host,
    timedOut: followed.timedOut,
    elapsedMs: Date.now() - started,
    logLines: followed.lines,
  };
}
