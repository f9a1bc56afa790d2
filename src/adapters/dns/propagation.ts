/**
 * "Is the fix live?" — step 4 of docs/design.md "Writing DNS safely": ask EVERY authoritative nameserver,
 * on every address, for the TXT at the name and the zone's SOA serial, and say when resolvers'
 * caches will have let go of the old answer.
 *
 * The rule (per nameserver host, then overall):
 * - An address is `current` when its TXT RRset equals the expected one (values compared as sets of
 *   joined strings, byte for byte) and, if an expected serial is given, its serial is not older
 *   (RFC 1982); `stale` when it answers with another RRset or an older serial; `unknown` when it gives
 *   no usable authoritative answer (timeout, refused port, REFUSED, SERVFAIL, no AA bit).
 * - A host is `stale` if any of its addresses is stale, else `current` if at least one address is
 *   current (an address this machine cannot reach — typically IPv6 without a route — does not block
 *   a host that answered on another address; it is still listed), else `unknown`.
 * - Overall `pending` if any host is stale (the old answer is still being served); `verified` if every
 *   host is current; otherwise `unknown` (we could not prove it either way). No nameservers → `unknown`.
 *
 * Caches: a resolver may have fetched the old answer just before the last server changed, and keeps
 * it for the old record's TTL (`previousTtl`), or — when there was no record — for the
 * negative-caching TTL min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). So `cachesExpireAt` = check time +
 * that TTL, given only once `verified` (before that the clock has not started).
 */
import { FixEmailAuthError } from '../../errors';
import type { Resolver } from '../../ports';
import { sharedDnsClient, type DnsClient } from './client';
import { parseEndpoint } from './endpoint';
import { lookupNameservers, resolveHostAddresses } from './nameservers';
import { compareSerials, type SerialRelation } from './serial';
import { observeServer } from './serverCheck';
import { createResolver } from './resolver';
import { summarize } from './propagationSummary';

export type ServerState = 'current' | 'stale' | 'unknown';
export type PropagationState = 'verified' | 'pending' | 'unknown';

export interface PropagationInput {
  /** The zone apex, e.g. `example.com`. */
  zone: string;
  /** The owner name to check, e.g. `_mailchannels.example.com`. */
  name: string;
  /** Logical values (strings of a record joined) expected at the name; null = expect no TXT at all. */
  expectedTxt: string[] | null;
  /** The serial our edit produced; servers with an older one are stale. */
  expectedSerial?: string;
  /** TTL of the record that was there before the change; omit when there was none. */
  previousTtl?: number;
  /** Nameserver host names or IP literals (optionally `ip:port`); default: the zone's NS set, looked up. */
  nameservers?: string[];
  /** A nameserver's addresses (may carry `:port`); default: IP literals as-is, else A + AAAA. */
  addressOf?: (host: string) => Promise<string[]>;
  /** For the NS and address lookups; default: the system's resolver. */
  resolver?: Resolver;
  /** Port to query when an address does not name one (default 53). */
  port?: number;
  now: Date;
  timeoutMs?: number;
  retries?: number;
  client?: DnsClient;
  signal?: AbortSignal;
}

export interface ServerReport {
  /** The nameserver host as listed (lower-case, no trailing dot). */
  nameserver: string;
  /** The address asked; '' when the host's address could not be found. */
  address: string;
  port: number;
  state: ServerState;
  serial: string | null;
  /** This server's serial relative to `expectedSerial` (RFC 1982); null when either is unknown. */
  serialRelation: SerialRelation | null;
  /** Logical TXT values at the name on this server, sorted. */
  txt: string[];
  txtTtl: number | null;
  negativeTtl: number | null;
  /** Why the server is unknown. */
  error?: string;
  /** A fact worth showing (e.g. the zone changed again after our edit). */
  note?: string;
}

export interface NameserverReport {
  nameserver: string;
  state: ServerState;
}

