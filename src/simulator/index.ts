/**
 * The cPanel/WHM API simulator (docs/reference/cpanel-api.md §10): what the demo and the integration tests start.
 */
export { startSimulator, DEFAULT_CONCURRENT_RECORD } from './server';
export type { Simulator, SimulatorOptions, PowerDnsReloader } from './server';
export { parseSeed, loadSeedFile } from './seed';
export type { Seed, SeedInput, AccountSpecInput, ZoneSpecInput, TokenSpec } from './seed';
export { demoSeed, DEMO_AUTH_ID, DEMO_TOKENS } from './demoSeed';
export type { FaultRule, FaultKind } from './faults';
export type { RequestLogEntry } from './requestLog';
