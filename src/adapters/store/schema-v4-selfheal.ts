/**
 * Schema version 4: self-healing. Never edit a released migration: add the next one to `migrations.ts`.
 *
 * The mail-log follower's counts are written in the same transaction as its cursor (the row in
 * `log_cursors`), so a rejection line is counted exactly once whatever moment the daemon stops at.
 */
export const SCHEMA_V4_SELFHEAL = `
-- Failure lines of the followed mail log, by bounce class (LOCKDOWN_REJECTED, SPF_REJECTED, …).
CREATE TABLE selfheal_tally (
  class  TEXT PRIMARY KEY,
  count  INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per domain the log named in a rejection: counts, whether it still needs a diagnosis,
-- and the last diagnosis.
CREATE TABLE selfheal_domains (
  domain            TEXT PRIMARY KEY,
  cpanel_user       TEXT,
  last_class        TEXT NOT NULL,
  rejections        INTEGER NOT NULL,
  digested          INTEGER NOT NULL DEFAULT 0,
  first_seen        TEXT NOT NULL,
  last_seen         TEXT NOT NULL,
  pending           INTEGER NOT NULL CHECK (pending IN (0, 1)),
  checked_at        TEXT,
  check_status      TEXT,
  check_codes_json  TEXT
);
CREATE INDEX selfheal_domains_pending ON selfheal_domains (pending, last_seen) WHERE pending = 1;
CREATE INDEX selfheal_domains_by_user ON selfheal_domains (cpanel_user);

-- Automatic repairs tried (at most one per domain per hour, whatever came of it).
CREATE TABLE selfheal_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  domain      TEXT NOT NULL,
  at          TEXT NOT NULL,
  trigger     TEXT NOT NULL,
  outcome     TEXT,
  change_id   INTEGER REFERENCES changes (id),
  message     TEXT
);
CREATE INDEX selfheal_attempts_by_domain ON selfheal_attempts (domain, at);

-- Accounts restored or transferred onto this server (the restore and transfer hooks).
CREATE TABLE selfheal_migrations (
  cpanel_user  TEXT PRIMARY KEY,
  event        TEXT NOT NULL,
  at           TEXT NOT NULL
);

-- Notices for account owners (banner and mail) and the admin's digest.
CREATE TABLE notices (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at    TEXT NOT NULL,
  cpanel_user   TEXT NOT NULL,
  domain        TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('repaired','needs-action','repair-failed')),
  message       TEXT NOT NULL,
  change_id     INTEGER REFERENCES changes (id),
  mailed_at     TEXT,
  mail_to       TEXT,
  mail_error    TEXT,
  dismissed_at  TEXT,
  digested_at   TEXT
);
CREATE INDEX notices_by_user ON notices (cpanel_user, id);
CREATE INDEX notices_dedupe ON notices (cpanel_user, domain, kind, created_at);
CREATE INDEX notices_undigested ON notices (id) WHERE digested_at IS NULL;

-- Accounts whose owner (or the admin) turned notice mails off.
CREATE TABLE notice_optouts (
  cpanel_user  TEXT PRIMARY KEY,
  at           TEXT NOT NULL,
  actor        TEXT NOT NULL
);

-- Small facts of the self-healing loop (when the last digest went out).
CREATE TABLE selfheal_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`;
