/**
 * Plesk behind the proposed `Panel` port (panel.ts): domains, zones with a version, guarded writes,
 * authority, backup — over the XML API with an API key, or over `plesk bin` when there is none.
 */
import { FixEmailAuthError } from '../../errors';
import type { LocalAuthority } from '../../ports';
import { normalizeDomain, type MassEditAdd } from '../../zone/model';
import { XmlAuthority } from './authority';
import { CliInventory } from './cliInventory';
import type { PleskDns } from './dns';
import { applyGuarded } from './guard';
import { XmlInventory } from './inventory';
import type { Panel, PanelBackup, PanelChange, PanelDomain, PanelWriteOutcome, PanelZone } from './panel';
import type { NewRecord, PleskDomainInfo, PleskZoneMode, PleskZoneRef } from './types';
import { ASSUMED_TTL, fromZoneRecord, toZoneModel, zoneVersion } from './zone';

export interface PleskSources {
  dns: PleskDns;
  /** XML API inventory and authority (API key), or the CLI's. */
  inventory: XmlInventory | CliInventory;
  authority: XmlAuthority | null;
  backup: PanelBackup | null;
}

function toPanelDomain(info: PleskDomainInfo): PanelDomain {
  return {
    domain: info.domain,
    user: info.user,
    owner: info.owner,
    type: info.type,
    zone: info.zone ?? info.domain,
    subscription: info.subscription,
    ...(info.suspended !== undefined ? { suspended: info.suspended } : {}),
  };
}

/** `_mailchannels` (relative), `_mailchannels.example.com.` (absolute) or the apex → add_rec's relative host. */
export function relativeHost(dname: string, zone: string): string {
  const z = normalizeDomain(zone);
  const name = dname.toLowerCase();
  if (name === '@' || name === `${z}.` || name === z) return '';
  if (!name.endsWith('.')) return name;
  if (name.endsWith(`.${z}.`)) return name.slice(0, -(z.length + 2));
  throw new FixEmailAuthError('BAD_INPUT', `${dname} is not a name in the zone ${z}`, { step: 'plan' });
}

function toNewRecord(add: MassEditAdd, zone: string): NewRecord {
  const type = add.record_type.toUpperCase();
  const host = relativeHost(add.dname, zone);
  if (type === 'TXT') return { type, host, value: Buffer.from(add.data.join(''), 'latin1').toString('utf8') };
  if (type === 'MX') return { type, host, value: add.data[1] ?? '', opt: add.data[0] ?? '10' };
  return { type, host, value: add.data.join(' ') };
}

export class PleskPanel implements Panel {
  readonly kind = 'plesk' as const;
  private domains: PleskDomainInfo[] | null = null;
  private cliModes = new Map<string, PleskZoneMode | null>();

  constructor(private readonly sources: PleskSources) {}

  get backup(): PanelBackup | null {
    return this.sources.backup;
  }

  /** The DNS reader/writer under the guard (XML API or CLI), for the DNS export backup. */
  get dns(): PleskDns {
    return this.sources.dns;
  }

  /** The server's domains with Plesk's ids (fresh from Plesk each call; cached for zone lookups). */
  async pleskDomains(): Promise<PleskDomainInfo[]> {
    const { inventory } = this.sources;
    if (inventory instanceof XmlInventory) this.domains = await inventory.listDomains();
    else {
      const sites = await inventory.sites();
      this.cliModes = new Map(sites.map((s) => [s.info.domain, s.mode]));
      this.domains = sites.map((s) => s.info);
    }
    return this.domains;
  }

  async listDomains(): Promise<PanelDomain[]> {
    return (await this.pleskDomains()).map(toPanelDomain);
  }

  async domainsOfUser(user: string): Promise<PanelDomain[]> {
    return (await this.listDomains()).filter((d) => d.user === user);
  }

  async findDomain(domain: string): Promise<PanelDomain | null> {
    const name = normalizeDomain(domain);
    return (await this.listDomains()).find((d) => d.domain === name) ?? null;
  }

  /** The zone's address: from the last listing, listing again once when it is not there. */
  async zoneRef(zone: string): Promise<PleskZoneRef> {
    const name = normalizeDomain(zone);
    const find = () =>
      this.domains?.find((d) => d.zoneRef?.zone === name && (d.type === 'main' || d.type === 'addon' || d.type === 'parked'))?.zoneRef;
    const ref = find() ?? (await this.pleskDomains(), find());
    if (!ref) throw new FixEmailAuthError('UNKNOWN_DOMAIN', `No Plesk domain has a DNS zone named ${name}`, { step: 'read' });
    return ref;
  }

  async readZone(zone: string): Promise<PanelZone> {
    const ref = await this.zoneRef(zone);
    const records = await this.sources.dns.readZone(ref);
    const version = zoneVersion(records);
    return { model: toZoneModel({ name: ref.zone, version, records }), version };
  }

  async writeChange(change: PanelChange): Promise<PanelWriteOutcome> {
    const ref = await this.zoneRef(change.zone);
    const kind = this.sources.dns.kind;
    const expected = change.expected.map((r) => fromZoneRecord(r, kind));
    const remove = change.remove.map((lineIndex) => {
      const record = change.expected.find((r) => r.lineIndex === lineIndex);
      if (!record)
        throw new FixEmailAuthError('BAD_INPUT', `The change removes record ${lineIndex}, which is not among the records it read`, {
          step: 'plan',
        });
      return fromZoneRecord(record, kind).key;
    });
    const add = change.add.map((a) => toNewRecord(a, ref.zone));
    const outcome = await applyGuarded(this.sources.dns, { ref, expected, remove, add });
    const notes = change.add.some((a) => a.ttl !== ASSUMED_TTL)
      ? [
          `Plesk's DNS interfaces set no TTL per record: the zone's default TTL applies, not ${[...new Set(change.add.map((a) => a.ttl))].join('/')} s`,
        ]
      : [];
    if (outcome.alreadyGone.length > 0) notes.push(`${outcome.alreadyGone.length} record(s) were already deleted by someone else`);
    return { version: zoneVersion(outcome.zoneAfter), consistent: outcome.consistent, notes };
  }

  async authority(domains: string[]): Promise<LocalAuthority[]> {
    const all = this.domains ?? (await this.pleskDomains());
    const targets = domains.map((domain) => {
      const info = all.find((d) => d.domain === normalizeDomain(domain));
      return { domain: normalizeDomain(domain), ref: info?.zoneRef ?? null, info };
    });
    if (this.sources.authority) return this.sources.authority.of(targets);
    return targets.map(({ domain, info }) => {
      const mode = info?.zone ? (this.cliModes.get(info.domain) ?? null) : null;
      return { domain, zone: info?.zone ?? domain, local: mode === null ? null : mode === 'primary', nameservers: [] };
    });
  }
}
