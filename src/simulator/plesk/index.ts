/** The Plesk simulator (XML API, REST, `plesk bin` CLI) over zones a real PowerDNS serves. */
export { startPleskSimulator, type PleskSimulator, type PleskSimulatorOptions, type OtherEdit } from './server';
export { parsePleskSeed, DEFAULT_TEMPLATE, type PleskSeed, type PleskSeedInput, type ZoneMode } from './seed';
export type { PleskRequestLogEntry } from './http';
export type { DnsRecord, PleskEvent } from './model';
export { runPleskCli, type CliResult } from './cli';
