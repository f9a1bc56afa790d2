/**
 * The mailboxes of one cPanel account through UAPI `Email::list_pops`
 * (https://api.docs.cpanel.net/openapi/cpanel/operation/list_pops/): each item carries `email` and
 * `login` (the address a mail client authenticates with, so Exim's authenticated id for SMTP AUTH
 * mail); `skip_main=1` leaves out the main account's entry, whose `login` is "Main Account"
 * (https://api.docs.cpanel.net/cpanel-api-2/cpanel-api-2-modules-email/cpanel-api-2-functions-email-listpops).
 */
import { z } from 'zod';
import { readPayload } from './schemas';
import type { UapiApi } from './uapiApi';

export const listPopsDataSchema = z
  .array(
    z.looseObject({
      email: z.string(),
      login: z.string().optional(),
    }),
  )
  .nullish();

/** The account's mailbox logins (`joe@example.com`), lower-case, in cPanel's order. */
export async function listMailboxes(uapi: UapiApi): Promise<string[]> {
  const result = await uapi.call('Email', 'list_pops', { skip_main: 1 }, { step: 'read' });
  const data = readPayload(listPopsDataSchema, result.data, 'Email::list_pops', 'read') ?? [];
  const logins = data.map((item) => (item.login?.includes('@') ? item.login : item.email)).filter((login) => login.includes('@'));
  return [...new Set(logins.map((login) => login.toLowerCase()))];
}
