/**
 * The audit log: who did what, when, to which domain. Append-only, and SQLite enforces it (triggers
 * in schema-v1 RAISE on UPDATE and DELETE), so even a bug or a hand-typed SQL statement in our own
 * process cannot rewrite history.
 */
import { normalizeDomain } from '../../zone/model';
import type { Db } from './db';
import { fromJsonColumn, toJsonColumn } from './record-codec';
import { SqlFilter, clampLimit } from './sql-filter';
import type { ActorKind, AuditEntry, AuditLog } from '../../ports';

export type { AuditEntry, AuditFilter, AuditInput, AuditLog } from '../../ports';

interface AuditRow {
  id: number;
  at: string;
  actor_kind: string;
  actor_name: string;
  action: string;
  domain: string | null;
  zone: string | null;
  change_id: number | null;
  job_id: number | null;
  detail_json: string;
}

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    id: row.id,
    at: row.at,
    actor: { kind: row.actor_kind as ActorKind, name: row.actor_name },
    action: row.action,
    detail: fromJsonColumn(row.detail_json) ?? null,
  };
  if (row.domain !== null) entry.domain = row.domain;
  if (row.zone !== null) entry.zone = row.zone;
  if (row.change_id !== null) entry.changeId = row.change_id;
  if (row.job_id !== null) entry.jobId = row.job_id;
  return entry;
}

export function createAuditLog(db: Db, now: () => Date): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit (at, actor_kind, actor_name, action, domain, zone, change_id, job_id, detail_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  return {
    appendAudit(entry) {
      const row = insert.get(
        now().toISOString(),
        entry.actor.kind,
        entry.actor.name,
        entry.action,
        entry.domain === undefined ? null : normalizeDomain(entry.domain),
        entry.zone === undefined ? null : normalizeDomain(entry.zone),
        entry.changeId ?? null,
        entry.jobId ?? null,
        toJsonColumn(entry.detail ?? null),
      ) as AuditRow;
      return toEntry(row);
    },
    listAudit(filter = {}) {
      const where = new SqlFilter()
        .when(filter.domain === undefined ? undefined : normalizeDomain(filter.domain), 'domain = ?')
        .when(filter.zone === undefined ? undefined : normalizeDomain(filter.zone), 'zone = ?')
        .when(filter.changeId, 'change_id = ?')
        .when(filter.jobId, 'job_id = ?')
        .when(filter.action, 'action = ?')
        .when(filter.actorName, 'actor_name = ?')
        .when(filter.before, 'id < ?');
      const rows = db
        .prepare(`SELECT * FROM audit ${where.sql} ORDER BY id DESC LIMIT ?`)
        .all(...where.params, clampLimit(filter.limit)) as AuditRow[];
      return rows.map(toEntry);
    },
  };
}
