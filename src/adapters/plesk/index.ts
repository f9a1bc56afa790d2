/** The Plesk adapter: the proposed Panel port over Plesk's XML API (API key) or `plesk bin` (local). */
export { createPleskPanel, pleskTls, type PleskSettings, type PleskPanelOptions } from './client';
export { PleskPanel, relativeHost, type PleskSources } from './pleskPanel';
export type { Panel, PanelBackup, PanelBackupRef, PanelChange, PanelDomain, PanelWriteOutcome, PanelZone } from './panel';
export { applyGuarded, touchedNames, recordsAt, type GuardedChange, type GuardOutcome } from './guard';
export { XmlDns, type PleskDns, type DeleteOutcome } from './dns';
export { CliDns, parseDnsInfo, contentKey } from './cliDns';
export { LocalPleskCli, type PleskCli, type CliAnswer } from './cli';
export { XmlInventory } from './inventory';
export { XmlAuthority, describeMode, type PleskAuthority } from './authority';
export { HttpsXmlTransport, type PleskXmlTransport } from './xmlTransport';
export { delRecByIds, assertNoBroadDelete, type NonEmptyIds } from './xml/packets';
export { toZoneModel, fromZoneRecord, zoneVersion, ASSUMED_TTL } from './zone';
export type { PleskRecord, NewRecord, PleskZoneRef, PleskZoneMode, PleskDomainInfo } from './types';
export { PleskDnsExport, JetBackupForPlesk, withPleskBackupPolicy, type PleskDnsBackupRef, type PanelSnapshotOutcome } from './backup';
export { RestDns, type RestDnsOptions } from './restDns';
