/**
 * The scan's source through cPanel's API (`scan --via-api`, or when the files are not readable):
 * domains from WHM (`get_domain_info` + `listaccts` + `listzones`), zones from `parse_dns_zone`,
 * and cPanel's answer about DNS authority. Every call goes through the cPanel client, which spaces
 * them out at `cpanel.rateLimitPerSecond`.
 */
import type { Accounts, ZoneStore } from '../../ports';
import type { ScanSource } from './types';

export function apiScanSource(deps: {
  accounts: Pick<Accounts, 'listDomains' | 'localAuthority'>;
  zones: Pick<ZoneStore, 'readZone'>;
  dkimPublicKey?: (domain: string) => Promise<string | undefined>;
}): ScanSource {
  return {
    kind: 'api',
    listDomains: () => deps.accounts.listDomains(),
    readZone: async (zone) => ({ parsed: await deps.zones.readZone(zone) }),
    localAuthority: (domains) => deps.accounts.localAuthority(domains),
    ...(deps.dkimPublicKey ? { dkimPublicKey: deps.dkimPublicKey } : {}),
  };
}
