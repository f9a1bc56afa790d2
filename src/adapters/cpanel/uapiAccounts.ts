/**
 * Accounts as one cPanel user through UAPI (docs/reference/cpanel-api.md §7.4, §7.5): `DomainInfo::list_domains` and
 * `DNS::has_local_authority`. The user sees only their own domains; the hidden sub-domains behind addon
 * domains are already left out by cPanel. UAPI does not tell the account's owner (reseller) nor whether
 * it is suspended: `owner` is `''` and `suspended` absent.
 */
import type { Accounts, DomainInfo, LocalAuthority } from '../../ports';
import { normalizeDomain } from '../../zone/model';
import { cpanelError } from './failures';
import { toLocalAuthority } from './localAuthority';
import { listDomainsDataSchema, readPayload, uapiLocalAuthorityDataSchema } from './schemas';
import type { UapiApi } from './uapiApi';
import { assignZones, type DomainRow } from './zoneMap';

export class UapiAccounts implements Accounts {
  constructor(private readonly uapi: UapiApi) {}

  get user(): string {
    return this.uapi.user;
  }

  async listDomains(): Promise<DomainInfo[]> {
    const result = await this.uapi.call('DomainInfo', 'list_domains', {}, { step: 'read' });
    const data = readPayload(listDomainsDataSchema, result.data, 'DomainInfo::list_domains', 'read');
    const row = (domain: string, type: DomainRow['type']): DomainRow => ({ domain, user: this.user, owner: '', type });
    const rows: DomainRow[] = [
      row(data.main_domain, 'main'),
      ...(data.addon_domains ?? []).map((d) => row(d, 'addon')),
      ...(data.parked_domains ?? []).map((d) => row(d, 'parked')),
      ...(data.sub_domains ?? []).map((d) => row(d, 'sub')),
    ];
    return assignZones(rows, null);
  }

  async domainsOfUser(user: string): Promise<DomainInfo[]> {
    if (user !== this.user) {
      throw cpanelError('NOT_OWNED', `Acting as cPanel user “${this.user}”, the domains of “${user}” are not visible`, { step: 'read' });
    }
    return this.listDomains();
  }

  async findDomain(domain: string): Promise<DomainInfo | null> {
    const name = normalizeDomain(domain);
    return (await this.listDomains()).find((d) => d.domain === name) ?? null;
  }

  async localAuthority(domains: string[]): Promise<LocalAuthority[]> {
    if (domains.length === 0) return [];
    const result = await this.uapi.call('DNS', 'has_local_authority', { domain: domains.map(normalizeDomain) }, { step: 'read' });
    const data = readPayload(uapiLocalAuthorityDataSchema, result.data, 'DNS::has_local_authority', 'read');
    return (data ?? []).map(toLocalAuthority);
  }
}
