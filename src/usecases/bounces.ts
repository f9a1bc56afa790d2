/**
 * "Which of my domains bounce, why, and what fixes it?" — read Exim's main log (through the injected
 * reader), classify every failure and deferral, and aggregate per domain and per sending account.
 *
 * The `events` and `domains` arrays are docs/design.md's `bounces --json` contract; the other fields are
 * for the UI (advice per domain, per-account view) and are not printed by the CLI's JSON.
 */
import type { LogCursorStore } from '../adapters/exim/cursor';
import type { EximFailure } from '../adapters/exim/joiner';
import { readEximFailures, ReadEximOptions, ReadEximResult } from '../adapters/exim/reader';
import { BounceClass, bounceAdvice, bounceClassOf, isAuthenticationFailure } from '../checks/bounce';

export interface FindBouncesInput {
  /** Main log path (its rotations are read too unless `includeRotated` is false). */
  log: string;
  includeRotated?: boolean;
  since?: Date;
  /** Only failures reported by this relay host (H= name or IP), e.g. smtp.mailchannels.net. */
  relayHost?: string;
  /** Incremental reading: only what was appended since the last call with the same store. */
  cursorStore?: LogCursorStore;
  /** MailChannels account id, for the advice wording. */
  provider?: string;
  /** Most events returned (newest kept); aggregates always count everything. Default 10 000. */
  maxEvents?: number;
  /**
   * Keep only events about these domains (a cPanel user's own domains: the daemon passes the
   * account's domain list so one customer never sees another's mail). Case-insensitive.
   */
  onlyDomains?: Iterable<string>;
}

export interface FindBouncesDeps {
  readFailures(options: ReadEximOptions): Promise<ReadEximResult>;
}

/** One failed or deferred delivery (contract fields). */
export interface BounceEvent {
  messageId: string;
  /** ISO 8601 with the server's UTC offset. */
  time: string;
  recipient: string;
  /** Lockdown: the domain the rejection names; otherwise the envelope sender's domain; null if unknown. */
  domain: string | null;
  class: BounceClass;
  sender: string | null;
  authUser: string | null;
}

export interface DomainBounces {
  domain: string;
  class: BounceClass;
  count: number;
  lastSeen: string;
}

/** A domain aggregate with what the UI shows next to it. */
export interface DomainBounceAdvice extends DomainBounces {
  explanation: string;
  fix: string;
  /** Accounts (A= / U= ids) that sent the failing mail. */
  authUsers: string[];
}

export interface AccountBounces {
  /** A= login (a mailbox, `joe@example.com`) or U= local user (a cPanel user or root). */
  authUser: string;
  kind: 'mailbox' | 'local';
  domains: string[];
  counts: Partial<Record<BounceClass, number>>;
  lastSeen: string;
  /** The most serious class this account hit, and its fix. */
  worstClass: BounceClass;
  fix: string;
}

export interface BounceReport {
  events: BounceEvent[];
  domains: DomainBounces[];
  /** Same order as `domains`, with explanation and fix. */
  advice: DomainBounceAdvice[];
  accounts: AccountBounces[];
  /** Any LOCKDOWN_REJECTED or SPF_REJECTED event (the customer's DNS needs fixing). */
  problems: boolean;
  /** Events left out by `maxEvents` (the oldest). */
  omittedEvents: number;
  files: ReadEximResult['files'];
  warnings: string[];
}

