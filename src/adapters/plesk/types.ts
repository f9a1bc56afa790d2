/**
 * Shapes of the Plesk adapter. A Plesk DNS record has an integer id (psa `dns_recs.id`) through the
 * XML API, and none through the CLI (`plesk bin dns --info` prints no ids); `key` is what the
 * compare-and-set guard compares: the id when there is one, else the record's content.
 */
import type { DomainType } from '../../ports';

export interface PleskRecord {
  /** `4537` (XML API id) or `txt:<sha256 of type/host/value/opt>` (CLI, no id). */
  key: string;
  /** The XML API id, or null through the CLI. */
  id: number | null;
  type: string;
  /** Absolute, lower-case, with the final dot: `_mailchannels.example.com.` */
  host: string;
  /** Unquoted, as Plesk stores it. */
  value: string;
  /** MX priority, SRV "priority weight port", else empty. */
  opt: string;
}

/** A record to add: `host` relative to the zone (`_mailchannels`), empty for the apex, as add_rec takes it. */
export interface NewRecord {
  type: string;
  host: string;
  value: string;
  opt?: string;
}

/** Where a zone's records are addressed: by site id or site-alias id (XML), and by name (CLI). */
export interface PleskZoneRef {
  /** Zone apex without the final dot. */
  zone: string;
  siteId?: number;
  aliasId?: number;
}

/** How a zone is served here (XML `<dns><get>`: zone type master/slave and status enabled/disabled). */
export type PleskZoneMode = 'primary' | 'secondary' | 'disabled';

export interface PleskZoneState {
  ref: PleskZoneRef;
  mode: PleskZoneMode;
  /** Secondary zones: the primary servers (`get_master_server`). */
  masters: string[];
}

/** One domain of the server mapped to the shared model (ports.ts `DomainInfo`) plus Plesk's ids. */
export interface PleskDomainInfo {
  domain: string;
  /** main (subscription's main domain), addon (additional domain), sub (subdomain), parked (alias). */
  type: DomainType;
  /** The customer login that owns the subscription (or the reseller/admin owning it directly). */
  user: string;
  /** The reseller that owns the customer, or `admin`. */
  owner: string;
  /** The subscription's main domain. */
  subscription: string;
  /** The zone that holds the domain's records; null for an alias without its own DNS zone. */
  zone: string | null;
  /** Address of that zone for the XML API. */
  zoneRef: PleskZoneRef | null;
  siteId: number | null;
  aliasId: number | null;
  /** Site status (gen_info): 0 active; anything else is suspended or disabled. Absent through the CLI. */
  suspended?: boolean;
}
