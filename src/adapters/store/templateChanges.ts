/**
 * The journal of zone-template repairs (migration 3): the whole text before and after, the backup
 * copy of the previous file, who did it, and the undo that reverses it. A template is small (a few
 * hundred bytes), so keeping both texts costs nothing and makes an undo exact.
 */
import type { AuditLog } from './audit';
import type { Db } from './db';
import { storeError } from './store-error';
import type { Actor, ActorKind, IsoTime } from './types';

export const SCHEMA_V3_TEMPLATES = `
CREATE TABLE template_changes (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at   TEXT NOT NULL,
  actor_kind   TEXT NOT NULL CHECK (actor_kind IN ('user','admin','cli','hook','job','system')),
  actor_name   TEXT NOT NULL,
  template     TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('repair','rollback')),
  rollback_of  INTEGER REFERENCES template_changes (id),
  status       TEXT NOT NULL CHECK (status IN ('planned','applied','failed','rolled_back')),
  before_text  TEXT NOT NULL,
  after_text   TEXT NOT NULL,
  backup_path  TEXT,
  error        TEXT
);
CREATE INDEX template_changes_by_template ON template_changes (template, id);
`;

export type TemplateChangeStatus = 'planned' | 'applied' | 'failed' | 'rolled_back';

export interface TemplateChange {
  id: number;
  createdAt: IsoTime;
  actor: Actor;
  template: string;
  kind: 'repair' | 'rollback';
  rollbackOf?: number;
  status: TemplateChangeStatus;
  beforeText: string;
  afterText: string;
  backupPath?: string;
  error?: string;
}

export interface TemplateJournal {
  createTemplateChange(
    input: Pick<TemplateChange, 'actor' | 'template' | 'kind' | 'beforeText' | 'afterText' | 'rollbackOf'>,
  ): TemplateChange;
  /** planned → applied | failed; applied → rolled_back. */
  settleTemplateChange(
    id: number,
    status: Exclude<TemplateChangeStatus, 'planned'>,
    patch?: { backupPath?: string; error?: string },
  ): TemplateChange;
  getTemplateChange(id: number): TemplateChange | undefined;
  listTemplateChanges(filter?: { template?: string; limit?: number }): TemplateChange[];
}

interface Row {
  id: number;
  created_at: string;
  actor_kind: string;
  actor_name: string;
  template: string;
  kind: 'repair' | 'rollback';
  rollback_of: number | null;
  status: TemplateChangeStatus;
  before_text: string;
  after_text: string;
  backup_path: string | null;
  error: string | null;
}

function fromRow(r: Row): TemplateChange {
  return {
    id: r.id,
    createdAt: r.created_at,
    actor: { kind: r.actor_kind as ActorKind, name: r.actor_name },
    template: r.template,
    kind: r.kind,
    ...(r.rollback_of !== null ? { rollbackOf: r.rollback_of } : {}),
    status: r.status,
    beforeText: r.before_text,
    afterText: r.after_text,
    ...(r.backup_path !== null ? { backupPath: r.backup_path } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
  };
}

const NEXT: Record<TemplateChangeStatus, readonly TemplateChangeStatus[]> = {
  planned: ['applied', 'failed'],
  applied: ['rolled_back'],
  failed: [],
  rolled_back: [],
};

export function createTemplateJournal(db: Db, now: () => Date, audit: AuditLog): TemplateJournal {
  const get = (id: number) => db.prepare('SELECT * FROM template_changes WHERE id = ?').get(id) as Row | undefined;
  return {
    createTemplateChange(input) {
      const id = Number(
        db
          .prepare(
            `INSERT INTO template_changes (created_at, actor_kind, actor_name, template, kind, rollback_of, status, before_text, after_text)
             VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
          )
          .run(
            now().toISOString(),
            input.actor.kind,
            input.actor.name,
            input.template,
            input.kind,
            input.rollbackOf ?? null,
            input.beforeText,
            input.afterText,
          ).lastInsertRowid,
      );
      audit.appendAudit({
        actor: input.actor,
        action: `template.${input.kind}.planned`,
        detail: { template: input.template, templateChangeId: id },
      });
      return fromRow(get(id)!);
    },
    settleTemplateChange(id, status, patch = {}) {
      const row = get(id);
      if (!row) throw storeError('NOT_FOUND', `There is no zone-template change ${id}.`);
      if (!NEXT[row.status].includes(status))
        throw storeError('CONFLICT', `Zone-template change ${id} is ${row.status}; it cannot become ${status}.`);
      db.prepare(
        'UPDATE template_changes SET status = ?, backup_path = coalesce(?, backup_path), error = coalesce(?, error) WHERE id = ?',
      ).run(status, patch.backupPath ?? null, patch.error ?? null, id);
      audit.appendAudit({
        actor: { kind: row.actor_kind as ActorKind, name: row.actor_name },
        action: `template.${row.kind}.${status}`,
        detail: { template: row.template, templateChangeId: id },
      });
      return fromRow(get(id)!);
    },
    getTemplateChange: (id) => {
      const row = get(id);
      return row && fromRow(row);
    },
    listTemplateChanges(filter = {}) {
      const rows = (
        filter.template === undefined
          ? db.prepare('SELECT * FROM template_changes ORDER BY id DESC LIMIT ?').all(filter.limit ?? 200)
          : db
              .prepare('SELECT * FROM template_changes WHERE template = ? ORDER BY id DESC LIMIT ?')
              .all(filter.template, filter.limit ?? 200)
      ) as Row[];
      return rows.map(fromRow);
    },
  };
}
