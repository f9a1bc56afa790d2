/**
 * Schema migrations as SQL files (`migrations/NNN_name.sql`, applied in number order), each in its
 * own transaction with its row in `fleet_schema_migrations`. Several controller processes may start
 * at once: a session advisory lock (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS)
 * lets one migrate while the others wait, then find nothing left to do. A database migrated by a
 * newer release is refused, not touched.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { FixEmailAuthError } from '../../errors';
import type { Pool } from './pool';

/** Arbitrary, fixed: "fea" + "mig" in ASCII. */
const LOCK_KEY = 0x6665616d6967;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

/** Next to the compiled file (dist/, where the build copies them) or the source (tests). */
export function migrationsDir(): string {
  const here = join(__dirname, 'migrations');
  if (existsSync(here)) return here;
  return join(__dirname, '..', '..', '..', 'src', 'fleet', 'store', 'migrations');
}

export function readMigrations(dir: string = migrationsDir()): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const out = files.map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
  out.forEach((m, i) => {
    if (m.version !== i + 1) throw new FixEmailAuthError('INTERNAL', `Fleet migrations are out of order at ${m.version}_${m.name}`);
  });
  return out;
}

export async function migrate(pool: Pool, migrations: MigrationFile[] = readMigrations()): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS fleet_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM fleet_schema_migrations');
    const from = applied.rows[0]?.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (from > latest)
      throw new FixEmailAuthError(
        'INTERNAL',
        `The fleet database has schema version ${from}; this release knows up to ${latest}. Run the newer release (the database was not changed).`,
      );
    for (const m of migrations) {
      if (m.version <= from) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO fleet_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new FixEmailAuthError('INTERNAL', `Fleet migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    return { from, to: Math.max(from, latest) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
