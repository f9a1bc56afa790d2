/**
 * Notices for account owners (the banner on their page, the mail to their contact address) and the
 * items of the admin's digest, with per-account opt-outs. A notice is deduplicated on (account,
 * domain, kind) within a window, so a burst of rejections makes one notice, not thousands.
 */
import type { Db } from './db';
import type { IsoTime } from './types';

export type NoticeKind = 'repaired' | 'needs-action' | 'repair-failed';

export interface Notice {
  id: number;
  createdAt: IsoTime;
  user: string;
  domain: string;
  kind: NoticeKind;
  message: string;
  changeId: number | null;
  mailedAt: IsoTime | null;
  mailTo: string | null;
  mailError: string | null;
  dismissedAt: IsoTime | null;
  digestedAt: IsoTime | null;
}

export interface NewNotice {
  user: string;
  domain: string;
  kind: NoticeKind;
  message: string;
  changeId?: number;
}

export interface NoticeStore {
  /** The new notice, or null when the same (account, domain, kind) was noticed within `dedupeMs`. */
  addNotice(notice: NewNotice, dedupeMs: number): Notice | null;
  getNotice(id: number): Notice | null;
  markMailed(id: number, outcome: { to: string | null; error?: string }): void;
  /** The account's notices not dismissed, newest first. */
  openNotices(user: string, limit?: number): Notice[];
  /** Dismiss a notice of this account; false when it is not theirs or already gone. */
  dismissNotice(id: number, user: string): boolean;
  recentNotices(limit: number): Notice[];
  /** Notices not yet in an admin digest, oldest first, then marked digested. */
  takeUndigestedNotices(): Notice[];
  setOptOut(user: string, optedOut: boolean, actor: string): void;
  isOptedOut(user: string): boolean;
  optedOutUsers(): string[];
  /** Forget notices made before `before` that are dismissed or already in a digest; returns how many. */
  pruneNotices(before: Date): number;
}

interface NoticeRow {
  id: number;
  created_at: string;
  cpanel_user: string;
  domain: string;
  kind: NoticeKind;
  message: string;
  change_id: number | null;
  mailed_at: string | null;
  mail_to: string | null;
  mail_error: string | null;
  dismissed_at: string | null;
  digested_at: string | null;
}

const notice = (r: NoticeRow): Notice => ({
  id: r.id,
  createdAt: r.created_at,
  user: r.cpanel_user,
  domain: r.domain,
  kind: r.kind,
  message: r.message,
  changeId: r.change_id,
  mailedAt: r.mailed_at,
  mailTo: r.mail_to,
  mailError: r.mail_error,
  dismissedAt: r.dismissed_at,
  digestedAt: r.digested_at,
});

export function createNoticeStore(db: Db, clock: () => Date): NoticeStore {
  const byId = db.prepare('SELECT * FROM notices WHERE id = ?');
  const recentSame = db.prepare('SELECT id FROM notices WHERE cpanel_user = ? AND domain = ? AND kind = ? AND created_at >= ? LIMIT 1');
  const insert = db.prepare('INSERT INTO notices (created_at, cpanel_user, domain, kind, message, change_id) VALUES (?, ?, ?, ?, ?, ?)');
  const add = db.transaction((n: NewNotice, dedupeMs: number): Notice | null => {
    const now = clock();
    if (recentSame.get(n.user, n.domain, n.kind, new Date(now.getTime() - dedupeMs).toISOString())) return null;
    const id = Number(insert.run(now.toISOString(), n.user, n.domain, n.kind, n.message, n.changeId ?? null).lastInsertRowid);
    return notice(byId.get(id) as NoticeRow);
  });
  const takeUndigested = db.transaction(() => {
    const rows = db.prepare('SELECT * FROM notices WHERE digested_at IS NULL ORDER BY id').all() as NoticeRow[];
    db.prepare('UPDATE notices SET digested_at = ? WHERE digested_at IS NULL AND id <= ?').run(clock().toISOString(), rows.at(-1)?.id ?? 0);
    return rows.map(notice);
  });

  return {
    addNotice: (n, dedupeMs) => add.immediate(n, dedupeMs),
    getNotice(id) {
      const row = byId.get(id) as NoticeRow | undefined;
      return row ? notice(row) : null;
    },
    markMailed(id, outcome) {
      db.prepare('UPDATE notices SET mailed_at = ?, mail_to = ?, mail_error = ? WHERE id = ?').run(
        clock().toISOString(),
        outcome.to,
        outcome.error ?? null,
        id,
      );
    },
    openNotices(user, limit = 20) {
      const rows = db
        .prepare('SELECT * FROM notices WHERE cpanel_user = ? AND dismissed_at IS NULL ORDER BY id DESC LIMIT ?')
        .all(user, limit);
      return (rows as NoticeRow[]).map(notice);
    },
    dismissNotice(id, user) {
      const r = db
        .prepare('UPDATE notices SET dismissed_at = ? WHERE id = ? AND cpanel_user = ? AND dismissed_at IS NULL')
        .run(clock().toISOString(), id, user);
      return r.changes === 1;
    },
    recentNotices(limit) {
      return (db.prepare('SELECT * FROM notices ORDER BY id DESC LIMIT ?').all(limit) as NoticeRow[]).map(notice);
    },
    takeUndigestedNotices: () => takeUndigested.immediate(),
    setOptOut(user, optedOut, actor) {
      if (optedOut)
        db.prepare(
          'INSERT INTO notice_optouts (cpanel_user, at, actor) VALUES (?, ?, ?) ON CONFLICT (cpanel_user) DO UPDATE SET at = excluded.at, actor = excluded.actor',
        ).run(user, clock().toISOString(), actor);
      else db.prepare('DELETE FROM notice_optouts WHERE cpanel_user = ?').run(user);
    },
    isOptedOut(user) {
      return db.prepare('SELECT 1 FROM notice_optouts WHERE cpanel_user = ?').get(user) !== undefined;
    },
    pruneNotices(before) {
      return db
        .prepare('DELETE FROM notices WHERE created_at < ? AND (dismissed_at IS NOT NULL OR digested_at IS NOT NULL)')
        .run(before.toISOString()).changes;
    },
    optedOutUsers() {
      return (db.prepare('SELECT cpanel_user FROM notice_optouts ORDER BY cpanel_user').all() as Array<{ cpanel_user: string }>).map(
        (r) => r.cpanel_user,
      );
    },
  };
}
