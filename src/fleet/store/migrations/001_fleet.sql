-- The fleet controller's schema, version 1. Never edit a released migration: add the next file.
-- Times are timestamptz; ids of the servers' own journals (change ids, job ids) are kept as they are.

-- A server that joined with a one-time token. Only its Ed25519 public key is kept: nothing here lets
-- anyone sign as the server. last_seq is the highest outbox entry applied (pushes are idempotent by it).
CREATE TABLE fleet_servers (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  public_key    text NOT NULL UNIQUE,
  hostname      text,
  version       text,
  enrolled_at   timestamptz NOT NULL DEFAULT now(),
  enrolled_by   text NOT NULL,
  last_seen_at  timestamptz,
  last_push_at  timestamptz,
  last_seq      bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  revoked_at    timestamptz
);
-- A name is taken until its server is revoked (a reinstalled server joins again under its old name).
CREATE UNIQUE INDEX fleet_servers_live_name ON fleet_servers (name) WHERE revoked_at IS NULL;

-- One-time enrollment tokens: only their SHA-256 is stored; the name is the admin's choice.
CREATE TABLE fleet_enrollment_tokens (
  id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256  bytea NOT NULL UNIQUE,
  server_name   text NOT NULL CHECK (server_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  server_id     integer REFERENCES fleet_servers (id) ON DELETE SET NULL
);

-- Nonces of signed requests seen within the signature window: a second use is a replay.
CREATE TABLE fleet_nonces (
  server_id  integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  nonce      text NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (server_id, nonce)
);
CREATE INDEX fleet_nonces_by_time ON fleet_nonces (seen_at);

-- The latest scan result of every domain of every server.
CREATE TABLE fleet_domains (
  server_id    integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  domain       text NOT NULL,
  zone         text NOT NULL,
  cpanel_user  text NOT NULL,
  owner        text NOT NULL,
  status       text NOT NULL CHECK (status IN ('ok', 'info', 'warning', 'error', 'unknown')),
  -- The table's default order, worst first (an index can serve it, a CASE in ORDER BY could not).
  status_rank  smallint NOT NULL GENERATED ALWAYS AS (
                 CASE status WHEN 'error' THEN 4 WHEN 'unknown' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END) STORED,
  codes        text[] NOT NULL,
  findings     jsonb NOT NULL,
  scanned_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (server_id, domain)
);
CREATE INDEX fleet_domains_by_rank ON fleet_domains (status_rank DESC, domain, server_id);
CREATE INDEX fleet_domains_by_server ON fleet_domains (server_id, status_rank DESC, domain);
CREATE INDEX fleet_domains_by_owner ON fleet_domains (owner, status_rank DESC, domain);
CREATE INDEX fleet_domains_by_user ON fleet_domains (cpanel_user, status_rank DESC, domain);
CREATE INDEX fleet_domains_by_name ON fleet_domains (domain text_pattern_ops);
CREATE INDEX fleet_domains_by_codes ON fleet_domains USING gin (codes);

-- Every change of every server's journal (history across servers); updated as its status moves.
CREATE TABLE fleet_changes (
  server_id    integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  change_id    bigint NOT NULL,
  domain       text NOT NULL,
  zone         text NOT NULL,
  cpanel_user  text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('repair', 'rollback')),
  rollback_of  bigint,
  status       text NOT NULL,
  actor        text NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  before       text[] NOT NULL,
  after        text[] NOT NULL,
  error        text,
  PRIMARY KEY (server_id, change_id)
);
CREATE INDEX fleet_changes_by_time ON fleet_changes (created_at DESC, server_id, change_id);
CREATE INDEX fleet_changes_by_domain ON fleet_changes (domain, created_at DESC);

-- Lockdown (and other) rejections read from each server's Exim log.
CREATE TABLE fleet_rejections (
  server_id   integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  message_id  text NOT NULL,
  recipient   text NOT NULL,
  time        timestamptz NOT NULL,
  domain      text,
  class       text NOT NULL,
  sender      text,
  auth_user   text,
  PRIMARY KEY (server_id, message_id, recipient, time)
);
CREATE INDEX fleet_rejections_by_time ON fleet_rejections (time DESC);
CREATE INDEX fleet_rejections_by_domain ON fleet_rejections (domain, time DESC);

-- A bulk repair across servers: a wish addressed to each server, which decides for itself.
CREATE TABLE fleet_repairs (
  id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL,
  selection    jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('queued', 'expanding', 'open', 'done', 'cancelled', 'failed')),
  -- The controller process that expanded it (several run at once; any may pick the job up).
  expanded_by  text,
  expanded_at  timestamptz,
  finished_at  timestamptz,
  error        text
);

-- Which servers' parts of a repair are addressed: expansion progress, one row per server.
CREATE TABLE fleet_repair_servers (
  repair_id    integer NOT NULL REFERENCES fleet_repairs (id) ON DELETE CASCADE,
  server_id    integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  items        integer NOT NULL,
  expanded_at  timestamptz NOT NULL DEFAULT now(),
  expanded_by  text NOT NULL,
  PRIMARY KEY (repair_id, server_id)
);

-- One domain of one server in a repair. The unique key is what makes a retried expansion harmless.
CREATE TABLE fleet_request_items (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  repair_id     integer NOT NULL REFERENCES fleet_repairs (id) ON DELETE CASCADE,
  server_id     integer NOT NULL REFERENCES fleet_servers (id) ON DELETE CASCADE,
  domain        text NOT NULL,
  state         text NOT NULL CHECK (state IN ('pending', 'delivered', 'accepted', 'refused', 'unchanged', 'done', 'failed', 'cancelled')),
  reason        text,
  message       text,
  job_id        bigint,
  change_id     bigint,
  codes         text[],
  deliveries    integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (repair_id, server_id, domain)
);
CREATE INDEX fleet_items_open ON fleet_request_items (server_id, id) WHERE state IN ('pending', 'delivered');
CREATE INDEX fleet_items_by_repair ON fleet_request_items (repair_id, server_id, state);

-- People who may use the fleet pages. A local password (scrypt) now; an identity provider's
-- (issuer, subject) later, on the same row.
CREATE TABLE fleet_admins (
  id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
  password_hash   text,
  oidc_issuer     text,
  oidc_subject    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  disabled_at     timestamptz,
  last_login_at   timestamptz,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  UNIQUE (oidc_issuer, oidc_subject)
);

-- Sessions live here, not in a process: any controller process serves any signed-in admin.
CREATE TABLE fleet_sessions (
  id_sha256    bytea PRIMARY KEY,
  admin_id     integer NOT NULL REFERENCES fleet_admins (id) ON DELETE CASCADE,
  csrf         text NOT NULL,
  auth_method  text NOT NULL CHECK (auth_method IN ('password', 'oidc')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX fleet_sessions_by_expiry ON fleet_sessions (expires_at);

-- Who did what on the controller (enrollments, tokens, repairs, revocations, sign-ins).
CREATE TABLE fleet_audit (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  server_id   integer,
  repair_id   integer,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX fleet_audit_by_time ON fleet_audit (at DESC);
