/**
 * `POST /domains/:domain/test-email` (docs/daemon-protocol.md): the "Send a test email" button of
 * the domain page. Sends through this server's MTA as the account that owns the domain (the user
 * themself, or the domain's owner when the admin asks), waits a bounded time for the result in the
 * Exim log, and shows it in plain words.
 *
 * Why it answers directly instead of starting a job: the bridges wait 30 s for an answer
 * (plugin/adminbin), and a delivery through MailChannels is decided in a second or two; when it is
 * not (a deferral, a busy queue), the page says the message is still on its way and gives its Exim
 * id. The wait stays under the bridges' limit.
 *
 * Abuse limits: one test in flight per account and at most `perHour` tests per account in any hour,
 * so the button cannot be turned into a mail cannon; the From address must be at the page's domain.
 */
import { Router, type Request, type Response } from 'express';
import type { EximMail } from '../../adapters/mail';
import { sendTestEmail, validateAddress } from '../../usecases/testEmail';
import { visibleDomain } from '../access';
import { field, requireRole, respond, type AppContext } from '../context';
import { HttpError } from '../httpErrors';

export interface TestEmailRouteOptions {
  /** The mail port (default: Exim through `paths.sendmail` / `paths.eximMainlog`). */
  mail?: EximMail;
  /** Longest wait for the result before answering (default 20 s; the bridges give up at 30 s). */
  waitMs?: number;
  /** Tests one account may send in any hour (default 20). */
  perHour?: number;
}

const DEFAULT_WAIT_MS = 20_000;
const DEFAULT_PER_HOUR = 20;
const HOUR_MS = 3_600_000;

export function testEmailRoutes(ctx: AppContext, options: TestEmailRouteOptions = {}): Router {
  const router = Router();
  const { services } = ctx;
  const config = services.config;
  let mail = options.mail;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const perHour = options.perHour ?? DEFAULT_PER_HOUR;
  const inFlight = new Set<string>();
  /** Send times of the last hour, per account (in memory: a restart forgives, which is fine for a limit). */
  const sent = new Map<string, number[]>();

  router.post('/domains/:domain/test-email', async (req: Request, res: Response) => {
    const identity = requireRole(res, 'user', 'admin');
    const info = await visibleDomain(ctx, identity, String(req.params.domain));
    const fromText = field(req.body, 'from', 300) ?? '';
    const toText = field(req.body, 'to', 300) ?? '';
    const from = validateAddress(fromText, 'from');
    validateAddress(toText, 'to');
    if (from.domain !== info.domain)
      throw new HttpError(400, `The sender must be an address at ${info.domain} (for example test@${info.domain}).`, 'BAD_INPUT');

    const account = info.user;
    const now = Date.now();
    const recent = (sent.get(account) ?? []).filter((t) => now - t < HOUR_MS);
    sent.set(account, recent);
    if (inFlight.has(account)) throw new HttpError(429, 'A test message of this account is still on its way; wait for its result.', 'BUSY');
    if (recent.length >= perHour)
      throw new HttpError(429, `This account sent ${perHour} test messages in the last hour; try again later.`, 'TOO_MANY');

    mail ??= services.mail;
    inFlight.add(account);
    recent.push(now);
    try {
      const result = await sendTestEmail(
        {
          accounts: services.accounts,
          mail,
          relayHost: config.provider.relayHost,
          provider: config.provider.authId,
          logPath: config.paths.eximMainlog,
        },
        { user: account, from: fromText, to: toText, timeoutMs: waitMs },
      );
      ctx.log({
        level: 'info',
        msg: 'test email',
        by: identity.user,
        role: identity.role,
        account,
        from: result.from,
        to: result.to,
        status: result.status,
        eximId: result.eximId,
      });
      respond(
        req,
        res,
        'test-email',
        { title: `Test message from ${info.domain}`, domain: info.domain, result, from: result.from, to: result.to },
        result,
      );
    } finally {
      inFlight.delete(account);
    }
  });

  return router;
}
