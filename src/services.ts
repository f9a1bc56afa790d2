/**
 * The composition root: builds every adapter from the validated configuration, once, and hands the
 * use cases the interfaces they need. Entry points (CLI, daemon, demo) call this and nothing else
 * creates adapters (docs/design.md "Layers").
 */
import { existsSync } from 'fs';
import { readFile } from 'fs/promises';
import { availableParallelism, hostname } from 'os';
import { join } from 'path';
import { createCpanelClient, type CpanelClient, type CpanelClientOptions } from './adapters/cpanel';
import { cpanelPanel } from './adapters/cpanel/panel';
import { checkPropagation, createAddressLookup, createResolver, type ClosableResolver } from './adapters/dns';
import { createWorkerPool, fileScanSource, filesReadable } from './adapters/fastpath';
import { zoneTemplateFiles } from './adapters/zonetemplates';
import type { TemplateContext } from './usecases/templates';
import { createJetBackupBackup, withBackupPolicy, type JetBackupDeps } from './adapters/jetbackup';
import { createEximMail, type EximMail } from './adapters/mail';
import { createPleskPanel, LocalPleskCli, pleskAsPanel, type PleskPanelOptions } from './adapters/plesk';
import type { WhmObserver } from './adapters/cpanel/observed';
import { createContactLookup, createNoticeMailer } from './adapters/notify';
import type { BackupGuard } from './adapters/jetbackup/policy';
import { openStore, type Store } from './adapters/store';
import type { Config } from './config';
import { systemClock, type Accounts, type Backup, type Clock, type Panel, type Resolver, type ZoneStore } from './ports';
import type { ServerJobDeps } from './usecases/bulk';
import type { RepairContext, Verifier } from './usecases/repair';
import {
  apiScanSource,
  inThreadDiagnoser,
  type ScanContext,
  type ScanSource,
  type ZoneDiagnoser,
  type ZoneTask,
  type ScannedDomain,
} from './usecases/scan';
import { normalizeDomain } from './zone/model';

export interface Services {
  readonly config: Config;
  readonly clock: Clock;
  readonly store: Store;
  readonly cpanel: CpanelClient;
  /** The server's hosting panel (config `panel`): cPanel/WHM or Plesk. */
  readonly panel: Panel;
  /** Root's view: every account and zone of the server (the panel's). */
  readonly accounts: Accounts;
  readonly zones: ZoneStore;
  readonly resolver: Resolver;
  readonly verify: Verifier;
  readonly backupGuard: BackupGuard;
  readonly backup: Backup | null;
  /** Submitting test messages through the local MTA and following them in the Exim log. */
  readonly mail: EximMail;
  /** The server's DKIM public key for a domain (cPanel keeps it on disk), if readable. */
  dkimPublicKey(domain: string): Promise<string | undefined>;
  /** Notices to owners and the admin, through the local MTA (`paths.sendmail`). */
  readonly noticeMailer: { send(mail: { to: readonly string[]; subject: string; text: string }): Promise<void> };
  /** An account's contact addresses (WHM `listaccts` email). */
  contactOf(user: string): Promise<string[]>;
  /** This server's name (notices, default links). */
  readonly serverName: string;
  /** Be told of every WHM call (metrics); returns the function that stops it. */
  onWhmCall(observer: WhmObserver): () => void;
  repairContext(): RepairContext;
  /**
   * Where a scan reads: the server's files (fast path: config `policy.fastScan` and the files
   * readable) or WHM's API (`viaApi`, or when the files cannot be read).
   */
  scanSource(options?: { viaApi?: boolean }): Promise<ScanSource>;
  /** Source, diagnoser (worker threads when built and useful) and store for `scanServer`. */
  scanContext(options?: { viaApi?: boolean }): Promise<ScanContext>;
  /** cPanel's zone templates (`paths.zoneTemplates`): check, repair, undo (usecases/templates). */
  templateContext(): TemplateContext;
  /** What the `scan` and `bulk-fix` job handlers need (usecases/bulk `registerServerJobs`). */
  serverJobDeps(): ServerJobDeps;
  close(): void;
}

export interface ServiceOptions {
  clock?: Clock;
  /** An already open store (tests); default: open `paths.journal`. */
  store?: Store;
  cpanel?: CpanelClientOptions;
  /** Plesk adapter options (tests: the API key, the `plesk` command's environment). */
  plesk?: PleskPanelOptions;
  jetbackup?: JetBackupDeps;
  /** Replaces the resolver used for SPF lookups and nameserver addresses. */
  resolver?: Resolver;
  /**
   * Worker threads diagnosing a scan's zones; 0 = in this thread. Default: one per core but one from
   * 4 cores up; below that the main thread does it (measured in bench/: on 2 cores a worker only adds
   * the cost of passing zones and reports between threads).
   */
  scanWorkers?: number;
}

/** The compiled scan worker (absent when running from TypeScript sources: the scan then runs in-thread). */
const ZONE_WORKER = join(__dirname, 'usecases', 'scan', 'zoneWorker.js');

