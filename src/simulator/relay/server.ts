/**
 * MailChannels relay double (docs/reference/mailchannels.md §11): an SMTP server on loopback that does what
 * `smtp.mailchannels.net` does to a hosting provider's outbound mail, as far as Domain Lockdown goes.
 *
 * - EHLO advertises `AUTH LOGIN PLAIN` (Exim's MailChannels authenticator uses LOGIN, §9); no TLS
 *   (STARTTLS is not offered, so Exim logs no `X=`/`CV=`). Mail without AUTH is refused (530).
 * - At the end of DATA: the domain of the header `From:` (envelope sender as a knob, and as the
 *   fallback when From: has no address) → TXT `_mailchannels.<domain>` over DNS → the lockdown
 *   rule (`lockdownRule.ts`) with the account id of the login and the sender ID
 *   `<account>|x-authuser|<X-AuthUser>` → 250, or exactly
 *   `550 5.7.1 This sender is not authorized to send from <domain>.` (§7.1).
 * - DNS trouble (timeout, SERVFAIL) → `451 4.4.3 …`: the real service's answer is not documented;
 *   a temporary failure is the only safe one, and makes Exim write a `==` defer line and retry.
 * - Every message that reached the end of DATA is recorded (accepted or not) for tests; accepted
 *   ones carry `X-MailChannels-SenderId` and `X-MailChannels-Auth-Id` as the real relay adds (§6).
 */
import type { AddressInfo } from 'net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { authUserHeader, domainOf, fromHeaderAddress, parseHeaderBlock } from './headers';
import { decideLockdown, relaySenderId, type LockdownDecision, type LockdownRuleOptions } from './lockdownRule';
import { TxtLookupError, type TxtLookup } from './txtLookup';

export interface RelayAccount {
  username: string;
  password: string;
  /** The MailChannels account id (`auth=` value, `X-MailChannels-Auth-Id`); default the username. */
  accountId?: string;
}

/** How the lockdown rejection is worded (§7.1 variation axes). */
export type RejectionVariant = 'period' | 'no-period' | 'link';

export interface RelayOptions {
  accounts: RelayAccount[];
  /** TXT lookup for `_mailchannels.<domain>` (e.g. `dnsTxtLookup` against the local PowerDNS). */
  lookupTxt: TxtLookup;
  /** Listen address (loopback only; default 127.0.0.1) and port (default 0: a free one). */
  host?: string;
  port?: number;
  rule?: LockdownRuleOptions;
  /** Which domain is checked: header From: (default, §5) or the envelope sender. */
  checkDomainOf?: 'header-from' | 'envelope';
  /** Message without (or with an empty) X-AuthUser: no sender ID (default), reject, or use the account id as identity. */
  missingAuthUser?: 'no-sender-id' | 'reject' | 'use-account-id';
  rejection?: RejectionVariant;
  /** Largest message accepted, bytes (default 10 MiB). */
  maxMessageBytes?: number;
}

export interface RelayedMessage {
  /** 'accepted' (250), 'rejected' (550 lockdown or policy), 'deferred' (451). */
  outcome: 'accepted' | 'rejected' | 'deferred';
  /** The reply line sent after DATA. */
  reply: string;
  /** The relay login (`auth` identity) and its account id. */
  username: string;
  accountId: string;
  envelope: { mailFrom: string; rcptTo: string[] };
  /** Domain whose `_mailchannels` record was checked (null when the message had none). */
  checkedDomain: string | null;
  fromHeader: string | null;
  authUser: string | null;
  senderId: string | null;
  /** TXT records found at `_mailchannels.<domain>` (strings joined). */
  records: string[];
  decision: LockdownDecision | null;
  /** The message as received; for accepted mail with the two X-MailChannels headers prepended. */
  raw: Buffer;
}

export interface Relay {
  readonly host: string;
  readonly port: number;
  readonly messages: readonly RelayedMessage[];
  accepted(): RelayedMessage[];
  /** Answer the end of DATA of every message with this temporary reply (e.g. `451 4.7.1 Try later`) until cleared. */
  setTemporaryFailure(reply: string | null): void;
  clear(): void;
  stop(): Promise<void>;
}

