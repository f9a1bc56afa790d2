/** The plain-English sentence(s) of a PropagationReport, for a hosting customer or support staff. */
import type { PropagationReport, ServerReport } from './propagation';
import { formatEndpoint } from './endpoint';
import { bytesToDisplay } from '../../zone/model';

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 172800) return `${Math.round(seconds / 360) / 10} hours`;
  return `${Math.round(seconds / 8640) / 10} days`;
}

function where(s: ServerReport): string {
  return s.address ? `${s.nameserver} (${formatEndpoint(s.address, s.port)})` : s.nameserver;
}

function served(s: ServerReport): string {
  const what = s.txt.length === 0 ? 'no record' : list(s.txt.map((t) => `"${bytesToDisplay(t)}"`));
  return `${what}${s.serial ? `, serial ${s.serial}` : ''}`;
}

function expected(report: PropagationReport): string {
  if (report.expectedTxt === null || report.expectedTxt.length === 0) return `no record at ${report.name}`;
  return `${list(report.expectedTxt.map((t) => `"${bytesToDisplay(t)}"`))} at ${report.name}`;
}

function cacheSentence(report: PropagationReport): string {
  if (report.cacheTtl === null) return '';
  const why = report.cacheTtlSource === 'previous-record' ? "the old record's TTL" : 'the negative-caching TTL from the SOA, RFC 2308';
  if (report.cachesExpireAt)
    return ` Resolvers that cached the old answer will have dropped it by ${report.cachesExpireAt} (${duration(report.cacheTtl)}, ${why}).`;
  return ` Once every server has it, resolvers may keep the old answer for up to ${duration(report.cacheTtl)} more (${why}).`;
}

export function summarize(report: PropagationReport): string {
  const hosts = report.nameservers.length;
  if (hosts === 0) return `Not verified: no authoritative nameservers were found for ${report.zone}.`;
  const current = report.nameservers.filter((n) => n.state === 'current').length;
  const unreachable = report.servers.filter((s) => s.state === 'unknown');

  if (report.state === 'verified') {
    const serial = report.expectedSerial ? ` with serial ${report.expectedSerial} or newer` : '';
    const skipped =
      unreachable.length > 0
        ? ` (not reachable from here, on another address of a server that answered: ${list(unreachable.map(where))})`
        : '';
    return `Verified: all ${hosts} authoritative nameserver${hosts === 1 ? '' : 's'} (${list(report.nameservers.map((n) => n.nameserver))}) serve ${expected(report)}${serial}${skipped}.${cacheSentence(report)}`;
  }
  const stale = report.servers.filter((s) => s.state === 'stale');
  const parts: string[] = [];
  if (report.state === 'pending') {
    parts.push(`Pending: ${list(stale.map((s) => `${where(s)} still serves ${served(s)}`))}; expected ${expected(report)}.`);
    for (const s of stale) if (s.note) parts.push(`${s.nameserver}: ${s.note}.`);
    const silent = report.nameservers.filter((n) => n.state === 'unknown').map((n) => n.nameserver);
    if (silent.length > 0) parts.push(`No usable answer from ${list(silent)}.`);
  } else {
    parts.push(`Not verified: ${list(unreachable.map((s) => `${where(s)} ${s.error ?? 'gave no usable answer'}`))}.`);
  }
  parts.push(`${current} of ${hosts} nameserver${hosts === 1 ? '' : 's'} serve the new answer.`);
  return parts.join(' ') + cacheSentence(report);
}
