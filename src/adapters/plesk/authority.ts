/**
 * Is this Plesk server where the world reads a zone? From the XML API's `<dns><get>`: zone type
 * (primary/"master" or secondary/"slave") and status (enabled/disabled)
 * (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-soa-records-and-zone-parameters/retrieving-parameters-of-soa-record-and-zone.34972;
 * the answer's field names are unverified, both `zone-type` and `zone_type` spellings are read),
 * and a secondary zone's primaries (`get_master_server`).
 *
 * - primary + enabled: Plesk's DNS serves it — repair here;
 * - secondary: Plesk copies it from another server — an edit here is overwritten; edit at the primary;
 * - disabled (DNS off for the zone in Plesk): the domain's DNS is hosted elsewhere.
 * The two last are "not authoritative here" (ports.ts `LocalAuthority.local === false`), which the
 * checks turn into DNS_NOT_AUTHORITATIVE carrying the record to publish (src/checks/dns.ts).
 * DNS pushed to a cloud provider by an extension (Plesk's ExternalDns hook) looks like primary from
 * here: edits are pushed on, and the verification against the delegated nameservers tells the truth.
 */
import type { LocalAuthority } from '../../ports';
import type { PleskZoneMode, PleskZoneRef } from './types';
import { ERRCODE, failureOf, readPacket, resultsOf } from './xml/answers';
import { childText, type XmlElement } from './xml/nodes';
import { getMasterServers, getZoneState } from './xml/packets';
import type { PleskXmlTransport } from './xmlTransport';

export interface PleskAuthority extends LocalAuthority {
  /** null when Plesk could not tell (the zone does not exist, or the call failed). */
  mode: PleskZoneMode | null;
  /** Secondary zones: where the zone must be edited. */
  masters: string[];
}

function modeOf(result: XmlElement): PleskZoneMode | null {
  const type = (childText(result, 'zone-type') ?? childText(result, 'zone_type') ?? '').toLowerCase();
  const status = (childText(result, 'zone-status') ?? childText(result, 'zone_status') ?? '').toLowerCase();
  if (status === 'disabled') return 'disabled';
  if (type === 'slave' || type === 'secondary') return 'secondary';
  if (type === 'master' || type === 'primary') return 'primary';
  return null;
}

export function describeMode(mode: PleskZoneMode, masters: readonly string[]): string {
  if (mode === 'secondary')
    return `Plesk is a secondary DNS server for this zone; edit it at its primary${masters.length ? ` (${masters.join(', ')})` : ''}`;
  if (mode === 'disabled') return 'DNS is switched off for this zone in Plesk: the domain uses DNS hosted elsewhere';
  return 'Plesk is the primary DNS server for this zone';
}

export class XmlAuthority {
  constructor(private readonly transport: PleskXmlTransport) {}

  private async ask(packet: string, what: string) {
    return readPacket(await this.transport.post(packet, what, 'read'), what, 'read');
  }

  /** One answer per domain; `refs` maps each domain to its zone address (null: no zone of its own). */
  async of(targets: ReadonlyArray<{ domain: string; ref: PleskZoneRef | null }>): Promise<PleskAuthority[]> {
    const withZone = targets.filter((t): t is { domain: string; ref: PleskZoneRef } => t.ref !== null);
    const modes = new Map<string, { mode: PleskZoneMode | null; error?: string }>();
    const unique = [...new Map(withZone.map((t) => [t.ref.zone, t.ref])).values()];
    if (unique.length > 0) {
      const results = resultsOf(await this.ask(getZoneState(unique), 'Reading DNS zone modes'), 'dns', 'get');
      // Results name their site-id or site-alias-id; match on that, not on order.
      const keyOf = (ref: PleskZoneRef) => (ref.siteId !== undefined ? `s${ref.siteId}` : `a${ref.aliasId}`);
      const byKey = new Map<string, XmlElement>();
      for (const result of results) {
        const site = childText(result, 'site-id');
        const alias = childText(result, 'site-alias-id');
        byKey.set(site !== undefined ? `s${site}` : `a${alias}`, result);
      }
      unique.forEach((ref) => {
        const result = byKey.get(keyOf(ref));
        const failure = result ? failureOf(result) : { errcode: 0, errtext: 'no answer for this zone' };
        if (failure && ref.aliasId !== undefined && failure.errcode === ERRCODE.notFound) {
          // An alias without its own zone (`manage-dns` off): its DNS is not served by Plesk.
          modes.set(ref.zone, { mode: 'disabled', error: 'This domain alias has no DNS zone of its own in Plesk' });
        } else
          modes.set(
            ref.zone,
            failure || !result ? { mode: null, error: `Plesk: ${failure?.errtext ?? 'no answer'}` } : { mode: modeOf(result) },
          );
      });
    }
    const masters = new Map<string, string[]>();
    for (const ref of unique) {
      if (modes.get(ref.zone)?.mode !== 'secondary') continue;
      const results = resultsOf(
        await this.ask(getMasterServers(ref), `Reading the primary servers of ${ref.zone}`),
        'dns',
        'get_master_server',
      );
      masters.set(
        ref.zone,
        results
          .filter((r) => failureOf(r) === null)
          .map((r) => childText(r, 'ip_address') ?? childText(r, 'ip-address') ?? '')
          .filter(Boolean),
      );
    }
    return targets.map(({ domain, ref }) => {
      if (ref === null)
        return {
          domain,
          zone: domain,
          local: false,
          nameservers: [],
          mode: 'disabled',
          masters: [],
          error: 'This alias has no DNS zone of its own in Plesk',
        };
      const found = modes.get(ref.zone) ?? { mode: null };
      const zoneMasters = masters.get(ref.zone) ?? [];
      return {
        domain,
        zone: ref.zone,
        local: found.mode === null ? null : found.mode === 'primary',
        // For a secondary zone the servers to edit at; otherwise the delegation is for DNS to tell.
        nameservers: zoneMasters,
        mode: found.mode,
        masters: zoneMasters,
        ...(found.error
          ? { error: found.error }
          : found.mode && found.mode !== 'primary'
            ? { error: describeMode(found.mode, zoneMasters) }
            : {}),
      };
    });
  }
}
