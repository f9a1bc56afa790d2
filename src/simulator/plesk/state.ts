/**
 * The Plesk simulator's database: accounts, domains, zones, records, the DNS template, and the
 * event list. Operations are synchronous and report which zones they changed; the server writes
 * those zones' files and reloads PowerDNS afterwards (what Plesk's `dnsmng update` does).
 */
import { createHash } from 'crypto';
import type { DnsRecord, DnsZone, PleskClient, PleskDomain, PleskEvent } from './model';
import { checkRelativeHost, checkValue, ERR } from './records';
import { DEFAULT_TEMPLATE, type PleskRecordSpec, type PleskSeed, type PleskZoneSpec } from './seed';

export type ServerSpec = PleskSeed['server'];

function guidOf(kind: string, id: number): string {
  const hex = createHash('sha256').update(`${kind}:${id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `www` + `example.com` → `www.example.com.`; empty or `@` → `example.com.` */
export function absoluteHost(relative: string, zone: string): string {
  return relative === '' || relative === '@' ? `${zone}.` : `${relative}.${zone}.`;
}

export class PleskState {
  readonly clients = new Map<number, PleskClient>();
  readonly domains = new Map<number, PleskDomain>();
  readonly zones = new Map<number, DnsZone>();
  readonly records = new Map<number, DnsRecord>();
  readonly events: PleskEvent[] = [];
  readonly adminId: number;
  private readonly next = { client: 1, domain: 1, zone: 1, record: 1 };
  /** While a zone is being made from the template: no serial bumps, no `domain_dns_update` events. */
  private creating = false;

  constructor(
    readonly server: ServerSpec,
    adminPassword: string,
    private readonly nowSeconds: () => number,
  ) {
    this.adminId = this.addClient({ login: 'admin', type: 'admin', owner: 'admin', password: adminPassword, name: 'Administrator' });
  }

  // ---------------------------------------------------------------- accounts

  addClient(spec: {
    login: string;
    type: PleskClient['type'];
    owner: string;
    password: string;
    name: string;
    manageDns?: boolean;
  }): number {
    if (this.clientByLogin(spec.login)) throw new Error(`Plesk login ${spec.login} exists twice`);
    const id = this.next.client++;
    const ownerId = spec.type === 'admin' ? id : (this.clientByLogin(spec.owner)?.id ?? this.adminId);
    this.clients.set(id, {
      id,
      login: spec.login,
      type: spec.type,
      ownerId,
      password: spec.password,
      name: spec.name,
      manageDns: spec.manageDns ?? true,
      guid: guidOf('client', id),
    });
    return id;
  }

  clientByLogin(login: string): PleskClient | undefined {
    for (const client of this.clients.values()) if (client.login === login) return client;
    return undefined;
  }

  // ---------------------------------------------------------------- domains

  domainByName(name: string): PleskDomain | undefined {
    const lower = name.toLowerCase().replace(/\.$/, '');
    for (const domain of this.domains.values()) if (domain.name === lower) return domain;
    return undefined;
  }

  /** A subscription: its main domain and that domain's zone from the template. Returns the domain id. */
  addSubscription(name: string, ownerLogin: string, ip: string, status = 0, zoneSpec?: PleskZoneSpec): { id: number; zones: number[] } {
    const owner = this.clientByLogin(ownerLogin);
    if (!owner) throw ERR.noObject(`Client ${ownerLogin}`);
    const id = this.newDomain(name, 'domain', true, 0, null, owner.id, ip, status);
    const domain = this.domains.get(id) as PleskDomain;
    domain.webspaceId = id;
    domain.zoneId = this.newZone(name, ip, zoneSpec);
    this.emit('domain_create', id, { 'Domain Name': name });
    return { id, zones: [domain.zoneId] };
  }

  /** An additional domain, subdomain or alias in the subscription whose main domain is `webspaceId`. */
  addDomain(
    webspaceId: number,
    spec: { name: string; type: 'additional' | 'subdomain' | 'alias'; parent?: string; manageDns?: boolean },
    zoneSpec?: PleskZoneSpec,
  ): { id: number; zones: number[] } {
    const main = this.domains.get(webspaceId);
    if (!main || !main.main) throw ERR.noObject('Webspace');
    if (this.domainByName(spec.name)) throw new Error(`domain ${spec.name} exists twice`);
    const parent = spec.parent ? this.domainByName(spec.parent) : main;
    if (!parent || parent.kind === 'alias') throw ERR.noDomain();
    if (spec.type === 'additional') {
      const id = this.newDomain(spec.name, 'domain', false, webspaceId, null, main.ownerId, main.ip, 0);
      const zoneId = this.newZone(spec.name, main.ip, zoneSpec);
      (this.domains.get(id) as PleskDomain).zoneId = zoneId;
      this.emit('site_create', id, { 'Domain Name': spec.name });
      return { id, zones: [zoneId] };
    }
    if (spec.type === 'subdomain') {
      // A subdomain's records live in its parent's zone (docs/reference/plesk.md §6: separate subdomain zones unverified).
      const id = this.newDomain(spec.name, 'subdomain', false, webspaceId, parent.id, main.ownerId, main.ip, 0);
      const zoneId = parent.zoneId;
      (this.domains.get(id) as PleskDomain).zoneId = zoneId;
      if (zoneId !== null) {
        const zone = this.zones.get(zoneId) as DnsZone;
        const relative = spec.name.endsWith(`.${zone.name}`) ? spec.name.slice(0, -(zone.name.length + 1)) : spec.name;
        this.insertRecord(zoneId, 'A', relative, main.ip, '');
        this.insertRecord(zoneId, 'CNAME', `www.${relative}`, `${spec.name}.`, '');
      }
      this.emit('subdomain_create', id, { 'Subdomain Name': spec.name });
      return { id, zones: zoneId === null ? [] : [zoneId] };
    }
    const id = this.newDomain(spec.name, 'alias', false, webspaceId, parent.id, main.ownerId, main.ip, 0);
    const zoneId = spec.manageDns === false ? null : this.newZone(spec.name, main.ip, zoneSpec);
    (this.domains.get(id) as PleskDomain).zoneId = zoneId;
    this.emit('domain_alias_create', id, { 'Domain Alias Name': spec.name });
    return { id, zones: zoneId === null ? [] : [zoneId] };
  }

  private newDomain(
    name: string,
    kind: PleskDomain['kind'],
    main: boolean,
    webspaceId: number,
    parentId: number | null,
    ownerId: number,
    ip: string,
    status: number,
  ): number {
    const id = this.next.domain++;
    this.domains.set(id, { id, name, kind, main, webspaceId, parentId, ownerId, zoneId: null, status, ip, guid: guidOf('domain', id) });
    return id;
  }

  // ---------------------------------------------------------------- zones and records

  private newZone(name: string, ip: string, spec?: PleskZoneSpec): number {
    const id = this.next.zone++;
    this.zones.set(id, { id, name, mode: spec?.mode ?? 'primary', masters: [...(spec?.masters ?? [])], serial: this.server.firstSerial });
    const skip = (r: { type: string; host: string }) => (spec?.without ?? []).some((w) => w.type === r.type && w.host === r.host);
    this.creating = true;
    try {
      this.fillZone(id, name, ip, spec, skip);
    } finally {
      this.creating = false;
    }
    return id;
  }

  private fillZone(
    id: number,
    name: string,
    ip: string,
    spec: PleskZoneSpec | undefined,
    skip: (r: { type: string; host: string }) => boolean,
  ): void {
    for (const template of this.templateRecords()) {
      const relative = template.host === '<domain>.' ? '' : template.host.replace(/\.<domain>\.$/, '');
      if (skip({ type: template.type, host: relative })) continue;
      const value = template.value.split('<domain>').join(name).split('<ip>').join(ip);
      this.insertRecord(id, template.type, relative, value, template.opt);
    }
    for (const record of spec?.records ?? [])
      this.insertRecord(id, record.type, record.host === '@' ? '' : record.host, record.value, record.opt);
  }

  zoneByName(name: string): DnsZone | undefined {
    for (const zone of this.zones.values()) if (zone.name === name) return zone;
    return undefined;
  }

  /** Records of a zone (or of the template, `null`), in id order. */
  recordsOf(zoneId: number | null): DnsRecord[] {
    return [...this.records.values()].filter((r) => r.zoneId === zoneId).sort((a, b) => a.id - b.id);
  }

  templateRecords(): DnsRecord[] {
    return this.recordsOf(null);
  }

  /** Seed the template: relative hosts become `<host>.<domain>.` as Plesk stores them. */
  setTemplate(specs: readonly PleskRecordSpec[] | undefined): void {
    for (const record of this.templateRecords()) this.records.delete(record.id);
    const hostname = this.server.hostname;
    for (const spec of specs ?? DEFAULT_TEMPLATE) {
      const id = this.next.record++;
      const host = spec.host === '' || spec.host === '@' ? '<domain>.' : `${spec.host}.<domain>.`;
      this.records.set(id, {
        id,
        zoneId: null,
        type: spec.type,
        host,
        value: spec.value.split('<hostname>').join(hostname),
        opt: spec.opt,
      });
    }
  }

  /**
   * add_rec: `relative` is appended to the zone name whatever it holds (a full name typed there
   * ends up as `name.zone.zone.`, the misplaced record a migration leaves behind).
   */
  insertRecord(zoneId: number | null, type: string, relative: string, value: string, opt: string): DnsRecord {
    checkRelativeHost(relative);
    checkValue(type, value, opt);
    const host =
      zoneId === null
        ? relative === ''
          ? '<domain>.'
          : `${relative}.<domain>.`
        : absoluteHost(relative, (this.zones.get(zoneId) as DnsZone).name);
    const clash = this.recordsOf(zoneId).some(
      (r) => r.type === type && r.host.toLowerCase() === host.toLowerCase() && r.value === value && r.opt === opt,
    );
    if (clash) throw ERR.exists();
    const id = this.next.record++;
    const record: DnsRecord = { id, zoneId, type, host, value, opt };
    this.records.set(id, record);
    if (zoneId !== null) this.touch(zoneId);
    return record;
  }

  deleteRecord(id: number): DnsRecord {
    const record = this.records.get(id);
    if (!record) throw ERR.noRecord();
    this.records.delete(id);
    if (record.zoneId !== null) this.touch(record.zoneId);
    return record;
  }

  /** Every zone record on the server (or every template record): what `<del_rec><filter/>` does. */
  deleteEverything(template: boolean): DnsRecord[] {
    const gone = [...this.records.values()].filter((r) => (template ? r.zoneId === null : r.zoneId !== null));
    for (const record of gone) this.deleteRecord(record.id);
    return gone;
  }

  /** A zone changed: the next serial (Unix seconds, always increasing) and a `domain_dns_update` event. */
  touch(zoneId: number): void {
    if (this.creating) return;
    const zone = this.zones.get(zoneId) as DnsZone;
    zone.serial = Math.max(zone.serial + 1, this.nowSeconds());
    const owner = [...this.domains.values()].find((d) => d.zoneId === zoneId && d.kind !== 'subdomain');
    if (owner) this.emit('domain_dns_update', owner.id, { 'Domain Name': zone.name });
  }

  /** The site whose id a DNS filter names as `site-id`: a main/additional domain or a subdomain. */
  siteById(id: number): PleskDomain | undefined {
    const domain = this.domains.get(id);
    return domain && domain.kind !== 'alias' ? domain : undefined;
  }

  aliasById(id: number): PleskDomain | undefined {
    const domain = this.domains.get(id);
    return domain && domain.kind === 'alias' ? domain : undefined;
  }

  /** May `client` act on `domain`? The admin on all; a reseller on its customers'; a customer on its own. */
  mayManage(client: PleskClient, domain: PleskDomain): boolean {
    if (client.type === 'admin') return true;
    const owner = this.clients.get(domain.ownerId);
    if (!owner) return false;
    return owner.id === client.id || (client.type === 'reseller' && owner.ownerId === client.id);
  }

  private emit(action: string, objectId: number, newValues: Record<string, string>): void {
    this.events.push({ action, objectId, newValues });
  }
}
