/**
 * The contact addresses of a cPanel account, from WHM `listaccts`' `email` field: cPanel fills it from
 * the cpuser file's CONTACTEMAIL, adding CONTACTEMAIL2 after ", ", and writes `*unknown*` when none is
 * set (cPanel 11.120 Whostmgr/Accounts/List.pm; https://api.docs.cpanel.net/openapi/whm/operation/listaccts/).
 */

/** A plain address we are willing to put in a To: header. */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export function contactAddresses(email: string | undefined | null): string[] {
  if (!email) return [];
  const out: string[] = [];
  for (const part of email.split(',')) {
    const address = part.trim();
    if (address.length <= 254 && ADDRESS.test(address) && !out.includes(address)) out.push(address);
  }
  return out;
}

/** Looks an account's contact addresses up through WHM (one `listaccts` call per account asked). */
export function createContactLookup(
  listAccounts: (query: {
    searchType: 'user';
    search: string;
    exact: true;
    want: string[];
  }) => Promise<Array<{ user: string; email?: string }>>,
) {
  return async (user: string): Promise<string[]> => {
    const accounts = await listAccounts({ searchType: 'user', search: user, exact: true, want: ['email'] });
    return contactAddresses(accounts.find((a) => a.user === user)?.email);
  };
}
