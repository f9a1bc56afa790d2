/**
 * Ask one authoritative server (one address) two questions, without recursion: the zone's SOA
 * (serial, negative-caching TTL) and the TXT RRset at the name. Any way of not getting a usable,
 * authoritative answer — timeout, refused port, REFUSED, SERVFAIL, no AA bit — is reported as an
 * error string, never thrown: for a propagation check a silent server is "unknown", not "failed".
 */
import { isFixEmailAuthError } from '../../errors';
import type { DnsClient } from './client';
import { canonicalName, txtStrings } from './packet';
import type { DnsAnswer, DnsRecord } from './types';

export interface ServerObservation {
  /** SOA serial at the zone apex, as a decimal string. */
  serial: string;
  /** Negative-caching TTL this server's SOA implies: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). */
  negativeTtl: number;
  /** Logical values of the TXT records at the name (strings of each record joined, RFC 7208 §3.3), sorted. */
  txt: string[];
  /** TTL of the TXT RRset, or null when there is none. */
  txtTtl: number | null;
}

export type ServerOutcome = { ok: true; observation: ServerObservation } | { ok: false; error: string };

function describeFailure(err: unknown): string {
  if (isFixEmailAuthError(err, 'TIMEOUT')) return 'no answer (timed out)';
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Why an answer cannot be trusted as this server's authoritative view, or null when it can. */
function unusable(answer: DnsAnswer, what: string): string | null {
  if (answer.rcode === 'REFUSED') return `refused the ${what} query (it does not serve this zone)`;
  if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') return `answered ${answer.rcode} to the ${what} query`;
  if (!answer.flags.aa) return `answered the ${what} query without authority (lame delegation or a cache)`;
  return null;
}

export async function observeServer(
  client: DnsClient,
  server: { address: string; port: number },
  zone: string,
  name: string,
  options: { timeoutMs?: number; retries?: number; signal?: AbortSignal },
): Promise<ServerOutcome> {
  const queryOptions = { ...options, recursionDesired: false };
  let soa: DnsAnswer;
  let txt: DnsAnswer;
  try {
    [soa, txt] = await Promise.all([client.query(server, zone, 'SOA', queryOptions), client.query(server, name, 'TXT', queryOptions)]);
  } catch (err) {
    return { ok: false, error: describeFailure(err) };
  }

  const soaProblem = unusable(soa, 'SOA');
  if (soaProblem) return { ok: false, error: soaProblem };
  const zoneName = canonicalName(zone);
  const soaRecord = soa.answers.find((r): r is Extract<DnsRecord, { type: 'SOA' }> => r.type === 'SOA' && r.name === zoneName);
  if (!soaRecord) return { ok: false, error: `has no SOA record for ${zoneName} (${zoneName} is not a zone apex there)` };

  const txtProblem = unusable(txt, 'TXT');
  if (txtProblem) return { ok: false, error: txtProblem };
  const owner = canonicalName(name);
  const cname = txt.answers.find((r) => r.type === 'CNAME' && r.name === owner);
  if (cname && cname.type === 'CNAME') return { ok: false, error: `${owner} is a CNAME to ${cname.data}; the record lives there` };
  const records = txt.answers.filter((r): r is Extract<DnsRecord, { type: 'TXT' }> => r.type === 'TXT' && r.name === owner);

  return {
    ok: true,
    observation: {
      serial: soaRecord.data.serial,
      negativeTtl: Math.min(soaRecord.ttl, soaRecord.data.minimum),
      txt: records.map((r) => txtStrings(r).join('')).sort(),
      txtTtl: records.length > 0 ? Math.min(...records.map((r) => r.ttl)) : null,
    },
  };
}
