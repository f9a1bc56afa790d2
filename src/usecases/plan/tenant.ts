/**
 * The senders of one account, as MailChannels names them, for tenant mode (config
 * `lockdown.mode: tenant`, checks/lockdown/tenant.ts): the cPanel user's own mail (PHP and scripts:
 * Exim's authenticated id is the user) and every mailbox of the domain (SMTP AUTH: the login
 * `joe@example.com`), each as `<provider>|x-authuser|<identity>`
 * (https://docs.mailchannels.com/outbound/domain-lockdown). The user's ID follows the sender-ID
 * template when one is configured (a transport that appends `@hostname` changes it).
 */
import { normalizeDomain } from '../../zone/model';

export interface TenantIdentityInput {
  authId: string;
  senderIdTemplate?: string | undefined;
  user: string;
  domain: string;
  /** The account's mailbox logins (`user@domain`, all its domains: UAPI Email::list_pops). */
  mailboxes: readonly string[];
}

/** The user's sender ID first, then the domain's mailboxes in name order, without duplicates. */
export function tenantIdentities(input: TenantIdentityInput): string[] {
  const domain = normalizeDomain(input.domain);
  const own = input.senderIdTemplate ? input.senderIdTemplate.split('{user}').join(input.user) : `${input.authId}|x-authuser|${input.user}`;
  const boxes = input.mailboxes
    .map((m) => m.toLowerCase())
    .filter((m) => {
      const at = m.lastIndexOf('@');
      return at > 0 && m.slice(at + 1) === domain;
    })
    .sort()
    .map((m) => `${input.authId}|x-authuser|${m}`);
  return [...new Set([own, ...boxes])];
}