/** Seriousness for sorting and for an account's "worst" class: what needs the customer first. */
const CLASS_RANK: Record<BounceClass, number> = {
  LOCKDOWN_REJECTED: 0,
  SPF_REJECTED: 1,
  RATE_LIMITED: 2,
  RECIPIENT_INVALID: 3,
  OTHER: 4,
  DEFERRED: 5,
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601 in this process's (the server's) zone, e.g. 2026-11-28T23:37:35+01:00: matches the log's wall clock. */
export function isoLocal(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const ms = date.getMilliseconds();
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${ms ? `.${pad(ms, 3)}` : ''}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Domain of an envelope address (`<>` and local names have none). */
export function addressDomain(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  return (
    address
      .slice(at + 1)
      .replace(/[>.]+$/, '')
      .toLowerCase() || null
  );
}

/** Most distinct failure texts whose class is remembered (a burst repeats the same few replies). */
const CLASS_MEMO_SIZE = 10_000;

/** Classifies failures, remembering each distinct reply text's verdict. */
export function failureClassifier(): (f: EximFailure) => { cls: BounceClass; domain: string | null } {
  const memo = new Map<string, { class: BounceClass; domain: string | null }>();
  return (f) => {
    let verdict = memo.get(f.message);
    if (verdict === undefined) {
      if (memo.size >= CLASS_MEMO_SIZE) memo.clear();
      verdict = bounceClassOf(f.message);
      memo.set(f.message, verdict);
    }
    // An `==` line is temporary by definition even when it carries no SMTP code ("Connection refused").
    const cls = f.kind === 'deferred' && verdict.class === 'OTHER' ? 'DEFERRED' : verdict.class;
    return { cls, domain: verdict.domain ?? addressDomain(f.sender) };
  };
}

/** isoLocal, remembering the last second (failures come in bursts within the same second). */
function timeFormatter(): (date: Date) => string {
  let lastSecond = NaN;
  let lastText = '';
  return (date) => {
    const ms = date.getTime();
    if (ms % 1000 === 0 && ms === lastSecond) return lastText;
    const text = isoLocal(date);
    if (ms % 1000 === 0) {
      lastSecond = ms;
      lastText = text;
    }
    return text;
  };
}

export async function findBounces(
  input: FindBouncesInput,
  deps: FindBouncesDeps = { readFailures: readEximFailures },
): Promise<BounceReport> {
  const maxEvents = Math.max(1, input.maxEvents ?? 10_000);
  const classOf = failureClassifier();
  const only = input.onlyDomains === undefined ? null : new Set([...input.onlyDomains].map((d) => d.toLowerCase().replace(/\.$/, '')));
  const formatTime = timeFormatter();
  const timed: TimedEvent[] = [];
  let omittedEvents = 0;
  const byDomain = new Map<string, DomainBounceAdvice & { lastMs: number; users: Set<string> }>();
  const byAccount = new Map<string, { domains: Set<string>; counts: Partial<Record<BounceClass, number>>; lastMs: number }>();
  let problems = false;

  const onFailure = (f: EximFailure) => {
    const { cls, domain } = classOf(f);
    if (only !== null && (domain === null || !only.has(domain))) return;
    if (isAuthenticationFailure(cls)) problems = true;
    const time = formatTime(f.time);
    const ms = f.time.getTime();
    timed.push({
      ms,
      event: { messageId: f.messageId, time, recipient: f.recipient, domain, class: cls, sender: f.sender, authUser: f.authUser },
    });
    if (timed.length >= maxEvents * 2) omittedEvents += trimOldest(timed, maxEvents);
    if (domain !== null) {
      const key = `${domain}\u0000${cls}`;
      let agg = byDomain.get(key);
      if (!agg) {
        agg = {
          domain,
          class: cls,
          count: 0,
          lastSeen: time,
          lastMs: ms,
          ...bounceAdvice(cls, domain, input.provider),
          authUsers: [],
          users: new Set(),
        };
        byDomain.set(key, agg);
      }
      agg.count++;
      if (ms >= agg.lastMs) {
        agg.lastMs = ms;
        agg.lastSeen = time;
      }
      if (f.authUser) agg.users.add(f.authUser);
    }
    if (f.authUser) {
      let acc = byAccount.get(f.authUser);
      if (!acc) byAccount.set(f.authUser, (acc = { domains: new Set(), counts: {}, lastMs: ms }));
      if (domain) acc.domains.add(domain);
      acc.counts[cls] = (acc.counts[cls] ?? 0) + 1;
      acc.lastMs = Math.max(acc.lastMs, ms);
    }
  };

  const read = await deps.readFailures({
    log: input.log,
    includeRotated: input.includeRotated,
    since: input.since,
    relayHost: input.relayHost,
    cursorStore: input.cursorStore,
    onFailure,
  });

  omittedEvents += trimOldest(timed, maxEvents);
  const events = timed.map((t) => t.event);

  const advice = [...byDomain.values()]
    .sort((a, b) => CLASS_RANK[a.class] - CLASS_RANK[b.class] || b.count - a.count || a.domain.localeCompare(b.domain))
    .map(({ lastMs: _lastMs, users, ...rest }) => ({ ...rest, authUsers: [...users].sort() }));
  const domains = advice.map(({ domain, class: cls, count, lastSeen }) => ({ domain, class: cls, count, lastSeen }));
  const accounts: AccountBounces[] = [...byAccount.entries()]
    .map(([authUser, acc]) => {
      const worstClass = (Object.keys(acc.counts) as BounceClass[]).sort((a, b) => CLASS_RANK[a] - CLASS_RANK[b])[0] ?? 'OTHER';
      const domainList = [...acc.domains].sort();
      return {
        authUser,
        kind: authUser.includes('@') ? ('mailbox' as const) : ('local' as const),
        domains: domainList,
        counts: acc.counts,
        lastSeen: isoLocal(new Date(acc.lastMs)),
        worstClass,
        fix: bounceAdvice(worstClass, domainList.length === 1 ? (domainList[0] ?? null) : null, input.provider).fix,
      };
    })
    .sort((a, b) => CLASS_RANK[a.worstClass] - CLASS_RANK[b.worstClass] || a.authUser.localeCompare(b.authUser));

  return { events, domains, advice, accounts, problems, omittedEvents, files: read.files, warnings: read.warnings };
}

interface TimedEvent {
  ms: number;
  event: BounceEvent;
}

/** Sort by time (stable: log order within a second) and drop the oldest beyond `keep`; returns how many. */
function trimOldest(timed: TimedEvent[], keep: number): number {
  timed.sort((a, b) => a.ms - b.ms);
  const drop = timed.length - keep;
  if (drop <= 0) return 0;
  timed.splice(0, drop);
  return drop;
}

/** The `bounces --json` contract, exactly: `{ events, domains }`. */
export function bounceReportJson(report: BounceReport): { events: BounceEvent[]; domains: DomainBounces[] } {
  return { events: report.events, domains: report.domains };
}