export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? openStore(config.paths.journal, { clock: () => clock.now() });
  const whmObservers = new Set<WhmObserver>();
  const cpanel = createCpanelClient(config.cpanel, {
    cpanelUsersDir: config.paths.cpanelUsers,
    domainMapCacheMs: config.cpanel.domainMapCacheSeconds * 1000,
    ...options.cpanel,
    observeWhm: (call) => {
      options.cpanel?.observeWhm?.(call);
      for (const observe of whmObservers) observe(call);
    },
  });
  const serverName = hostname();
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
  const jetbackup = createJetBackupBackup(config, { clock, ...options.jetbackup });
  const panel: Panel =
    config.panel === 'plesk'
      ? pleskAsPanel(createPleskPanel(config.plesk, options.plesk), {
          exportDir: config.backup.policy === 'off' ? null : config.paths.pleskDnsBackups,
          jetbackup: jetbackup && existsSync(config.backup.jetbackupApi) ? jetbackup : null,
          clock,
          cli:
            options.plesk?.cli ??
            new LocalPleskCli({ binary: config.plesk.cli, timeoutMs: config.plesk.timeoutMs, env: options.plesk?.cliEnv }),
        })
      : cpanelPanel(cpanel, jetbackup);
  const backup = panel.backup;
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

  let diagnoser: ZoneDiagnoser | undefined;
  const scanDiagnoser = (): ZoneDiagnoser => {
    if (diagnoser) return diagnoser;
    const cores = availableParallelism();
    const workers = options.scanWorkers ?? (cores >= 4 ? cores - 1 : 0);
    if (workers <= 0 || !existsSync(ZONE_WORKER)) return (diagnoser = inThreadDiagnoser(config));
    const pool = createWorkerPool<ZoneTask, ScannedDomain[]>({
      script: ZONE_WORKER,
      size: workers,
      workerData: { config: { provider: config.provider, dns: config.dns, policy: config.policy, lockdown: config.lockdown } },
    });
    return (diagnoser = { diagnose: (task) => pool.run(task), close: () => pool.close() });
  };
  const scanSource = async (scanOptions: { viaApi?: boolean } = {}): Promise<ScanSource> => {
    const { namedDir, userdomains, cpanelUsers } = config.paths;
    if (panel.kind === 'cpanel' && !scanOptions.viaApi && config.policy.fastScan && (await filesReadable(namedDir, userdomains))) {
      return fileScanSource(
        { namedDir, userdomains, cpanelUsers },
        {
          dkimDir: config.paths.dkimPublicKeys,
          // Accounts whose cpuser file is unreadable get their reseller from WHM's listaccts.
          owners: async () => new Map((await cpanel.listAccounts({ want: ['owner'] })).map((a) => [a.user, a.owner ?? ''])),
        },
      );
    }
    return apiScanSource({ accounts: panel.accounts, zones: panel.zones, dkimPublicKey });
  };
  const repairContext = (): RepairContext => ({
    config,
    zones: panel.zones,
    accounts: panel.accounts,
    journal: store,
    backup: backupGuard,
    backupRestore: backup,
    verify,
    clock,
    resolver,
    dkimPublicKey,
    ...(panel.mailboxesOf ? { mailboxes: panel.mailboxesOf } : {}),
  });

  const services: Services = {
    config,
    clock,
    store,
    cpanel,
    panel,
    accounts: panel.accounts,
    zones: panel.zones,
    resolver,
    verify,
    backupGuard,
    backup,
    mail: createEximMail({ sendmail: config.paths.sendmail, mainlog: config.paths.eximMainlog, identity: config.mail.submitAs }),
    dkimPublicKey,
    noticeMailer: createNoticeMailer({ sendmail: config.paths.sendmail, from: config.notify.from ?? `fix-email-auth@${serverName}` }),
    contactOf: createContactLookup((query) => cpanel.listAccounts(query)),
    serverName,
    onWhmCall(observer) {
      whmObservers.add(observer);
      return () => whmObservers.delete(observer);
    },
    repairContext,
    scanSource,
    async scanContext(scanOptions = {}) {
      return {
        source: await scanSource(scanOptions),
        diagnoser: scanDiagnoser(),
        scans: store,
        clock,
        // Tenant mode judges each record against its account's mailboxes (UAPI Email::list_pops).
        ...(config.lockdown.mode === 'tenant' && panel.mailboxesOf ? { mailboxesOf: panel.mailboxesOf } : {}),
      };
    },
    templateContext: () => ({
      templates: zoneTemplateFiles({ dir: config.paths.zoneTemplates, backupDir: config.paths.templateBackups, now: () => clock.now() }),
      journal: store,
      authId: config.provider.authId,
      ttl: config.dns.ttl,
    }),
    serverJobDeps: () => ({
      bulk: { context: repairContext, accounts: panel.accounts, queue: store, journal: store, scans: store },
      scan: { context: (o) => services.scanContext(o) },
    }),
    close: () => {
      void diagnoser?.close();
      ownResolver?.close();
      if (!options.store) store.close();
    },
  };
  return services;
}
