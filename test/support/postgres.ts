/** A real PostgreSQL for tests: the same starter the benchmarks use (src/fleet/dev/postgresCluster.ts). One per test file. */
export * from '../../src/fleet/dev/postgresCluster';
