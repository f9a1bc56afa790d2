/**
 * A server's side of the fleet in its SQLite store (schema-v2-fleet.ts): the outbox the controller
 * is fed from, the dirty marks the triggers leave, small state values, and the repair requests seen.
 * The entries' shape is the use case's (usecases/fleet/): here they are a kind and a JSON body.
 */
import type { Db } from './db';
import { decodeAddedRecords, decodeZoneRecords, fromJsonColumn } from './record-codec';
import type { ChangeStatus } from './change-status';

export interface OutboxRow {
  seq: number;
  kind: string;
  body: unknown;
  bytes: number;
}

export interface ScanRowForFleet {
  domain: string;
  zone: string;
  user: string;
  owner: string;
  status: string;
  codes: string[];
  report: unknown;
  scannedAt: string;
}

export interface ChangeRowForFleet {
  id: number;
  domain: string;
  zone: string;
  user: string;
  kind: 'repair' | 'rollback';
  rollbackOf: number | null;
  status: ChangeStatus;
  actor: string;
  createdAt: string;
  updatedAt: string;
  /** Values of the records taken out and put in (TXT strings joined), for the fleet's history. */
  before: string[];
  after: string[];
  error: string | null;
}

export type FleetRequestState = 'accepted' | 'refused' | 'unchanged' | 'done' | 'failed';

export interface FleetRequestRow {
  itemId: number;
  repairId: number;
  domain: string;
  requestedBy: string;
  receivedAt: string;
  state: FleetRequestState;
  jobId: number | null;
  outcome: unknown;
}

export interface FleetOutbox {
  /**
   * Start recording what changes for the controller (triggers on scan results and changes) and mark
   * everything already there, so the first push carries the whole picture. Idempotent.
   */
  enableFleetFeed(): void;
  disableFleetFeed(): void;
  /** Forget everything of a previous enrollment: outbox, requests seen, state values (a new join). */
  resetFleet(): void;
  /** Take (and clear) up to `limit` dirty marks of a kind. Call inside `transaction` with the enqueue. */
  takeDirty(kind: 'domain' | 'change', limit: number): string[];
  scanRowsFor(domains: readonly string[]): ScanRowForFleet[];
  changeRowsFor(ids: readonly number[]): ChangeRowForFleet[];
  enqueue(kind: string, body: unknown, at: Date): number;
  /** Entries after `afterSeq`, oldest first, at most `limit` and about `maxBytes` (at least one). */
  pending(afterSeq: number, limit: number, maxBytes: number): OutboxRow[];
  /** Drop entries the controller has applied. */
  acknowledge(upToSeq: number): number;
  outboxSize(): number;
  fleetState(key: string): string | undefined;
  setFleetState(key: string, value: string): void;
  fleetRequest(itemId: number): FleetRequestRow | undefined;
  saveFleetRequest(row: FleetRequestRow): void;
  openFleetRequests(): FleetRequestRow[];
  allFleetRequests(): FleetRequestRow[];
}

const TRIGGERS = [
  `CREATE TRIGGER IF NOT EXISTS fleet_dirty_scan_insert AFTER INSERT ON scan_results BEGIN INSERT OR IGNORE INTO fleet_dirty (kind, key) VALUES ('domain', NEW.domain); END`,
  `CREATE TRIGGER IF NOT EXISTS fleet_dirty_scan_update AFTER UPDATE ON scan_results BEGIN INSERT OR IGNORE INTO fleet_dirty (kind, key) VALUES ('domain', NEW.domain); END`,
  `CREATE TRIGGER IF NOT EXISTS fleet_dirty_scan_delete AFTER DELETE ON scan_results BEGIN INSERT OR IGNORE INTO fleet_dirty (kind, key) VALUES ('domain', OLD.domain); END`,
  `CREATE TRIGGER IF NOT EXISTS fleet_dirty_change_insert AFTER INSERT ON changes BEGIN INSERT OR IGNORE INTO fleet_dirty (kind, key) VALUES ('change', NEW.id); END`,
  `CREATE TRIGGER IF NOT EXISTS fleet_dirty_change_update AFTER UPDATE ON changes BEGIN INSERT OR IGNORE INTO fleet_dirty (kind, key) VALUES ('change', NEW.id); END`,
];
const TRIGGER_NAMES = [
  'fleet_dirty_scan_insert',
  'fleet_dirty_scan_update',
  'fleet_dirty_scan_delete',
  'fleet_dirty_change_insert',
  'fleet_dirty_change_update',
];

/** SQLite's default limit on host parameters is 32 766; stay far below. */
const IN_CHUNK = 500;

