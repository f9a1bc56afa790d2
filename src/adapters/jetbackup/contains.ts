/**
 * JetBackup 5 `contains` bit flags (docs/reference/jetbackup-and-exim.md §1.6; docs.jetbackup.com v5.3 BackupJobs).
 * A job, a snapshot and each of its items carry a `contains` value; the DNS zones item is bit 32
 * ("DNS Zones" in v5.0–5.2, "Domains" from v5.3).
 */
export const CONTAINS = {
  config: 1,
  homedir: 2,
  databases: 4,
  emails: 8,
  cronJobs: 16,
  dnsZones: 32,
  certificates: 64,
  databaseUsers: 128,
  ftp: 256,
} as const;

/** Every JB5 account item (1+2+…+256); listBackups takes it as `contains` to list all snapshots. */
export const CONTAINS_ALL = 511;

export function containsDnsZones(contains: number): boolean {
  return (contains & CONTAINS.dnsZones) !== 0;
}

/** Names of the bits set, for messages ("config, homedir, databases"). */
export function describeContains(contains: number): string {
  const names = Object.entries(CONTAINS)
    .filter(([, bit]) => (contains & bit) !== 0)
    .map(([name]) => name);
  return names.length > 0 ? names.join(', ') : 'nothing';
}
