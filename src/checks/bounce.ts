/**
 * Pure classifier for one SMTP failure: a pasted bounce message or the error part of an Exim `**` / `==`
 * log line. Text in, verdict out; no I/O. Bounce classes are docs/design.md's vocabulary.
 *
 * Sources of each rule are cited next to it; where the exact text is unknown we match conservatively
 * and say so, because a wrong LOCKDOWN verdict would send a customer to edit DNS for nothing.
 */

export type BounceClass = 'LOCKDOWN_REJECTED' | 'SPF_REJECTED' | 'RECIPIENT_INVALID' | 'RATE_LIMITED' | 'DEFERRED' | 'OTHER';

export const BOUNCE_CLASSES: readonly BounceClass[] = [
  'LOCKDOWN_REJECTED',
  'SPF_REJECTED',
  'RECIPIENT_INVALID',
  'RATE_LIMITED',
  'DEFERRED',
  'OTHER',
];

export interface BounceVerdict {
  class: BounceClass;
  /** The domain the rejection names (lockdown), lower-cased without a final dot; else null. */
  domain: string | null;
  /** Basic reply code (RFC 5321 §4.2), e.g. "550". */
  smtpCode?: string;
  /** Enhanced status code (RFC 3463), e.g. "5.7.1". */
  enhancedCode?: string;
  /** The SMTP reply as sent by the remote server (multi-line replies joined by newlines), or the trimmed text. */
  reply: string;
  /** What happened, in plain English for a hosting customer. */
  explanation: string;
  /** What to do about it. */
  fix: string;
}

/** Longest text we look at: a bounce is a few KB; anything bigger is cut, never scanned whole. */
export const MAX_BOUNCE_TEXT = 64 * 1024;

/**
 * MailChannels Domain Lockdown rejection (docs/reference/mailchannels.md §7.2): only the exact phrase after
 * `550[ -]5.7.1` counts. `\S+?` (not a hostname class) because real reports carry `_` placeholders;
 * the lazy match plus the optional final dot strips the sentence's period.
 */
const LOCKDOWN_550 = /\b550[ -]5\.7\.1 This sender is not authorized to send from (\S+?)\.?(?=\s|$)/;

/** MailChannels' own SPF check (docs/reference/mailchannels.md §7.3: "550 5.7.1 [BFD] Sender prohibited by SPF"). */
const SPF_BFD = /\[BFD\] Sender prohibited by SPF/;

/**
 * First SMTP reply code in the text, optionally followed by an RFC 3463 enhanced code. The code must
 * stand alone (start of line, or after a space or "("), so that numbers inside addresses, ports and
 * TLS fields (`X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes`) do not count.
 */
