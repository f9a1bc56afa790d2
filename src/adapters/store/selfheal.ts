/**
 * What the self-healing loop remembers: rejections counted from the followed mail log (by class, and
 * per domain with whether it still needs a diagnosis), automatic repairs tried, and accounts that were
 * restored or transferred here. Counting happens inside the caller's transaction that also saves the
 * log cursor, so no log line is ever counted twice or lost across a restart.
 */
import type { Db } from './db';
import type { IsoTime } from './types';

/** One read of the log, summed per class and per domain. */
export interface RejectionBatch {
  /** Failure lines by bounce class. */
  byClass: ReadonlyMap<string, number>;
  /** Rejections that name a domain and need its DNS looked at (lockdown, SPF). */
  byDomain: ReadonlyMap<string, DomainRejections>;
}

export interface DomainRejections {
  cls: string;
  count: number;
  /** Log times of the first and last of them. */
  first: Date;
  last: Date;
}

export interface RejectedDomain {
  domain: string;
  user: string | null;
  lastClass: string;
  rejections: number;
  /** Rejections not yet in an admin digest. */
  undigested: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
  pending: boolean;
  checkedAt: IsoTime | null;
  checkStatus: string | null;
  checkCodes: string[];
}

export interface AutofixAttempt {
  id: number;
  domain: string;
  at: IsoTime;
  trigger: string;
  outcome: string | null;
  changeId: number | null;
  message: string | null;
}

export interface SelfHealStore {
  /** Add a batch to the counts; call inside the transaction that saves the log cursor. */
  recordRejections(batch: RejectionBatch): void;
  /** Counts by class since the first follow. */
  tally(): Record<string, number>;
  /** Domains with a rejection not yet diagnosed, oldest first. */
  pendingDomains(limit: number): string[];
  markChecked(domain: string, check: { user: string | null; status: string; codes: readonly string[] }): void;
  rejectedDomains(filter?: { user?: string; limit?: number }): RejectedDomain[];
  /** Rejections per domain not yet in a digest, then mark them digested. */
  takeUndigestedRejections(): Array<{ domain: string; user: string | null; count: number; lastClass: string }>;
  /**
   * Claim the right to try an automatic repair of `domain` now: false when one was tried less than
   * `minIntervalMs` ago. Atomic, so two triggers at once make one attempt.
   */
  claimAutofix(domain: string, trigger: string, minIntervalMs: number): AutofixAttempt | null;
  finishAutofix(id: number, outcome: string, changeId: number | null, message: string): void;
  lastAutofix(domain: string): AutofixAttempt | null;
  recentAutofixes(limit: number): AutofixAttempt[];
  /** Forget automatic-repair attempts made before `before` (the journal keeps their changes). */
  pruneAutofixes(before: Date): number;
  recordMigration(user: string, event: string): void;
  /** When the account was last restored or transferred here, if ever. */
  migratedAt(user: string): Date | null;
  /** Accounts restored or transferred here at or after `since`. */
  migratedSince(since: Date): string[];
  getState(key: string): string | null;
  setState(key: string, value: string): void;
}

interface DomainRow {
  domain: string;
  cpanel_user: string | null;
  last_class: string;
  rejections: number;
  digested: number;
  first_seen: string;
  last_seen: string;
  pending: number;
  checked_at: string | null;
  check_status: string | null;
  check_codes_json: string | null;
}

interface AttemptRow {
  id: number;
  domain: string;
  at: string;
  trigger: string;
  outcome: string | null;
  change_id: number | null;
  message: string | null;
}

const attempt = (r: AttemptRow): AutofixAttempt => ({
  id: r.id,
  domain: r.domain,
  at: r.at,
  trigger: r.trigger,
  outcome: r.outcome,
  changeId: r.change_id,
  message: r.message,
});

const rejected = (r: DomainRow): RejectedDomain => ({
  domain: r.domain,
  user: r.cpanel_user,
  lastClass: r.last_class,
  rejections: r.rejections,
  undigested: r.rejections - r.digested,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  pending: r.pending === 1,
  checkedAt: r.checked_at,
  checkStatus: r.check_status,
  checkCodes: r.check_codes_json ? (JSON.parse(r.check_codes_json) as string[]) : [],
});