export interface PropagationReport {
  zone: string;
  name: string;
  checkedAt: string;
  expectedTxt: string[] | null;
  expectedSerial: string | null;
  state: PropagationState;
  nameservers: NameserverReport[];
  servers: ServerReport[];
  /** Seconds resolvers may keep the old answer after the last server changed; null when unknown. */
  cacheTtl: number | null;
  cacheTtlSource: 'previous-record' | 'negative-caching' | null;
  /** ISO time by which every resolver's cache has expired; only when `verified`. */
  cachesExpireAt: string | null;
  summary: string;
}

function hostKey(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function sameSet(a: string[], b: string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** One line per address of every nameserver; hosts without an address get an `unknown` line. */
async function targets(
  input: PropagationInput,
  resolver: () => Resolver,
): Promise<Array<{ nameserver: string; address: string; port: number; error?: string }>> {
  const hosts = input.nameservers ?? (await lookupNameservers(input.zone, resolver()));
  const addressOf = input.addressOf ?? ((host: string) => resolveHostAddresses(host, resolver()));
  const defaultPort = input.port ?? 53;
  const perHost = await Promise.all(
    [...new Set(hosts.map(hostKey))].map(async (nameserver) => {
      let addresses: string[];
      try {
        addresses = parseEndpoint(nameserver) ? [nameserver] : await addressOf(nameserver);
      } catch (err) {
        return [{ nameserver, address: '', port: defaultPort, error: `could not find its address: ${(err as Error).message}` }];
      }
      if (addresses.length === 0) return [{ nameserver, address: '', port: defaultPort, error: 'has no A or AAAA record' }];
      return addresses.map((text) => {
        const endpoint = parseEndpoint(text);
        if (!endpoint) return { nameserver, address: text, port: defaultPort, error: `"${text}" is not an IP address` };
        return { nameserver, address: endpoint.address, port: endpoint.port ?? defaultPort };
      });
    }),
  );
  return perHost.flat();
}

function judge(
  input: PropagationInput,
  observation: { serial: string; txt: string[] },
): { state: ServerState; serialRelation: SerialRelation | null; note?: string } {
  const serialRelation = input.expectedSerial === undefined ? null : compareSerials(observation.serial, input.expectedSerial);
  const txtMatches = sameSet(observation.txt, input.expectedTxt ?? []);
  if (serialRelation === 'older') return { state: 'stale', serialRelation };
  if (!txtMatches && serialRelation === 'newer') {
    return {
      state: 'stale',
      serialRelation,
      note: `serial ${observation.serial} is newer than ${input.expectedSerial}: the zone was changed again after this edit`,
    };
  }
  return { state: txtMatches ? 'current' : 'stale', serialRelation };
}

function hostStates(servers: ServerReport[]): NameserverReport[] {
  const byHost = new Map<string, ServerState[]>();
  for (const s of servers) byHost.set(s.nameserver, [...(byHost.get(s.nameserver) ?? []), s.state]);
  return [...byHost].map(([nameserver, states]) => ({
    nameserver,
    state: states.includes('stale') ? 'stale' : states.includes('current') ? 'current' : 'unknown',
  }));
}

function overall(hosts: NameserverReport[]): PropagationState {
  if (hosts.length === 0) return 'unknown';
  if (hosts.some((h) => h.state === 'stale')) return 'pending';
  if (hosts.every((h) => h.state === 'current')) return 'verified';
  return 'unknown';
}

export async function checkPropagation(input: PropagationInput): Promise<PropagationReport> {
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime()))
    throw new FixEmailAuthError('BAD_INPUT', 'checkPropagation needs `now` as a valid Date', { step: 'verify' });
  if (input.previousTtl !== undefined && (!Number.isInteger(input.previousTtl) || input.previousTtl < 0)) {
    throw new FixEmailAuthError('BAD_INPUT', `previousTtl must be a whole number of seconds, got ${input.previousTtl}`, { step: 'verify' });
  }
  const client = input.client ?? sharedDnsClient();
  let lazyResolver: Resolver | null = null;
  const resolver = () =>
    (lazyResolver ??= input.resolver ?? createResolver({ resolvers: [], timeoutMs: input.timeoutMs ?? 3000, retries: input.retries ?? 2 }));

  const list = await targets(input, resolver);
  const options: { timeoutMs?: number; retries?: number; signal?: AbortSignal } = {};
  if (input.timeoutMs !== undefined) options.timeoutMs = input.timeoutMs;
  if (input.retries !== undefined) options.retries = input.retries;
  if (input.signal !== undefined) options.signal = input.signal;

  const servers = await Promise.all(
    list.map(async (t): Promise<ServerReport> => {
      const base = { nameserver: t.nameserver, address: t.address, port: t.port };
      const blank = { serial: null, serialRelation: null, txt: [], txtTtl: null, negativeTtl: null };
      if (t.error) return { ...base, ...blank, state: 'unknown', error: t.error };
      const outcome = await observeServer(client, { address: t.address, port: t.port }, input.zone, input.name, options);
      if (!outcome.ok) return { ...base, ...blank, state: 'unknown', error: outcome.error };
      const o = outcome.observation;
      const verdict = judge(input, o);
      const report: ServerReport = {
        ...base,
        state: verdict.state,
        serial: o.serial,
        serialRelation: verdict.serialRelation,
        txt: o.txt,
        txtTtl: o.txtTtl,
        negativeTtl: o.negativeTtl,
      };
      if (verdict.note) report.note = verdict.note;
      return report;
    }),
  );

  const nameservers = hostStates(servers);
  const state = overall(nameservers);
  const negative = servers.flatMap((s) => (s.negativeTtl === null ? [] : [s.negativeTtl]));
  const cacheTtl = input.previousTtl ?? (negative.length > 0 ? Math.max(...negative) : null);
  const cacheTtlSource = input.previousTtl !== undefined ? 'previous-record' : cacheTtl === null ? null : 'negative-caching';
  const cachesExpireAt = state === 'verified' && cacheTtl !== null ? new Date(input.now.getTime() + cacheTtl * 1000).toISOString() : null;

  const report: PropagationReport = {
    zone: hostKey(input.zone),
    name: hostKey(input.name),
    checkedAt: input.now.toISOString(),
    expectedTxt: input.expectedTxt,
    expectedSerial: input.expectedSerial ?? null,
    state,
    nameservers,
    servers,
    cacheTtl,
    cacheTtlSource,
    cachesExpireAt,
    summary: '',
  };
  report.summary = summarize(report);
  return report;
}

