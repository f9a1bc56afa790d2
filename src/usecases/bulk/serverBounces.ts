/**
 * The server's mail log for the admin: `bounces --since 24h` over /var/log/exim_mainlog and its
 * rotations, per domain and per cPanel account, with the fix each needs — and a repeated look that
 * reads only what Exim appended since the last one.
 *
 * The Exim reader already reads incrementally with a cursor (adapters/exim). But a cursor alone would
 * make the second `--since 24h` report only the new failures. So the failures of the last days (the
 * window) are kept with the cursor, in the same stored JSON (one write: the offset and the failures it
 * covers can never disagree after a crash). A look whose `--since` falls inside the window replays
 * the window and reads only the new bytes; anything else reads the logs whole and rebuilds the window.
 *
 * Per cPanel account: each failing domain is mapped to the account that owns it (the domain or its
 * nearest parent in /etc/userdomains, as the caller provides), so an admin sees "account bob: 41
 * lockdown rejections on bob.example → fix-email-auth fix bob.example".
 */
import type { LogCursor, LogCursorStore } from '../../adapters/exim/cursor';
import type { EximFailure } from '../../adapters/exim/joiner';
import { readEximFailures, type ReadEximOptions, type ReadEximResult } from '../../adapters/exim/reader';
import { bounceAdvice, type BounceClass } from '../../checks/bounce';
import { findBounces, type BounceReport } from '../bounces';

/** Failures remembered with the cursor: enough for `--since 24h` or `7d` from the window. */
export const DEFAULT_RETENTION_MS = 8 * 86_400_000;
/** Most failures remembered (the newest); beyond that the window starts later. */
export const MAX_WINDOW_EVENTS = 20_000;

const CLASS_RANK: Record<BounceClass, number> = {
  LOCKDOWN_REJECTED: 0,
  SPF_REJECTED: 1,
  RATE_LIMITED: 2,
  RECIPIENT_INVALID: 3,
  OTHER: 4,
  DEFERRED: 5,
};

export interface AccountOwner {
  user: string;
  owner?: string;
}

export interface ServerBouncesInput {
  log: string;
  includeRotated?: boolean;
  since?: Date;
  relayHost?: string;
  provider?: string;
  /** Cursor and window persistence (the journal's `logCursors`); none = read everything, remember nothing. */
  cursorStore?: LogCursorStore;
  /** The cPanel account of a domain, if any. */
  accountOf?: (domain: string) => AccountOwner | undefined;
  now?: Date;
  retentionMs?: number;
  maxEvents?: number;
}

export interface CpanelAccountBounces {
  user: string;
  owner?: string;
  /** Failing domains of the account, most serious first. */
  domains: Array<{ domain: string; class: BounceClass; count: number }>;
  counts: Partial<Record<BounceClass, number>>;
  worstClass: BounceClass;
  lastSeen: string;
  /** What the account needs, in words, and the command that does it when there is one. */
  fix: string;
  command?: string;
}

export interface ServerBounceReport extends BounceReport {
  byCpanelAccount: CpanelAccountBounces[];
  /** Domains with failures that no cPanel account owns (mail relayed for others, forged senders). */
  unowned: string[];
  /** Bytes read from the logs this time. */
  bytesRead: number;
  /** True when only the part appended since the last look was read. */
  incremental: boolean;
}

/** A failure as remembered in the window (JSON). */
type StoredFailure = Omit<EximFailure, 'time'> & { time: number };

interface BounceWindow {
  /** Every failure logged at or after this instant (up to the cursor) is in `events`. */
  from: number;
  events: StoredFailure[];
}

type WindowedCursor = LogCursor & { bounceWindow?: BounceWindow };

function stored(f: EximFailure): StoredFailure {
  return { ...f, time: f.time.getTime() };
}

function revived(s: StoredFailure): EximFailure {
  return { ...s, time: new Date(s.time) };
}

function matchesRelay(f: Pick<EximFailure, 'hostName' | 'hostIp'>, relay: string | undefined): boolean {
  if (!relay) return true;
  const r = relay.toLowerCase().replace(/\.$/, '');
  return (f.hostName !== null && f.hostName.toLowerCase().replace(/\.$/, '') === r) || (f.hostIp !== null && f.hostIp.toLowerCase() === r);
}

/** The account of a domain or of its nearest parent (mail from `news.example.com` is `example.com`'s). */
function ownerOf(domain: string, accountOf: ServerBouncesInput['accountOf']): AccountOwner | undefined {
  if (!accountOf) return undefined;
  for (let name = domain; name.includes('.'); name = name.slice(name.indexOf('.') + 1)) {
    const found = accountOf(name);
    if (found) return found;
  }
  return undefined;
}

function accountFix(cls: BounceClass, domains: string[], provider: string | undefined): { fix: string; command?: string } {
  const advice = bounceAdvice(cls, domains.length === 1 ? (domains[0] ?? null) : null, provider);
  if (cls === 'LOCKDOWN_REJECTED') return { fix: advice.fix, command: `fix-email-auth fix ${domains.join(' ')}` };
  if (cls === 'SPF_REJECTED') return { fix: advice.fix, command: `fix-email-auth diagnose ${domains.join(' ')}` };
  return { fix: advice.fix };
}

