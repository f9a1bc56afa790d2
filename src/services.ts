/**
 * The composition root: builds every adapter from the validated configuration, once, and hands the
 * use cases the interfaces they need. Entry points (CLI, daemon, demo) call this and nothing else
 * creates adapters (DESIGN.md "Layers").
 */
import { readFile } from 'fs/promises';
import { join } from 'path';
import { createCpanelClient, type CpanelClient, type CpanelClientOptions } from './adapters/cpanel';
import { checkPropagation, createAddressLookup, createResolver, type ClosableResolver } from './adapters/dns';
import { createJetBackupBackup, withBackupPolicy, type JetBackupDeps } from './adapters/jetbackup';
import type { BackupGuard } from './adapters/jetbackup/policy';
import { openStore, type Store } from './adapters/store';
import type { Config } from './config';
import { systemClock, type Accounts, type Backup, type Clock, type Resolver, type ZoneStore } from './ports';
import type { RepairContext, Verifier } from './usecases/repair';
import { normalizeDomain } from './zone/model';

export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly store: Store;
  readonly cpanel: CpanelClient;
  /** Root's view: every account and zone of the server. */
  readonly accounts: Accounts;
  readonly zones: ZoneStore;
  readonly resolver: Resolver;
  readonly verify: Verifier;
  readonly backupGuard: BackupGuard;
  readonly backup: Backup | null;
  /** The server's DKIM public key for a domain (cPanel keeps it on disk), if readable. */
  dkimPublicKey(domain: string): Promise<string | undefined>;
  repairContext(): RepairContext;
  close(): void;
}

export interface ServiceOptions {
  clock?: Clock;
  /** An already open store (tests); default: open `paths.journal`. */
  store?: Store;
  cpanel?: CpanelClientOptions;
  jetbackup?: JetBackupDeps;
  /** Replaces the resolver used for SPF lookups and nameserver addresses. */
  resolver?: Resolver;
}

export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? openStore(config.paths.journal, { clock: () => clock.now() });
  const cpanel = createCpanelClient(config.cpanel, options.cpanel);
  const ownResolver: ClosableResolver | undefined = options.resolver ? undefined : createResolver(config.dns);
  const resolver: Resolver = options.resolver ?? ownResolver!;
  const addressOf = createAddressLookup(config.dns, resolver);
  const verify: Verifier = (input) =>
    checkPropagation({
      ...input,
      now: clock.now(),
      port: config.dns.port,
      addressOf,
      resolver,
      timeoutMs: config.dns.timeoutMs,
      retries: config.dns.retries,
    });
  const backup = createJetBackupBackup(config, { clock, ...options.jetbackup });
  const backupGuard = withBackupPolicy(backup, config.backup.policy);

  async function dkimPublicKey(domain: string): Promise<string | undefined> {
    const name = normalizeDomain(domain);
    if (!/^[a-z0-9._-]+$/.test(name)) return undefined;
    try {
      return await readFile(join(config.paths.dkimPublicKeys, name), 'utf8');
    } catch {
      return undefined;
    }
  }

  const services: Services = {
    config,
    clock,
    store,
    cpanel,
    accounts: cpanel.accounts,
    zones: cpanel.zones,
    resolver,
    verify,
    backupGuard,
    backup,
    dkimPublicKey,
    repairContext: () => ({
      config,
      zones: cpanel.zones,
      accounts: cpanel.accounts,
      journal: store,
      backup: backupGuard,
      backupRestore: backup,
      verify,
      clock,
      resolver,
      dkimPublicKey,
    }),
    close: () => {
      ownResolver?.close();
      if (!options.store) store.close();
    },
  };
  return services;
}
