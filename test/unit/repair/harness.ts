/** Builds a repair context over the in-memory cPanel, a real in-memory journal and scripted backup/verify. */
import { withBackupPolicy, type BackupPolicy } from '../../../src/adapters/jetbackup/policy';
import type { PropagationReport } from '../../../src/adapters/dns/propagation';
import { openStore, type Store } from '../../../src/adapters/store';
import { parseConfig } from '../../../src/config';
import { FixEmailAuthError } from '../../../src/errors';
import type { Backup, BackupRef } from '../../../src/ports';
import type { RepairContext, Verifier } from '../../../src/usecases/repair';
import { parseZoneFile } from '../../../src/zone/bindReader';
import { txtValue } from '../../../src/zone/model';
import { MemoryCpanel } from '../../support/memoryCpanel';

export const INCIDENT_ZONE = [
  '; cPanel first:11.120.0.16 (update_time):1709280000 Cpanel::ZoneFile::VERSION:1.3 hostname:host.example.net latest:11.120.0.16',
  '; Zone file for example.com',
  '$TTL 14400',
  'example.com.\t86400\tIN\tSOA\tns1.example.net.\tadmin.example.net.\t(',
  '\t\t\t\t\t\t2024030101 ;Serial Number',
  '\t\t\t\t\t\t3600 ;refresh',
  '\t\t\t\t\t\t1800 ;retry',
  '\t\t\t\t\t\t1209600 ;expire',
  '\t\t\t\t\t\t86400 ;minimum',
  '\t)',
  '',
  'example.com.\t86400\tIN\tNS\tns1.example.net.',
  'example.com.\t86400\tIN\tNS\tns2.example.net.',
  '',
  'example.com.\t14400\tIN\tA\t192.0.2.10',
  'www\t14400\tIN\tCNAME\texample.com.',
  'example.com.\t14400\tIN\tMX\t0\texample.com.',
  'example.com.\t14400\tIN\tTXT\t"v=spf1 +a +mx +ip4:192.0.2.10 include:relay.mailchannels.net ~all"',
  '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"',
  '_dmarc\t14400\tIN\tTXT\t"v=DMARC1; p=quarantine;"',
  '',
].join('\n');

export interface Harness {
  cpanel: MemoryCpanel;
  store: Store;
  ctx: RepairContext;
  backups: { calls: string[]; fail?: string; restored: BackupRef[] };
  /** Verification answers: the default reads the in-memory zone as every nameserver would. */
  verifyState: { mode: 'serve-zone' | 'pending' | 'throw' };
}

export function makeHarness(options: { policy?: BackupPolicy; zoneText?: string } = {}): Harness {
  const cpanel = new MemoryCpanel()
    .addZone('example.com', options.zoneText ?? INCIDENT_ZONE)
    .addDomain({ domain: 'example.com', user: 'alice', zone: 'example.com' })
    .addDomain({ domain: 'shop.example.com', user: 'alice', zone: 'example.com', type: 'sub' })
    .addZone('other.org', INCIDENT_ZONE.replace(/example\.com/g, 'other.org'))
    .addDomain({ domain: 'other.org', user: 'bob', zone: 'other.org' });
  const store = openStore(':memory:', { clock: () => cpanel.now });
  const backups: Harness['backups'] = { calls: [], restored: [] };
  const backup: Backup = {
    async snapshot(user) {
      backups.calls.push(user);
      if (backups.fail) throw new FixEmailAuthError('BACKUP_FAILED', backups.fail, { step: 'backup' });
      return {
        kind: 'jetbackup',
        accountId: `id-${user}`,
        user,
        queuedAt: cpanel.now.toISOString(),
        snapshotId: `snap-${backups.calls.length}`,
        dnsItemId: 'dns-1',
      };
    },
    async restoreDns(ref) {
      backups.restored.push(ref);
    },
  };
  const verifyState: Harness['verifyState'] = { mode: 'serve-zone' };
  const verify: Verifier = async (input) => {
    if (verifyState.mode === 'throw') throw new Error('no route to nameservers (test)');
    const zone = parseZoneFile(cpanel.text(input.zone), input.zone);
    const served = zone.records
      .filter((r) => r.type === 'TXT' && r.name === input.name)
      .map(txtValue)
      .sort();
    const expected = [...(input.expectedTxt ?? [])].sort();
    const current =
      verifyState.mode === 'serve-zone' && JSON.stringify(served) === JSON.stringify(expected) && zone.serial === input.expectedSerial;
    const state = current ? 'verified' : 'pending';
    return {
      zone: input.zone,
      name: input.name,
      checkedAt: cpanel.now.toISOString(),
      expectedTxt: input.expectedTxt,
      expectedSerial: input.expectedSerial ?? null,
      state,
      nameservers: (input.nameservers ?? []).map((nameserver) => ({ nameserver, state: current ? 'current' : 'stale' })),
      servers: [],
      cacheTtl: input.previousTtl ?? null,
      cacheTtlSource: input.previousTtl ? 'previous-record' : null,
      cachesExpireAt: current && input.previousTtl ? new Date(cpanel.now.getTime() + input.previousTtl * 1000).toISOString() : null,
      summary: current ? 'every nameserver serves the new record' : 'a nameserver still serves the old answer',
    } satisfies PropagationReport;
  };
  const config = parseConfig({ provider: { authId: 'webhostingm' }, backup: { policy: options.policy ?? 'required' } });
  const ctx: RepairContext = {
    config,
    zones: cpanel,
    accounts: cpanel,
    journal: store,
    backup: withBackupPolicy(backup, config.backup.policy),
    backupRestore: backup,
    verify,
    clock: { now: () => cpanel.now },
  };
  return { cpanel, store, ctx, backups, verifyState };
}

export const ACTOR = { kind: 'cli' as const, name: 'tester' };
export const FAST_VERIFY = { waitMs: 0, intervalMs: 1 };

/** The lines of a zone file, with the SOA serial line blanked (it changes on every save). */
export function linesWithoutSerial(text: string): string[] {
  return text.split('\n').map((l) => (/;Serial Number/.test(l) ? '<serial>' : l));
}
