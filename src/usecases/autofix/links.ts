/**
 * Links to the plugin's pages for notices sent by mail. The cPanel page is the Jupiter plugin
 * `fix_email_auth/index.live.pl` (install.json) and the WHM page the CGI `cgi/fix_email_auth/index.cgi`
 * (plugin/whm/fix_email_auth.conf); both take the daemon route in `route=`. Without a `cpsess` session
 * token in the URL cPanel and WHM ask the reader to log in first.
 */
export interface PageLinks {
  /** The account owner's page of one domain. */
  userDomain(domain: string): string;
  /** The admin's self-healing page. */
  adminSelfHeal(): string;
  /** The admin's page of one domain. */
  adminDomain(domain: string): string;
}

export function pageLinks(bases: { cpanelUrl: string; whmUrl: string }): PageLinks {
  const cpanel = bases.cpanelUrl.replace(/\/+$/, '');
  const whm = bases.whmUrl.replace(/\/+$/, '');
  const user = (route: string) => `${cpanel}/frontend/jupiter/fix_email_auth/index.live.pl?route=${encodeURIComponent(route)}`;
  const admin = (route: string) => `${whm}/cgi/fix_email_auth/index.cgi?route=${encodeURIComponent(route)}`;
  return {
    userDomain: (domain) => user(`/domains/${encodeURIComponent(domain)}`),
    adminSelfHeal: () => admin('/admin/selfheal'),
    adminDomain: (domain) => admin(`/domains/${encodeURIComponent(domain)}`),
  };
}
