/**
 * The two DNS findings of docs/design.md's vocabulary, built from what the DNS side learned:
 * - DNS_NOT_AUTHORITATIVE (warning) from cPanel's has_local_authority answer (docs/reference/cpanel-api.md §7.5):
 *   the world asks other nameservers, so an edit here changes nothing; the customer must publish
 *   the record at their DNS host, and the finding carries it ready to paste.
 * - DNS_PROPAGATION_PENDING (info) from a PropagationReport: an authoritative server still serves
 *   the old answer, could not be asked, or resolvers may still hold the old answer in cache.
 * Pure functions: data in, a finding (or null when there is nothing to say) out.
 */
import type { PropagationReport } from '../adapters/dns/propagation';
import { finding, type Finding, type FindingRecord } from './findings';
import type { LocalAuthority } from '../ports';
import { bytesToDisplay } from '../zone/model';
import { quoteCharacterString } from '../zone/quote';

/** A record as it should be published: absolute owner name, TTL, type, and its strings. */
export interface RecordSpec {
  name: string;
  ttl: number;
  /** Default TXT. */
  type?: string;
  /** TXT: the character-strings (binary strings); other types: the RDATA fields. */
  data: string[];
}

function absolute(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The record as one master-file line (RFC 1035 §5.1), what most DNS hosts' "import" or editors accept. */
export function zoneFileLine(record: RecordSpec): string {
  const type = (record.type ?? 'TXT').toUpperCase();
  const rdata = type === 'TXT' ? record.data.map(quoteCharacterString).join(' ') : record.data.join(' ');
  return `${absolute(record.name)}\t${record.ttl}\tIN\t${type}\t${rdata}`;
}

function toFindingRecord(record: RecordSpec): FindingRecord {
  return {
    name: absolute(record.name),
    type: (record.type ?? 'TXT').toUpperCase(),
    ttl: record.ttl,
    data: record.data,
    value: record.data.join(''),
  };
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * DNS_NOT_AUTHORITATIVE when cPanel says this server's zone is not what the world sees
 * (`local === false`); null when it is, or when cPanel could not tell (`null`: we do not claim what
 * we do not know). `change` is what the repair would do, shown for the external DNS host.
 */
export function notAuthoritativeFinding(
  authority: LocalAuthority,
  change: { publish: RecordSpec[]; remove?: RecordSpec[] },
): Finding | null {
  if (authority.local !== false) return null;
  const nameservers = authority.nameservers.map((n) => n.toLowerCase().replace(/\.$/, ''));
  const where = nameservers.length > 0 ? ` (the world asks ${list(nameservers)})` : '';
  const publish = change.publish.map((r) => ({ ...toFindingRecord(r), zoneFileLine: zoneFileLine(r) }));
  const remove = (change.remove ?? []).map((r) => ({ ...toFindingRecord(r), zoneFileLine: zoneFileLine(r) }));
  const todo: string[] = [];
  if (publish.length > 0) todo.push(`publish ${list(publish.map((r) => `${r.name} TXT "${bytesToDisplay(r.value)}"`))}`);
  if (remove.length > 0) todo.push(`remove ${list(remove.map((r) => `${r.name} TXT "${bytesToDisplay(r.value)}"`))}`);
  const action = todo.length > 0 ? ` At your DNS host, ${todo.join(' and ')}.` : '';
  const details: Record<string, unknown> = { zone: authority.zone, domain: authority.domain, nameservers, publish, remove };
  if (authority.error) details.error = authority.error;
  return finding(
    'DNS_NOT_AUTHORITATIVE',
    'dns',
    `DNS for ${authority.zone} is not served by this server${where}, so changes made here are not seen.${action}`,
    change.publish.map(toFindingRecord),
    details,
  );
}

/**
 * DNS_PROPAGATION_PENDING while the change is not yet everywhere: a server still serves the old
 * answer (`pending`), a server could not be asked (`unknown`), or every server is current but
 * resolvers may still hold the old answer until `cachesExpireAt`. Null once that time has passed
 * at `now` (default: the check's own time, so a fresh report still yields the cache warning).
 */
export function propagationFinding(report: PropagationReport, now: Date = new Date(report.checkedAt)): Finding | null {
  const details: Record<string, unknown> = {
    state: report.state,
    name: report.name,
    expectedTxt: report.expectedTxt,
    expectedSerial: report.expectedSerial,
    cacheTtl: report.cacheTtl,
    cachesExpireAt: report.cachesExpireAt,
    servers: report.servers,
    summary: report.summary,
  };
  if (report.state === 'verified') {
    if (report.cachesExpireAt === null || now.getTime() >= Date.parse(report.cachesExpireAt)) return null;
    return finding(
      'DNS_PROPAGATION_PENDING',
      'dns',
      `The change is live on every nameserver; resolvers that cached the old answer may use it until ${report.cachesExpireAt}.`,
      [],
      details,
    );
  }
  if (report.state === 'pending') {
    const stale = [...new Set(report.servers.filter((s) => s.state === 'stale').map((s) => s.nameserver))];
    return finding(
      'DNS_PROPAGATION_PENDING',
      'dns',
      `${list(stale)} still ${stale.length === 1 ? 'serves' : 'serve'} the old answer for ${report.name}; the change has not reached every nameserver yet.`,
      [],
      details,
    );
  }
  const silent = report.nameservers.filter((n) => n.state === 'unknown').map((n) => n.nameserver);
  const who = silent.length > 0 ? `${list(silent)} could not be asked` : 'no authoritative nameserver was found';
  return finding('DNS_PROPAGATION_PENDING', 'dns', `The change could not be confirmed everywhere: ${who}.`, [], details);
}
