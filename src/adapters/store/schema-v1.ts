/**
 * Schema version 1. Never edit a released migration: add the next one to `migrations.ts`.
 *
 * Record data (`removed_json`, `added_json`, `plan_json`) holds DNS strings as base64 of their bytes
 * (like cPanel's `data_b64`), see `record-codec.ts`. Other `*_json` columns are plain JSON.
 */
export const SCHEMA_V1 = `
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('queued','running','cancelling','cancelled','done','failed','interrupted')),
  actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user','admin','cli','hook','job','system')),
  actor_name   TEXT NOT NULL,
  params_json  TEXT NOT NULL,
  dry_run      INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  -- Which process is working the job (pid@host); recovery leaves a live runner's job alone.
  runner       TEXT,
  error_json   TEXT
);
CREATE INDEX jobs_by_status ON jobs (status, id);

CREATE TABLE changes (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  actor_kind         TEXT NOT NULL CHECK (actor_kind IN ('user','admin','cli','hook','job','system')),
  actor_name         TEXT NOT NULL,
  domain             TEXT NOT NULL,
  zone               TEXT NOT NULL,
  cpanel_user        TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('repair','rollback')),
  rollback_of        INTEGER REFERENCES changes (id),
  status             TEXT NOT NULL CHECK (status IN ('planned','backed_up','applying','applied','verified','failed','rolled_back')),
  serial_before      TEXT NOT NULL,
  serial_after       TEXT,
  removed_json       TEXT NOT NULL,
  added_json         TEXT NOT NULL,
  plan_json          TEXT NOT NULL,
  backup_json        TEXT,
  verification_json  TEXT,
  error_json         TEXT,
  job_id             INTEGER REFERENCES jobs (id),
  CHECK ((kind = 'rollback') = (rollback_of IS NOT NULL))
);
CREATE INDEX changes_by_domain ON changes (domain, id);
CREATE INDEX changes_by_zone ON changes (zone, id);
CREATE INDEX changes_by_user ON changes (cpanel_user, id);
CREATE INDEX changes_by_status ON changes (status, id);
CREATE INDEX changes_by_job ON changes (job_id) WHERE job_id IS NOT NULL;
-- Two admins pressing "undo" at once: only one rollback of a change may be live (a failed one does not count).
CREATE UNIQUE INDEX changes_one_live_rollback ON changes (rollback_of) WHERE rollback_of IS NOT NULL AND status <> 'failed';

-- The journal is the only copy of the records we removed: rows are never deleted.
CREATE TRIGGER changes_are_never_deleted BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change journal is append-only: a change is never deleted'); END;
-- What a change is about never changes after the fact.
CREATE TRIGGER changes_identity_is_fixed BEFORE UPDATE ON changes
WHEN NEW.id IS NOT OLD.id OR NEW.created_at IS NOT OLD.created_at OR NEW.actor_kind IS NOT OLD.actor_kind
  OR NEW.actor_name IS NOT OLD.actor_name OR NEW.domain IS NOT OLD.domain OR NEW.zone IS NOT OLD.zone
  OR NEW.cpanel_user IS NOT OLD.cpanel_user OR NEW.kind IS NOT OLD.kind OR NEW.rollback_of IS NOT OLD.rollback_of
BEGIN SELECT RAISE(ABORT, 'a change''s actor, domain, zone, user and kind are fixed when it is created'); END;
-- The snapshot (records removed, plan, serial read) may only be replaced by a re-plan, which goes back to 'planned'.
CREATE TRIGGER changes_snapshot_is_fixed BEFORE UPDATE ON changes
WHEN NEW.status <> 'planned' AND (NEW.removed_json IS NOT OLD.removed_json OR NEW.plan_json IS NOT OLD.plan_json
  OR NEW.serial_before IS NOT OLD.serial_before)
BEGIN SELECT RAISE(ABORT, 'the records removed, the plan and the serial before may only change in a re-plan'); END;

CREATE TABLE job_items (
  job_id       INTEGER NOT NULL REFERENCES jobs (id),
  seq          INTEGER NOT NULL,
  key          TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','skipped','cancelled')),
  step         TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  result_json  TEXT,
  change_id    INTEGER REFERENCES changes (id),
  started_at   TEXT,
  finished_at  TEXT,
  PRIMARY KEY (job_id, seq),
  UNIQUE (job_id, key)
);
CREATE INDEX job_items_by_status ON job_items (job_id, status, seq);
CREATE INDEX job_items_by_change ON job_items (change_id) WHERE change_id IS NOT NULL;

CREATE TABLE audit (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           TEXT NOT NULL,
  actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user','admin','cli','hook','job','system')),
  actor_name   TEXT NOT NULL,
  action       TEXT NOT NULL,
  domain       TEXT,
  zone         TEXT,
  change_id    INTEGER REFERENCES changes (id),
  job_id       INTEGER REFERENCES jobs (id),
  detail_json  TEXT NOT NULL
);
CREATE INDEX audit_by_domain ON audit (domain, id) WHERE domain IS NOT NULL;
CREATE INDEX audit_by_change ON audit (change_id, id) WHERE change_id IS NOT NULL;
CREATE INDEX audit_by_job ON audit (job_id, id) WHERE job_id IS NOT NULL;
CREATE INDEX audit_by_action ON audit (action, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be updated'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted'); END;

-- Latest scan result per domain; a cache of the last scan, rebuilt by scanning again.
CREATE TABLE scan_results (
  domain       TEXT PRIMARY KEY,
  zone         TEXT NOT NULL,
  cpanel_user  TEXT NOT NULL,
  owner        TEXT NOT NULL,
  status       TEXT NOT NULL,
  codes_json   TEXT NOT NULL,
  report_json  TEXT NOT NULL,
  scanned_at   TEXT NOT NULL
);
CREATE INDEX scan_results_by_user ON scan_results (cpanel_user);
CREATE INDEX scan_results_by_owner ON scan_results (owner);
CREATE INDEX scan_results_by_status ON scan_results (status);
-- One row per (finding code, domain) so "every domain with LOCKDOWN_STALE" is an index range, not a scan of JSON.
CREATE TABLE scan_codes (
  code    TEXT NOT NULL,
  domain  TEXT NOT NULL REFERENCES scan_results (domain) ON DELETE CASCADE,
  PRIMARY KEY (code, domain)
) WITHOUT ROWID;
CREATE INDEX scan_codes_by_domain ON scan_codes (domain);

-- Where the Exim log reader stopped. The cursor is the Exim adapter's object, kept whole as JSON so
-- its shape (identity, offset, head hash, open arrivals) can grow without a migration here.
CREATE TABLE log_cursors (
  key          TEXT PRIMARY KEY,
  cursor_json  TEXT NOT NULL,
  saved_at     TEXT NOT NULL
);
`;