function chunks<T>(list: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function createFleetOutbox(db: Db): FleetOutbox {
  const getState = db.prepare('SELECT value FROM fleet_state WHERE key = ?');
  const putState = db.prepare('INSERT INTO fleet_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const insertEntry = db.prepare('INSERT INTO fleet_outbox (kind, created_at, body_json) VALUES (?, ?, ?)');
  const selectPending = db.prepare('SELECT seq, kind, body_json FROM fleet_outbox WHERE seq > ? ORDER BY seq LIMIT ?');
  const deleteAcked = db.prepare('DELETE FROM fleet_outbox WHERE seq <= ?');
  const countOutbox = db.prepare('SELECT count(*) AS n FROM fleet_outbox');
  const selectDirty = db.prepare('SELECT key FROM fleet_dirty WHERE kind = ? ORDER BY key LIMIT ?');
  const deleteDirty = db.prepare('DELETE FROM fleet_dirty WHERE kind = ? AND key = ?');
  const selectRequest = db.prepare('SELECT * FROM fleet_requests WHERE item_id = ?');
  const selectOpen = db.prepare(`SELECT * FROM fleet_requests WHERE state = 'accepted' ORDER BY item_id`);
  const upsertRequest = db.prepare(
    `INSERT INTO fleet_requests (item_id, repair_id, domain, requested_by, received_at, state, job_id, outcome_json)
     VALUES (@itemId, @repairId, @domain, @requestedBy, @receivedAt, @state, @jobId, @outcomeJson)
     ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, job_id = excluded.job_id, outcome_json = excluded.outcome_json`,
  );

  const toRequest = (r: Record<string, unknown>): FleetRequestRow => ({
    itemId: Number(r.item_id),
    repairId: Number(r.repair_id),
    domain: String(r.domain),
    requestedBy: String(r.requested_by),
    receivedAt: String(r.received_at),
    state: r.state as FleetRequestState,
    jobId: r.job_id === null ? null : Number(r.job_id),
    outcome: JSON.parse(String(r.outcome_json)) as unknown,
  });

  return {
    enableFleetFeed() {
      db.transaction(() => {
        for (const sql of TRIGGERS) db.exec(sql);
        db.exec(`INSERT OR IGNORE INTO fleet_dirty (kind, key) SELECT 'domain', domain FROM scan_results`);
        db.exec(`INSERT OR IGNORE INTO fleet_dirty (kind, key) SELECT 'change', id FROM changes`);
      }).immediate();
    },
    disableFleetFeed() {
      db.transaction(() => {
        for (const name of TRIGGER_NAMES) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
        db.exec('DELETE FROM fleet_dirty');
      }).immediate();
    },
    resetFleet() {
      db.transaction(() => {
        db.exec('DELETE FROM fleet_outbox; DELETE FROM fleet_requests; DELETE FROM fleet_state; DELETE FROM fleet_dirty');
      }).immediate();
    },
    takeDirty(kind, limit) {
      const keys = (selectDirty.all(kind, limit) as Array<{ key: string }>).map((r) => r.key);
      for (const key of keys) deleteDirty.run(kind, key);
      return keys;
    },
    scanRowsFor(domains) {
      const out: ScanRowForFleet[] = [];
      for (const part of chunks(domains)) {
        const rows = db.prepare(`SELECT * FROM scan_results WHERE domain IN (${part.map(() => '?').join(', ')})`).all(...part) as Array<
          Record<string, unknown>
        >;
        for (const r of rows)
          out.push({
            domain: String(r.domain),
            zone: String(r.zone),
            user: String(r.cpanel_user),
            owner: String(r.owner),
            status: String(r.status),
            codes: JSON.parse(String(r.codes_json)) as string[],
            report: fromJsonColumn<unknown>(r.report_json as string | null) ?? null,
            scannedAt: String(r.scanned_at),
          });
      }
      return out;
    },
    changeRowsFor(ids) {
      const out: ChangeRowForFleet[] = [];
      for (const part of chunks(ids)) {
        const rows = db.prepare(`SELECT * FROM changes WHERE id IN (${part.map(() => '?').join(', ')})`).all(...part) as Array<
          Record<string, unknown>
        >;
        for (const r of rows)
          out.push({
            id: Number(r.id),
            domain: String(r.domain),
            zone: String(r.zone),
            user: String(r.cpanel_user),
            kind: r.kind as 'repair' | 'rollback',
            rollbackOf: r.rollback_of === null ? null : Number(r.rollback_of),
            status: r.status as ChangeStatus,
            actor: `${String(r.actor_kind)}:${String(r.actor_name)}`,
            createdAt: String(r.created_at),
            updatedAt: String(r.updated_at),
            before: decodeZoneRecords(String(r.removed_json)).map((rec) => rec.data.join('')),
            after: decodeAddedRecords(String(r.added_json)).map((rec) => rec.data.join('')),
            error: fromJsonColumn<{ message?: string }>(r.error_json as string | null)?.message ?? null,
          });
      }
      return out;
    },
    enqueue(kind, body, at) {
      return Number(insertEntry.run(kind, at.toISOString(), JSON.stringify(body)).lastInsertRowid);
    },
    pending(afterSeq, limit, maxBytes) {
      const rows = selectPending.all(afterSeq, limit) as Array<{ seq: number; kind: string; body_json: string }>;
      const out: OutboxRow[] = [];
      let bytes = 0;
      for (const r of rows) {
        if (out.length > 0 && bytes + r.body_json.length > maxBytes) break;
        bytes += r.body_json.length;
        out.push({ seq: r.seq, kind: r.kind, body: JSON.parse(r.body_json) as unknown, bytes: r.body_json.length });
      }
      return out;
    },
    acknowledge(upToSeq) {
      return deleteAcked.run(upToSeq).changes;
    },
    outboxSize() {
      return (countOutbox.get() as { n: number }).n;
    },
    fleetState(key) {
      return (getState.get(key) as { value: string } | undefined)?.value;
    },
    setFleetState(key, value) {
      putState.run(key, value);
    },
    fleetRequest(itemId) {
      const row = selectRequest.get(itemId) as Record<string, unknown> | undefined;
      return row ? toRequest(row) : undefined;
    },
    saveFleetRequest(row) {
      upsertRequest.run({ ...row, outcomeJson: JSON.stringify(row.outcome) });
    },
    openFleetRequests() {
      return (selectOpen.all() as Array<Record<string, unknown>>).map(toRequest);
    },
    allFleetRequests() {
      return (db.prepare('SELECT * FROM fleet_requests ORDER BY item_id').all() as Array<Record<string, unknown>>).map(toRequest);
    },
  };
}
