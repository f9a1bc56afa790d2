/** The fleet controller's PostgreSQL store: one module per concern, all taking a pool or a client. */
export { createPool, inTransaction, type Pool, type Queryable } from './pool';
export { migrate, readMigrations, migrationsDir } from './migrate';
export * from './servers';
export { applyPush } from './ingest';
export * from './domains';
export * from './repairs';
export * from './history';
export * from './admins';
