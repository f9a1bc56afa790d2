/**
 * What the Plesk simulator holds, in the shape of Plesk's own database (psa): clients, domains
 * (`domains` rows: main and additional domains and subdomains, plus `domain_aliases`), DNS zones
 * (`dns_zone`) and their records (`dns_recs`, host as an absolute name with the final dot, value
 * unquoted), and the server DNS template (`dns_recs_t`). Ids are integers that are never reused.
 * Facts: https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/retrieving-dns-records.34831
 */
import type { ZoneMode } from './seed';

export type ClientType = 'admin' | 'reseller' | 'customer';

export interface PleskClient {
  id: number;
  login: string;
  type: ClientType;
  /** The owner's client id (a customer's reseller or the admin); the admin owns itself. */
  ownerId: number;
  password: string;
  name: string;
  manageDns: boolean;
  guid: string;
}

/** `domain` = main or additional domain; the list of domains calls them all `domain` (+ `main`). */
export type DomainKind = 'domain' | 'subdomain' | 'alias';

export interface PleskDomain {
  id: number;
  name: string;
  kind: DomainKind;
  /** Main domain of its subscription (`main` in the domain list). */
  main: boolean;
  /** The subscription (`webspace-id`): the id of its main domain. */
  webspaceId: number;
  /** Subdomain → parent site; alias → the site it aliases. */
  parentId: number | null;
  ownerId: number;
  /** The zone holding this domain's records: its own, its parent's (subdomain), or none (alias without DNS). */
  zoneId: number | null;
  status: number;
  ip: string;
  guid: string;
}

export interface DnsZone {
  id: number;
  /** Zone apex without the final dot. */
  name: string;
  mode: ZoneMode;
  masters: string[];
  serial: number;
}

export interface DnsRecord {
  id: number;
  /** null: a record of the server DNS template. */
  zoneId: number | null;
  type: string;
  /** Absolute with the final dot (zones); with placeholders and the dot (template: `<domain>.`). */
  host: string;
  value: string;
  opt: string;
}

/** An action Plesk would report to event handlers (docs/reference/plesk.md §7.3: after the change, never for a failed action). */
export interface PleskEvent {
  action: string;
  objectId: number;
  newValues: Record<string, string>;
}