interface SessionUser {
  username: string;
  accountId: string;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The exact lockdown rejection text after the code (§7.1). */
export function rejectionText(domain: string, variant: RejectionVariant = 'period'): string {
  const base = `5.7.1 This sender is not authorized to send from ${domain}`;
  if (variant === 'no-period') return base;
  if (variant === 'link') return `${base}. See https://bit.ly/domain-lockdown.`;
  return `${base}.`;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost')
    throw new Error(`the relay double listens on loopback only, not ${host}`);
  const accounts = new Map(options.accounts.map((a) => [a.username, a]));
  const messages: RelayedMessage[] = [];
  let temporaryFailure: string | null = null;
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES;

  const onAuth = (
    auth: SMTPServerAuthentication,
    _session: SMTPServerSession,
    callback: (err: Error | null | undefined, response?: { user: SessionUser }) => void,
  ) => {
    const account = accounts.get(auth.username ?? '');
    if (!account || account.password !== auth.password) return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
    callback(null, { user: { username: account.username, accountId: account.accountId ?? account.username } });
  };

  async function judge(raw: Buffer, session: SMTPServerSession): Promise<RelayedMessage> {
    const user = session.user as unknown as SessionUser;
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const envelope = { mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address) };
    const fields = parseHeaderBlock(raw);
    const fromHeader = fromHeaderAddress(fields);
    const checkedDomain = options.checkDomainOf === 'envelope' ? domainOf(mailFrom) : (domainOf(fromHeader) ?? domainOf(mailFrom));
    let authUser = authUserHeader(fields);
    if (authUser === null && options.missingAuthUser === 'use-account-id') authUser = user.accountId;
    const senderId = relaySenderId(user.accountId, authUser);
    const base = { username: user.username, accountId: user.accountId, envelope, checkedDomain, fromHeader, authUser, senderId, raw };
    const answer = (
      outcome: RelayedMessage['outcome'],
      reply: string,
      records: string[] = [],
      decision: LockdownDecision | null = null,
    ): RelayedMessage => ({ ...base, outcome, reply, records, decision });

    if (temporaryFailure !== null) return answer('deferred', temporaryFailure);
    if (authUser === null && options.missingAuthUser === 'reject') return answer('rejected', '550 5.7.1 Missing X-AuthUser header.');
    if (checkedDomain === null) return answer('accepted', '250 2.0.0 Message accepted (no sender domain to check)');
    if (!/^[a-z0-9_.-]{1,253}$/.test(checkedDomain))
      return answer('rejected', `550 5.1.7 Invalid sender domain ${checkedDomain.slice(0, 80)}.`);

    let txt: string[][];
    try {
      txt = await options.lookupTxt(`_mailchannels.${checkedDomain}`);
    } catch (err) {
      const why = err instanceof TxtLookupError ? err.code : 'error';
      return answer('deferred', `451 4.4.3 Temporary DNS failure checking Domain Lockdown for ${checkedDomain} (${why}); try again later.`);
    }
    const records = txt.map((strings) => strings.join(''));
    const decision = decideLockdown(txt, { accountId: user.accountId, senderId }, options.rule);
    if (!decision.allowed) return answer('rejected', `550 ${rejectionText(checkedDomain, options.rejection)}`, records, decision);
    return answer('accepted', '250 2.0.0 Message accepted for delivery', records, decision);
  }

  const server = new SMTPServer({
    authMethods: ['LOGIN', 'PLAIN'],
    // No TLS in tests: AUTH over plain text on loopback, like the reference's real 4.96 line A (§2.6).
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    // Exim 4.96 sends QUIT right behind the final "." when the server offers PIPELINING; smtp-server
    // answers that QUIT (and closes) before our onData has replied, while we wait for DNS, and Exim
    // logs "Remote host closed connection in response to end of data". Without PIPELINING Exim
    // waits for the reply to the "." before it says QUIT.
    hidePIPELINING: true,
    banner: 'MailChannels relay double',
    size: maxBytes,
    logger: false,
    // Exim says QUIT after each delivery; a connection still open at stop() is cut after this long.
    closeTimeout: 500,
    onAuth,
    onData(stream, session, callback) {
      readAll(stream).then(
        async (raw) => {
          if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 Message too big'));
          const judged = await judge(raw, session);
          if (judged.outcome === 'accepted') {
            const extra = `X-MailChannels-SenderId: ${judged.senderId ?? ''}\r\nX-MailChannels-Auth-Id: ${judged.accountId}\r\n`;
            judged.raw = Buffer.concat([Buffer.from(extra, 'latin1'), raw]);
          }
          messages.push(judged);
          const code = Number(judged.reply.slice(0, 3));
          const text = judged.reply.slice(4);
          if (code >= 400) return callback(smtpError(code, text));
          callback(null, text);
        },
        (err: Error) => callback(smtpError(451, `4.3.0 ${err.message}`)),
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve((server.server.address() as AddressInfo).port));
  });

  return {
    host,
    port,
    messages,
    accepted: () => messages.filter((m) => m.outcome === 'accepted'),
    setTemporaryFailure: (reply) => {
      if (reply !== null && !/^4\d\d [245]\.\d{1,3}\.\d{1,3} \S/.test(reply))
        throw new Error(`a temporary failure must look like "451 4.7.1 text", not ${JSON.stringify(reply)}`);
      temporaryFailure = reply;
    },
    clear: () => {
      messages.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
