/**
 * UAPI `Email::list_pops`, `Email::add_pop` and `Email::delete_pop` as one cPanel user:
 * - list_pops (https://api.docs.cpanel.net/openapi/cpanel/operation/list_pops/): `{email, login,
 *   suspended_incoming, suspended_login}` per mailbox, then the main account's entry (`email` the
 *   user name, `login` "Main Account") unless `skip_main=1`; `regex` filters on the address.
 * - add_pop (https://api.docs.cpanel.net/openapi/cpanel/operation/add_pop): `email` is a local part
 *   (with `domain`, default the main domain) or a whole address; `password` is required; answers
 *   `data: "user+example.com"`.
 * - delete_pop: `email` and `domain` the same way; answers `data: null`.
 * The exact error texts of these three are not documented (messages.ts marks them unverified).
 */
import { requireArg, type UapiCall } from '../context';
import { SimApiError, type UapiSuccess } from '../envelopes';
import { messages } from '../messages';

function mailboxRow(email: string, login: string) {
  return { email, login, suspended_incoming: 0, suspended_login: 0 };
}

export async function listPops({ ctx, user, params }: UapiCall): Promise<UapiSuccess> {
  const rows = ctx.directory.mailboxesOf(user).map((m) => mailboxRow(m, m));
  if (params.get('skip_main') !== '1') rows.push(mailboxRow(user, 'Main Account'));
  const regex = params.get('regex');
  let pattern: RegExp | null = null;
  if (regex) {
    try {
      pattern = new RegExp(regex);
    } catch {
      throw new SimApiError(`The regular expression ${regex} is not valid.`);
    }
  }
  return { data: pattern ? rows.filter((r) => pattern.test(r.email)) : rows };
}

/** The whole address a call names, checked against the account's own domains. */
function addressOf({ ctx, user, params }: UapiCall): string {
  const email = requireArg(params, 'email').toLowerCase();
  const main = ctx.directory.account(user)?.domain ?? '';
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = (at >= 0 ? email.slice(at + 1) : (params.get('domain') ?? main)).toLowerCase();
  const address = `${local}@${domain}`;
  if (!/^[a-z0-9._+-]+$/.test(local) || local === 'cpanel') throw new SimApiError(messages.badMailboxName(address));
  const mailDomains = ctx.directory.domainsOf(user).filter((d) => !d.hiddenAddonBacking);
  if (!mailDomains.some((d) => d.domain === domain)) throw new SimApiError(messages.notYourMailDomain(domain));
  return address;
}

export async function addPop(call: UapiCall): Promise<UapiSuccess> {
  const address = addressOf(call);
  requireArg(call.params, 'password');
  if (call.ctx.directory.mailboxesOf(call.user).includes(address)) throw new SimApiError(messages.mailboxExists(address));
  call.ctx.directory.addMailbox(call.user, address);
  return { data: address.replace('@', '+') };
}

export async function deletePop(call: UapiCall): Promise<UapiSuccess> {
  const address = addressOf(call);
  if (!call.ctx.directory.removeMailbox(call.user, address)) throw new SimApiError(messages.noSuchMailbox(address));
  return { data: null };
}
