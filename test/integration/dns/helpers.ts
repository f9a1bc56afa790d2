/** Zone files as cPanel writes them, for the PowerDNS integration tests. */
import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';

export function cpanelZoneFile(zone: string, serial: string, extraLines: string[], soaTtl = 86400, minimum = 86400): string {
  return [
    `; cPanel first:110.0.0 (update_time):1717200000 Cpanel::ZoneFile::VERSION:1.3 hostname:server.example.net latest:120.0.0`,
    `; Zone file for ${zone}`,
    `$TTL 14400`,
    `${zone}.\t${soaTtl}\tIN\tSOA\tns1.example.net.\thostmaster.${zone}. (`,
    `\t\t\t\t\t\t${serial} ;Serial Number`,
    `\t\t\t\t\t\t3600 ;refresh`,
    `\t\t\t\t\t\t1800 ;retry`,
    `\t\t\t\t\t\t1209600 ;expire`,
    `\t\t\t\t\t\t${minimum} ) ;minimum`,
    `${zone}.\t86400\tIN\tNS\tns1.example.net.`,
    `${zone}.\t86400\tIN\tNS\tns2.example.net.`,
    `${zone}.\t14400\tIN\tA\t192.0.2.10`,
    `${zone}.\t14400\tIN\tMX\t0\t${zone}.`,
    `mail\t14400\tIN\tCNAME\t${zone}.`,
    `www\t14400\tIN\tCNAME\t${zone}.`,
    ...extraLines,
    '',
  ].join('\n');
}

export function writeZone(dir: string, zone: string, text: string): void {
  writeFileSync(join(dir, `${zone}.db`), text);
}

/** PowerDNS with the bind backend, as the project's environment provides it. */
export function powerDnsInstalled(): boolean {
  return ['/usr/sbin/pdns_server', '/usr/bin/pdns_server', '/usr/local/sbin/pdns_server'].some((p) => existsSync(p));
}
