/**
 * Schema version 2: what a server enrolled in a fleet keeps (usecases/fleet/). Never edit a released
 * migration: add the next one to `migrations.ts`.
 *
 * - `fleet_outbox`: entries waiting for the controller, numbered by `seq` (AUTOINCREMENT: never
 *   reused, so the controller's "applied up to N" stays true after acknowledged rows are deleted).
 * - `fleet_dirty`: which domains' scan results and which changes were written since they were last
 *   put in the outbox. Filled by triggers that exist only while the server is enrolled
 *   (fleet.ts `enableFleetFeed`), in the same transaction as the write itself: nothing the scan or
 *   a repair writes can be missed, and a server not in a fleet pays nothing.
 * - `fleet_state`: small values (acknowledged sequence, the rejections' time mark, last contact).
 * - `fleet_requests`: the controller's repair requests this server has seen and what it decided.
 */
export const SCHEMA_V2_FLEET = `
CREATE TABLE fleet_outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  body_json   TEXT NOT NULL
);

CREATE TABLE fleet_dirty (
  kind  TEXT NOT NULL CHECK (kind IN ('domain', 'change')),
  key   TEXT NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE fleet_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

CREATE TABLE fleet_requests (
  item_id       INTEGER PRIMARY KEY,
  repair_id     INTEGER NOT NULL,
  domain        TEXT NOT NULL,
  requested_by  TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('accepted', 'refused', 'unchanged', 'done', 'failed')),
  job_id        INTEGER REFERENCES jobs (id),
  outcome_json  TEXT NOT NULL
);
CREATE INDEX fleet_requests_open ON fleet_requests (state) WHERE state = 'accepted';
`;
