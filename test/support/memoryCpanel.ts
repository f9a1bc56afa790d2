/**
 * An in-memory cPanel for unit tests of the use cases: zones kept as file text and edited with the
 * project's own cPanel line editor (`applyMassEdit`), the serial check that yields Stale, ownership,
 * and fault knobs. Integration tests use the HTTPS simulator; this is for fast, exhaustive unit tests.
 */
import { FixEmailAuthError } from '../../src/errors';
import type { Accounts, DomainInfo, LocalAuthority, ZoneStore } from '../../src/ports';
import { parseZoneFile } from '../../src/zone/bindReader';
import { applyMassEdit } from '../../src/zone/lineEdit';
import type { MassEditParams, Zone } from '../../src/zone/model';

export type WriteFault =
  /** The edit lands, but the answer is lost (client sees TIMEOUT). */
  | 'timeout-after-apply'
  /** Nothing lands; the client sees TIMEOUT. */
  | 'timeout-before-apply'
  /** cPanel answers an API error (HTTP 200, status 0). */
  | 'api-error'
  /** The process "dies" after the request was sent and landed: the promise never settles. */
  | 'hang-after-apply'
  | 'hang-before-apply';

export class MemoryCpanel implements ZoneStore, Accounts {
  readonly texts = new Map<string, string>();
  readonly domains: DomainInfo[] = [];
  readonly authority = new Map<string, boolean>();
  readonly writes: MassEditParams[] = [];
  now = new Date('2026-11-28T12:00:00Z');
  /** Run once before the next write is checked (a concurrent Zone Editor edit). */
  beforeNextWrite: ((zone: string) => void) | undefined;
  writeFaults: WriteFault[] = [];
  readFailures = 0;

  addZone(zone: string, text: string): this {
    this.texts.set(zone, text);
    return this;
  }

  addDomain(info: Omit<DomainInfo, 'owner' | 'type'> & Partial<Pick<DomainInfo, 'owner' | 'type'>>): this {
    this.domains.push({ owner: 'root', type: 'main', ...info });
    return this;
  }

  text(zone: string): string {
    const text = this.texts.get(zone);
    if (text === undefined) throw new Error(`no zone ${zone}`);
    return text;
  }

  /** Another user's edit, the way cPanel would apply it (bumps the serial). */
  foreignEdit(zone: string, add: MassEditParams['add']): void {
    const result = applyMassEdit(this.text(zone), zone, { add, edit: [], remove: [] }, { now: this.now });
    this.texts.set(zone, result.text);
  }

  async readZone(zone: string): Promise<Zone> {
    if (this.readFailures > 0) {
      this.readFailures--;
      throw new FixEmailAuthError('TRANSPORT', 'connection refused (test)', { step: 'read' });
    }
    const text = this.texts.get(zone);
    if (text === undefined) throw new FixEmailAuthError('NOT_OWNED', `You do not control a DNS zone named “${zone}”.`, { step: 'read' });
    return parseZoneFile(text, zone);
  }

  async massEdit(params: MassEditParams): Promise<{ newSerial: string }> {
    this.writes.push(JSON.parse(JSON.stringify(params)));
    const hook = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    hook?.(params.zone);
    const fault = this.writeFaults.shift();
    if (fault === 'timeout-before-apply')
      throw new FixEmailAuthError('TIMEOUT', 'cPanel did not answer within 30 s (test)', { step: 'apply' });
    if (fault === 'hang-before-apply') return new Promise(() => undefined);
    if (fault === 'api-error') throw new FixEmailAuthError('API_ERROR', 'The system failed to save the zone (test).', { step: 'apply' });
    const current = await this.readZone(params.zone);
    if (current.serial !== params.serial) {
      throw new FixEmailAuthError(
        'STALE_SERIAL',
        `The given serial number (${params.serial}) does not match the DNS zone’s serial number (${current.serial}). Refresh your view of the DNS zone, then resubmit.`,
        { step: 'apply', upstream: { data: { type: 'Stale', detail: null } } },
      );
    }
    const result = applyMassEdit(
      this.text(params.zone),
      params.zone,
      { add: params.add, edit: params.edit, remove: params.remove },
      { now: this.now },
    );
    this.texts.set(params.zone, result.text);
    if (fault === 'timeout-after-apply')
      throw new FixEmailAuthError('TIMEOUT', 'cPanel did not answer within 30 s (test)', { step: 'apply' });
    if (fault === 'hang-after-apply') return new Promise(() => undefined);
    return { newSerial: result.newSerial };
  }

  async listDomains(): Promise<DomainInfo[]> {
    return [...this.domains];
  }

  async domainsOfUser(user: string): Promise<DomainInfo[]> {
    return this.domains.filter((d) => d.user === user);
  }

  async findDomain(domain: string): Promise<DomainInfo | null> {
    return this.domains.find((d) => d.domain === domain) ?? null;
  }

  async localAuthority(domains: string[]): Promise<LocalAuthority[]> {
    return domains.map((domain) => {
      const info = this.domains.find((d) => d.domain === domain);
      return {
        domain,
        zone: info?.zone ?? domain,
        local: this.authority.get(domain) ?? true,
        nameservers: ['ns1.example.net', 'ns2.example.net'],
      };
    });
  }
}