export function byCpanelAccount(
  report: BounceReport,
  accountOf: ServerBouncesInput['accountOf'],
  provider?: string,
): { accounts: CpanelAccountBounces[]; unowned: string[] } {
  const accounts = new Map<
    string,
    {
      owner?: string;
      domains: Map<string, { class: BounceClass; count: number }>;
      counts: Partial<Record<BounceClass, number>>;
      lastSeen: string;
    }
  >();
  const unowned = new Set<string>();
  for (const d of report.advice) {
    const account = ownerOf(d.domain, accountOf);
    if (!account) {
      unowned.add(d.domain);
      continue;
    }
    let entry = accounts.get(account.user);
    if (!entry)
      accounts.set(
        account.user,
        (entry = { ...(account.owner ? { owner: account.owner } : {}), domains: new Map(), counts: {}, lastSeen: d.lastSeen }),
      );
    entry.counts[d.class] = (entry.counts[d.class] ?? 0) + d.count;
    const key = `${d.domain}\u0000${d.class}`;
    entry.domains.set(key, { class: d.class, count: (entry.domains.get(key)?.count ?? 0) + d.count });
    if (d.lastSeen > entry.lastSeen) entry.lastSeen = d.lastSeen;
  }
  const list: CpanelAccountBounces[] = [...accounts.entries()].map(([user, a]) => {
    const domains = [...a.domains.entries()]
      .map(([key, v]) => ({ domain: key.split('\u0000')[0] as string, class: v.class, count: v.count }))
      .sort((x, y) => CLASS_RANK[x.class] - CLASS_RANK[y.class] || y.count - x.count || x.domain.localeCompare(y.domain));
    const worstClass = domains[0]?.class ?? 'OTHER';
    const worstDomains = [...new Set(domains.filter((d) => d.class === worstClass).map((d) => d.domain))];
    return {
      user,
      ...(a.owner ? { owner: a.owner } : {}),
      domains,
      counts: a.counts,
      worstClass,
      lastSeen: a.lastSeen,
      ...accountFix(worstClass, worstDomains, provider),
    };
  });
  list.sort(
    (x, y) =>
      CLASS_RANK[x.worstClass] - CLASS_RANK[y.worstClass] ||
      (y.counts[y.worstClass] ?? 0) - (x.counts[x.worstClass] ?? 0) ||
      x.user.localeCompare(y.user),
  );
  return { accounts: list, unowned: [...unowned].sort() };
}

export interface ServerBouncesDeps {
  readFailures(options: ReadEximOptions): Promise<ReadEximResult>;
}

export async function serverBounces(
  input: ServerBouncesInput,
  deps: ServerBouncesDeps = { readFailures: readEximFailures },
): Promise<ServerBounceReport> {
  const now = (input.now ?? new Date()).getTime();
  const cutoff = now - (input.retentionMs ?? DEFAULT_RETENTION_MS);
  const sinceMs = input.since?.getTime();
  const base = input.cursorStore;
  let previous: BounceWindow | undefined;
  let incremental = false;
  const fresh: StoredFailure[] = [];

  // The window travels inside the stored cursor; the reader sees a plain cursor.
  const windowed: LogCursorStore | undefined = base && {
    get(key) {
      const cursor: WindowedCursor | undefined = base.get(key);
      previous = cursor?.bounceWindow;
      incremental = cursor !== undefined && previous !== undefined && sinceMs !== undefined && sinceMs >= previous.from;
      if (!incremental) return undefined; // read everything and rebuild the window
      const { bounceWindow: _w, ...plain } = cursor!;
      return plain;
    },
    set(key, cursor) {
      const keepFrom = Math.max(cutoff, incremental && previous ? previous.from : -Infinity);
      let events = [...(incremental && previous ? previous.events : []), ...fresh].filter((e) => e.time >= keepFrom);
      let from = incremental && previous ? Math.max(previous.from, cutoff) : cutoff;
      if (events.length > MAX_WINDOW_EVENTS) {
        events.sort((a, b) => a.time - b.time);
        events = events.slice(events.length - MAX_WINDOW_EVENTS);
        from = (events[0]?.time ?? from) + 1;
      }
      base.set(key, { ...cursor, bounceWindow: { from, events } } as WindowedCursor);
    },
  };

  const report = await findBounces(
    {
      log: input.log,
      includeRotated: input.includeRotated,
      since: input.since,
      provider: input.provider,
      ...(input.maxEvents ? { maxEvents: input.maxEvents } : {}),
    },
    {
      readFailures: async (options) => {
        const forward = options.onFailure!;
        const keep = (f: EximFailure) => (sinceMs === undefined || f.time.getTime() >= sinceMs) && matchesRelay(f, input.relayHost);
        const result = await deps.readFailures({
          ...options,
          // Read (and remember) the whole window's failures, whatever this look's --since and relay.
          since: windowed ? (sinceMs === undefined ? undefined : new Date(Math.min(cutoff, sinceMs))) : options.since,
          relayHost: windowed ? undefined : input.relayHost,
          ...(windowed ? { cursorStore: windowed } : {}),
          onFailure: (f) => {
            if (windowed && f.time.getTime() >= cutoff) fresh.push(stored(f));
            if (keep(f)) forward(f);
          },
        });
        // After the read: the window's older failures, in log order before the new ones.
        if (incremental && previous) {
          const replay = previous.events.filter((e) => keep(revived(e)));
          for (const e of replay) forward(revived(e));
        }
        return result;
      },
    },
  );
  const { accounts, unowned } = byCpanelAccount(report, input.accountOf, input.provider);
  const bytesRead = report.files.reduce((n, f) => n + f.bytesRead, 0);
  return { ...report, byCpanelAccount: accounts, unowned, bytesRead, incremental };
}
