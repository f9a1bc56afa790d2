/**
 * UAPI `DomainInfo::list_domains` (docs/reference/cpanel-api.md §7.4): the account's domains by kind. The hidden
 * sub-domains behind addon domains are left out, as cPanel does.
 */
import type { UapiCall } from '../context';
import type { UapiSuccess } from '../envelopes';

export async function listDomains({ ctx, user }: UapiCall): Promise<UapiSuccess> {
  const domains = ctx.directory.domainsOf(user);
  const of = (type: string) => domains.filter((d) => d.type === type && !d.hiddenAddonBacking).map((d) => d.domain);
  return {
    data: {
      main_domain: of('main')[0] ?? null,
      addon_domains: of('addon'),
      parked_domains: of('parked'),
      sub_domains: of('sub'),
    },
  };
}
