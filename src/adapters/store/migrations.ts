/**
 * Schema migrations keyed by `PRAGMA user_version`: an ordered list, each step in its own
 * transaction together with the version bump, so a crash mid-migration leaves the previous version
 * intact and the next start simply runs the step again. Opening an up-to-date file runs nothing.
 */
import type { Db } from './db';
import { SCHEMA_V1 } from './schema-v1';
import { SCHEMA_V2_FLEET } from './schema-v2-fleet';
import { SCHEMA_V4_SELFHEAL } from './schema-v4-selfheal';
import { storeError } from './store-error';
import { SCHEMA_V3_TEMPLATES } from './templateChanges';

export interface Migration {
  /** 1, 2, 3, … with no gaps: the `user_version` after this step. */
  version: number;
  name: string;
  up(db: Db): void;
}

/** `PRAGMA application_id` of our files ("fEA1"), so we never migrate somebody else's SQLite database. */
export const APPLICATION_ID = 0x66454131;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'journal, audit, jobs, scan results, log cursors', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, name: 'fleet outbox, dirty marks, requests', up: (db) => db.exec(SCHEMA_V2_FLEET) },
  { version: 3, name: 'zone-template changes', up: (db) => db.exec(SCHEMA_V3_TEMPLATES) },
  {
    version: 4,
    name: 'self-healing: followed rejections, automatic repairs, migrations, notices',
    up: (db) => db.exec(SCHEMA_V4_SELFHEAL),
  },
];

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw storeError('INTERNAL', `Migration list is out of order: position ${i + 1} holds version ${m.version} (${m.name})`);
  });
}

function userVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function refuseForeignOrNewer(db: Db, path: string, latest: number): void {
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = userVersion(db);
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw storeError('UNSAFE_VALUE', `${path} is not a fix-email-auth journal (SQLite application_id ${appId})`);
  }
  if (appId === 0 && version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0)
      throw storeError('UNSAFE_VALUE', `${path} is an SQLite database of another program; refusing to use it as the journal`);
  }
  if (version > latest) {
    throw storeError(
      'INTERNAL',
      `The journal ${path} has schema version ${version}, but this fix-email-auth knows versions up to ${latest}: it was written by a newer release. Install that release again (downgrading would lose data); the file was not changed.`,
    );
  }
}

/** Bring the database to the latest version; returns the version before and after. */
export function migrate(db: Db, path: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  assertOrdered(migrations);
  const latest = latestVersion(migrations);
  refuseForeignOrNewer(db, path, latest);
  const from = userVersion(db);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    // IMMEDIATE takes the write lock first; re-reading the version inside it makes two processes
    // starting together run each step once.
    db.transaction(() => {
      if (userVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }
  return { from, to: userVersion(db) };
}
