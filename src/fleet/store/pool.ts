/**
 * The controller's PostgreSQL connections (node-postgres, https://node-postgres.com/): one pool per
 * process, and `inTransaction` for the steps that must happen together or not at all.
 */
import { Pool, type PoolClient, type QueryResultRow } from 'pg';

export type Queryable = Pick<PoolClient, 'query'>;
export type { Pool, PoolClient, QueryResultRow };

export function createPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): Pool {
  const pool = new Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'fix-email-auth-fleet',
    // A statement that runs away (a bad plan at fleet scale) must not hold a page or a push forever.
    statement_timeout: 60_000,
    // The controller's queries are a count and one page: parallel workers cost more to start than
    // they save at fleet sizes (bench/fleet.js: an unfiltered count of 200 000 rows took 160–260 ms
    // with 2 workers, 32–55 ms without), and many admins and servers at once would multiply them.
    options: '-c max_parallel_workers_per_gather=0',
    idleTimeoutMillis: 30_000,
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Run `fn` in one transaction on one client: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** bigint columns come back as strings from node-postgres; our ids fit a JavaScript number. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(value as string | number).toISOString();
}
