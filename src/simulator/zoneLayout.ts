/**
 * Writes a seed's compact zone (a record list) as cPanel lays its zone files out (docs/reference/cpanel-api.md §5.4,
 * the §5.5 fixture): the two header comments, `$TTL`, the multi-line SOA with its `;Serial Number`
 * comments, a blank line, the NS block, a blank line, then one line per record, tab-separated. Raw
 * zones (`text`/`lines`) are kept byte for byte.
 */
import { renderRecordLine } from '../zone/render';
import type { RecordSpec, ServerSpec, ZoneSpec } from './seed';

/** The records cPanel's default zone template gives a new domain (simplified: no ftp/cpanel/webmail names). */
export function defaultRecords(zone: string, ip: string): RecordSpec[] {
  const apex = `${zone}.`;
  return [
    { name: apex, ttl: 14400, type: 'A', data: [ip] },
    { name: 'www', ttl: 14400, type: 'CNAME', data: [apex] },
    { name: 'mail', ttl: 14400, type: 'CNAME', data: [apex] },
    { name: apex, ttl: 14400, type: 'MX', data: ['0', apex] },
    // cPanel's default SPF (docs/reference/cpanel-plugins.md §10.2).
    { name: apex, ttl: 14400, type: 'TXT', data: [`v=spf1 +a +mx +ip4:${ip} ~all`] },
  ];
}

/** `@` → the apex with its dot; anything else as written (relative, or absolute with the dot). */
function dnameOf(name: string, zone: string): string {
  return name === '@' || name === zone || name === `${zone}.` ? `${zone}.` : name;
}

/** The zone file text (latin1 string) for a seed zone; `ip` fills the default records. */
export function zoneText(spec: ZoneSpec, server: ServerSpec, ip: string): string {
  if (spec.text !== undefined) return spec.text;
  if (spec.lines !== undefined) return `${spec.lines.join('\n')}\n`;
  const zone = spec.name;
  const apex = `${zone}.`;
  const ns = spec.nameservers ?? server.nameservers;
  const v = server.cpanelVersion;
  const lines = [
    `; cPanel first:${v} (update_time):${server.zoneUpdateTime} Cpanel::ZoneFile::VERSION:1.3 hostname:${server.hostname} latest:${v}`,
    `; Zone file for ${zone}`,
    `$TTL ${spec.ttl}`,
    `${apex}\t86400\tIN\tSOA\t${ns[0]}.\t${server.soaContact}.\t(`,
    `\t\t\t\t\t\t${spec.serial} ;Serial Number`,
    '\t\t\t\t\t\t3600 ;refresh',
    '\t\t\t\t\t\t1800 ;retry',
    '\t\t\t\t\t\t1209600 ;expire',
    '\t\t\t\t\t\t86400 ;minimum',
    '\t)',
    '',
    ...ns.map((host) => `${apex}\t86400\tIN\tNS\t${host}.`),
    '',
    ...(spec.records ?? defaultRecords(zone, ip)).map((r) =>
      renderRecordLine({ dname: dnameOf(r.name, zone), ttl: r.ttl ?? spec.ttl, type: r.type, data: r.data }, zone),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