const REPLY_CODE = /(?:^|[\s(])([245]\d\d)(?:[ -]([245])\.(\d{1,3})\.(\d{1,3}))?(?=[\s-]|$)/m;

/** An enhanced status code on its own (pasted bounces often show only "5.1.1"). */
const ENHANCED_ONLY = /(?:^|[\s(#])([245])\.(\d{1,3})\.(\d{1,3})(?=[\s):]|$)/m;

/**
 * Recipient does not exist. RFC 3463 §3.2: X.1.1 bad destination mailbox address, X.1.2 bad
 * destination system address, X.1.3 bad destination mailbox address syntax. The phrases are the
 * usual wording of Postfix ("User unknown in ... table"), Sendmail ("User unknown"), Exim
 * ("Unrouteable address" when no router accepts the address, e.g. a domain that does not exist)
 * and Gmail ("The email account that you tried to reach does not exist").
 */
const RECIPIENT_CODES = new Set(['1.1', '1.2', '1.3']);
const RECIPIENT_TEXT =
  /\buser unknown\b|\bunknown user\b|\bno such (?:user|recipient|mailbox|address)\b|\bUnrouteable address\b|\bmailbox (?:does not exist|not found)\b|\baccount that you tried to reach does not exist\b|\brecipient address rejected: (?:user unknown|undeliverable address)/i;

/**
 * cPanel's per-domain hourly limit and defer/fail protection. The reference (docs/reference/jetbackup-and-exim.md
 * §2.11) says the exact text cPanel logs is NOT confirmed; these two phrases are the ones support
 * forums quote ("Domain example.com has exceeded the max emails per hour (100/100 (100%)) allowed."
 * and "... has exceeded the max defers and failures per hour ..."). We match only those distinctive
 * fragments, never a bare "limit", so an unrelated failure is not mislabelled.
 */
const CPANEL_LIMIT_TEXT = /has exceeded the max emails per hour|max defers and failures/i;

/**
 * Rate texts on temporary replies (421/450/451/452, or enhanced 4.7.x policy): receivers' throttling
 * wording ("rate limit", Gmail's "unusual rate", "too many messages/connections", "quota exceeded").
 */
const RATE_TEXT =
  /\brate[- ]?limit|\bunusual rate\b|\brate of (?:unsolicited|messages|mail)|\btoo many (?:messages|mails|emails|connections|recipients|concurrent)|\b(?:sending|message|hourly|daily) (?:limit|quota)|\b(?:limit|quota) exceeded|\bexceeded [^.\n]{0,40}\b(?:limit|quota)\b|\bthrottl/i;

/**
 * Exim logs a multi-line SMTP reply on one line with a literal backslash-n between the reply lines
 * (docs/reference/jetbackup-and-exim.md §2.7); turn those back into real line breaks before matching so a domain
 * at the end of the first line is not glued to the next line's code.
 */
export function normalizeBounceText(text: string): string {
  const cut = text.length > MAX_BOUNCE_TEXT ? text.slice(0, MAX_BOUNCE_TEXT) : text;
  const lines = cut.includes('\\n') ? cut.replace(/\\n/g, '\n') : cut;
  return lines.includes('\r') ? lines.replace(/\r\n?/g, '\n') : lines;
}

/** Lockdown domain named in the text, or null. Lower-cased, final dot and stray quoting removed. */
export function lockdownDomain(text: string): string | null {
  const m = LOCKDOWN_550.exec(text);
  if (!m || m[1] === undefined) return null;
  const domain = m[1]
    .replace(/["'>),;]+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return domain === '' ? null : domain;
}

interface Codes {
  smtpCode?: string;
  enhancedCode?: string;
  /** Index in the text where the reply starts (the basic code), for `reply`. */
  at: number;
}

function findCodes(text: string): Codes {
  const m = REPLY_CODE.exec(text);
  if (m && m[1] !== undefined) {
    const codes: Codes = { smtpCode: m[1], at: m.index + m[0].indexOf(m[1]) };
    if (m[2] !== undefined) codes.enhancedCode = `${m[2]}.${m[3]}.${m[4]}`;
    else {
      const e = ENHANCED_ONLY.exec(text.slice(codes.at));
      if (e && e[1] === m[1][0]) codes.enhancedCode = `${e[1]}.${e[2]}.${e[3]}`;
    }
    return codes;
  }
  const e = ENHANCED_ONLY.exec(text);
  if (e) return { enhancedCode: `${e[1]}.${e[2]}.${e[3]}`, at: e.index + e[0].indexOf(`${e[1]}.`) };
  return { at: -1 };
}

/** The reply part of the text: from the first code to the end of that reply (continuation lines included). */
function replyText(text: string, codes: Codes): string {
  if (codes.at < 0) return text.trim().slice(0, 2000);
  const lines = text.slice(codes.at).split('\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line.trimEnd());
    // RFC 5321 §4.2.1: "NNN-" continues the reply, "NNN " ends it.
    if (!/^\s*\d{3}-/.test(line)) break;
  }
  return out.join('\n').trim().slice(0, 2000);
}

function classFor(text: string, codes: Codes): BounceClass {
  if (lockdownDomain(text) !== null) return 'LOCKDOWN_REJECTED';
  if (SPF_BFD.test(text)) return 'SPF_REJECTED';
  if (CPANEL_LIMIT_TEXT.test(text)) return 'RATE_LIMITED';
  const basicClass = codes.smtpCode?.[0] ?? codes.enhancedCode?.[0];
  const subject = codes.enhancedCode?.slice(2);
  const temporary = basicClass === '4';
  if (temporary) {
    if (RATE_TEXT.test(text)) return 'RATE_LIMITED';
    return 'DEFERRED';
  }
  const permanentOrUnknown = basicClass === '5' || basicClass === undefined;
  if (permanentOrUnknown && ((subject !== undefined && RECIPIENT_CODES.has(subject)) || RECIPIENT_TEXT.test(text)))
    return 'RECIPIENT_INVALID';
  return 'OTHER';
}

export interface BounceOptions {
  /** The hosting provider's MailChannels account id (config `provider.authId`), for the wording. */
  provider?: string;
}

function describe(cls: BounceClass, domain: string | null, provider?: string): { explanation: string; fix: string } {
  const d = domain ?? 'your domain';
  const account = provider ? `this server's MailChannels account "${provider}"` : `this server's MailChannels account`;
  switch (cls) {
    case 'LOCKDOWN_REJECTED':
      return {
        explanation:
          `MailChannels refused the message because the _mailchannels.${d} TXT record (Domain Lockdown) does not authorize ` +
          `${account}. This usually happens after a migration: the record still names the previous host.`,
        fix:
          `Click "Fix Email Authorization" in cPanel (Email section), or run "fix-email-auth fix ${d}", so the _mailchannels.${d} ` +
          `record authorizes this server; then send a test message.`,
      };
    case 'SPF_REJECTED':
      return {
        explanation: `MailChannels refused the message because the sender domain's SPF record does not allow MailChannels to send for it.`,
        fix: `Add "include:relay.mailchannels.net" to the SPF record (TXT "v=spf1 ...") of ${domain ?? 'the sending domain'}; "fix-email-auth diagnose ${domain ?? '<domain>'}" shows the record to publish.`,
      };
    case 'RECIPIENT_INVALID':
      return {
        explanation: `The receiving server says the recipient address does not exist.`,
        fix: `Check the recipient's address for typos and remove it from your lists if it is no longer valid. Your DNS settings are not the cause.`,
      };
    case 'RATE_LIMITED':
      return {
        explanation: `Sending was slowed or stopped because a sending limit was reached (this server's hourly or defer/fail limit, or the receiver's rate limit).`,
        fix: `Wait an hour and send again; if it keeps happening, ask your hosting provider to review the account's sending limits. Failed deliveries (for example lockdown rejections) count toward these limits, so fix those first.`,
      };
    case 'DEFERRED':
      return {
        explanation: `The receiving server answered with a temporary error; the server keeps retrying the delivery automatically.`,
        fix: `Usually nothing to do: delivery is retried for several days. If the same message is still deferred after a day, contact the recipient's mail administrator.`,
      };
    case 'OTHER':
      return {
        explanation: `The message was not delivered for a reason this tool does not recognise as a DNS or authentication problem.`,
        fix: `Read the receiving server's reply in the bounce message, or send the bounce to your hosting provider's support.`,
      };
  }
}

/** Classify one bounce text. Never throws; empty or unrelated text is OTHER. */
export function classifyBounce(text: string, options: BounceOptions = {}): BounceVerdict {
  const normalized = normalizeBounceText(typeof text === 'string' ? text : String(text));
  const codes = findCodes(normalized);
  const cls = classFor(normalized, codes);
  const domain = cls === 'LOCKDOWN_REJECTED' ? lockdownDomain(normalized) : null;
  const verdict: BounceVerdict = { class: cls, domain, reply: replyText(normalized, codes), ...describe(cls, domain, options.provider) };
  if (codes.smtpCode !== undefined) verdict.smtpCode = codes.smtpCode;
  if (codes.enhancedCode !== undefined) verdict.enhancedCode = codes.enhancedCode;
  return verdict;
}

/**
 * Only the class and the lockdown domain — what a log report needs per event, without building the
 * reply and advice texts (a busy log has many thousands of failures). Same rules as classifyBounce.
 */
export function bounceClassOf(text: string): { class: BounceClass; domain: string | null } {
  const normalized = normalizeBounceText(text);
  const domain = lockdownDomain(normalized);
  if (domain !== null) return { class: 'LOCKDOWN_REJECTED', domain };
  return { class: classFor(normalized, findCodes(normalized)), domain: null };
}

/** Human explanation and fix of a class for a domain (used by reports that aggregate many events). */
export function bounceAdvice(cls: BounceClass, domain: string | null, provider?: string): { explanation: string; fix: string } {
  return describe(cls, domain, provider);
}

/** Classes that mean the customer's DNS authentication is broken (CLI exit code 1). */
export function isAuthenticationFailure(cls: BounceClass): boolean {
  return cls === 'LOCKDOWN_REJECTED' || cls === 'SPF_REJECTED';
}