export function createSelfHealStore(db: Db, clock: () => Date): SelfHealStore {
  const addClass = db.prepare(
    `INSERT INTO selfheal_tally (class, count) VALUES (?, ?) ON CONFLICT (class) DO UPDATE SET count = count + excluded.count`,
  );
  const addDomain = db.prepare(
    `INSERT INTO selfheal_domains (domain, last_class, rejections, first_seen, last_seen, pending) VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT (domain) DO UPDATE SET last_class = excluded.last_class, rejections = rejections + excluded.rejections,
       last_seen = max(last_seen, excluded.last_seen), pending = 1`,
  );
  const lastAttempt = db.prepare('SELECT * FROM selfheal_attempts WHERE domain = ? ORDER BY id DESC LIMIT 1');
  const insertAttempt = db.prepare('INSERT INTO selfheal_attempts (domain, at, trigger) VALUES (?, ?, ?)');
  const claim = db.transaction((domain: string, trigger: string, minIntervalMs: number): AutofixAttempt | null => {
    const now = clock();
    const last = lastAttempt.get(domain) as AttemptRow | undefined;
    if (last && now.getTime() - Date.parse(last.at) < minIntervalMs) return null;
    const id = Number(insertAttempt.run(domain, now.toISOString(), trigger).lastInsertRowid);
    return { id, domain, at: now.toISOString(), trigger, outcome: null, changeId: null, message: null };
  });
  const takeUndigested = db.transaction(() => {
    const rows = db
      .prepare('SELECT domain, cpanel_user, last_class, rejections - digested AS n FROM selfheal_domains WHERE rejections > digested')
      .all() as Array<{ domain: string; cpanel_user: string | null; last_class: string; n: number }>;
    db.prepare('UPDATE selfheal_domains SET digested = rejections WHERE rejections > digested').run();
    return rows.map((r) => ({ domain: r.domain, user: r.cpanel_user, count: r.n, lastClass: r.last_class }));
  });

  return {
    recordRejections(batch) {
      for (const [cls, n] of batch.byClass) addClass.run(cls, n);
      for (const [domain, d] of batch.byDomain) addDomain.run(domain, d.cls, d.count, d.first.toISOString(), d.last.toISOString());
    },
    tally() {
      const rows = db.prepare('SELECT class, count FROM selfheal_tally').all() as Array<{ class: string; count: number }>;
      return Object.fromEntries(rows.map((r) => [r.class, r.count]));
    },
    pendingDomains(limit) {
      const rows = db.prepare('SELECT domain FROM selfheal_domains WHERE pending = 1 ORDER BY last_seen LIMIT ?').all(limit);
      return (rows as Array<{ domain: string }>).map((r) => r.domain);
    },
    markChecked(domain, check) {
      db.prepare(
        `UPDATE selfheal_domains SET pending = 0, checked_at = ?, check_status = ?, check_codes_json = ?,
           cpanel_user = coalesce(?, cpanel_user) WHERE domain = ?`,
      ).run(clock().toISOString(), check.status, JSON.stringify(check.codes), check.user, domain);
    },
    rejectedDomains(filter = {}) {
      const rows =
        filter.user !== undefined
          ? db
              .prepare('SELECT * FROM selfheal_domains WHERE cpanel_user = ? ORDER BY last_seen DESC LIMIT ?')
              .all(filter.user, filter.limit ?? 100)
          : db.prepare('SELECT * FROM selfheal_domains ORDER BY last_seen DESC LIMIT ?').all(filter.limit ?? 100);
      return (rows as DomainRow[]).map(rejected);
    },
    takeUndigestedRejections: () => takeUndigested.immediate(),
    claimAutofix: (domain, trigger, minIntervalMs) => claim.immediate(domain, trigger, minIntervalMs),
    finishAutofix(id, outcome, changeId, message) {
      db.prepare('UPDATE selfheal_attempts SET outcome = ?, change_id = ?, message = ? WHERE id = ?').run(outcome, changeId, message, id);
    },
    lastAutofix(domain) {
      const row = lastAttempt.get(domain) as AttemptRow | undefined;
      return row ? attempt(row) : null;
    },
    recentAutofixes(limit) {
      return (db.prepare('SELECT * FROM selfheal_attempts ORDER BY id DESC LIMIT ?').all(limit) as AttemptRow[]).map(attempt);
    },
    pruneAutofixes(before) {
      return db.prepare('DELETE FROM selfheal_attempts WHERE at < ?').run(before.toISOString()).changes;
    },
    recordMigration(user, event) {
      db.prepare(
        `INSERT INTO selfheal_migrations (cpanel_user, event, at) VALUES (?, ?, ?)
         ON CONFLICT (cpanel_user) DO UPDATE SET event = excluded.event, at = excluded.at`,
      ).run(user, event, clock().toISOString());
    },
    migratedAt(user) {
      const row = db.prepare('SELECT at FROM selfheal_migrations WHERE cpanel_user = ?').get(user) as { at: string } | undefined;
      return row ? new Date(row.at) : null;
    },
    migratedSince(since) {
      const rows = db.prepare('SELECT cpanel_user FROM selfheal_migrations WHERE at >= ? ORDER BY at').all(since.toISOString());
      return (rows as Array<{ cpanel_user: string }>).map((r) => r.cpanel_user);
    },
    getState(key) {
      const row = db.prepare('SELECT value FROM selfheal_state WHERE key = ?').get(key) as { value: string } | undefined;
      return row?.value ?? null;
    },
    setState(key, value) {
      db.prepare('INSERT INTO selfheal_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
        key,
        value,
      );
    },
  };
}