export interface WaitOptions {
  /** Give up after this long and return the last report. */
  timeoutMs: number;
  /** Pause between checks. */
  intervalMs: number;
  /** The time stamped on each check (default: the system clock). */
  clock?: () => Date;
  signal?: AbortSignal;
  /** Called with every report, e.g. to show progress. */
  onReport?: (report: PropagationReport) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Check again every `intervalMs` until `verified` or `timeoutMs` has passed; returns the last report.
 * The nameserver set and each host's addresses are looked up once (when found) and reused.
 */
export async function waitForPropagation(
  input: Omit<PropagationInput, 'now'> & { now?: Date },
  options: WaitOptions,
): Promise<PropagationReport> {
  const clock = options.clock ?? (() => new Date());
  const started = Date.now();
  const resolver = input.resolver ?? createResolver({ resolvers: [], timeoutMs: input.timeoutMs ?? 3000, retries: input.retries ?? 2 });
  const lookup = input.addressOf ?? ((host: string) => resolveHostAddresses(host, resolver));
  const found = new Map<string, string[]>();
  const addressOf = async (host: string) => {
    const known = found.get(host);
    if (known) return known;
    const addresses = await lookup(host);
    // Remember only success: a host without an address this round is asked again next round.
    if (addresses.length > 0) found.set(host, addresses);
    return addresses;
  };
  let fixed: PropagationInput = { ...input, resolver, addressOf, now: input.now ?? clock() };
  for (let round = 0; ; round++) {
    const report = await checkPropagation(round === 0 ? fixed : { ...fixed, now: clock() });
    options.onReport?.(report);
    if (report.state === 'verified' || options.signal?.aborted) return report;
    if (Date.now() - started + options.intervalMs > options.timeoutMs) return report;
    if (fixed.nameservers === undefined && report.nameservers.length > 0)
      fixed = { ...fixed, nameservers: report.nameservers.map((n) => n.nameserver) };
    await sleep(options.intervalMs, options.signal);
  }
}
