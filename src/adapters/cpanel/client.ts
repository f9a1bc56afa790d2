/**
 * `createCpanelClient`: the cPanel adapter assembled from config (`cpanel` section) and options.
 *
 * Transports by mode:
 * - root, `transport: "cli"` (default on the server): `whmapi1` for WHM; `uapi --user=U` for a user.
 * - root, `transport: "https"`: WHM API 1 on `whmUrl` with `Authorization: whm <tokenUser>:<token from
 *   tokenFile>`; a user's UAPI through WHM `uapi_cpanel` on the same connection.
 * - user with their own cPanel token (`options.user` + `options.userToken`): UAPI on `cpanelUrl` only;
 *   no WHM at all.
 * With `options.user` the client is scoped to that user: `zones` and `accounts` act as the user (cPanel
 * enforces which zones they control) and every other user's scope is refused with NOT_OWNED.
 */
import type { Accounts, ZoneStore } from '../../ports';
import type { Config } from '../../config';
import { FixEmailAuthError } from '../../errors';
import type { CliEscaping, ListStyle } from './params';
import { RateLimiter } from './rateLimit';
import { realSleep, type RetryPolicy, type Sleep } from './retry';
import { tlsPolicy, type TlsPolicy } from './tls';
import { observedWhm, type WhmObserver } from './observed';
import { loadApiToken } from './token';
import type { CpanelLogger, UapiTransport, WhmTransport } from './types';
import { UapiAccounts } from './uapiAccounts';
import { UapiApi } from './uapiApi';
import { UapiCliTransport } from './uapiCli';
import { UapiHttpsTransport } from './uapiHttps';
import { UapiViaWhmTransport } from './uapiViaWhm';
import { WhmAccounts, type AccountQuery, type CpanelAccount, type ZoneListing } from './whmAccounts';
import { WhmApi, type ApiOptions } from './whmApi';
import { WhmCliTransport } from './whmCli';
import { WhmHttpsTransport } from './whmHttps';
import { UapiZoneStore, WhmZoneStore } from './zoneStores';
import { listMailboxes } from './mailboxes';

export type CpanelConfig = Config['cpanel'];

export interface CpanelClientOptions {
  logger?: CpanelLogger;
  /** Scope the client to this cPanel user. */
  user?: string;
  /** That user's cPanel API token: UAPI straight on `cpanelUrl` (2083), no WHM. Needs `user`. */
  userToken?: string;
  /** WHM API token; default: read from `cpanel.tokenFile` (https transport only). */
  whmToken?: string;
  /** Overrides `cpanel.transport`. */
  transport?: 'cli' | 'https';
  /** Replaces the WHM transport (tests, a proxy). */
  whmTransport?: WhmTransport;
  /** Replaces how a user's UAPI transport is made. */
  uapiTransport?: (user: string) => UapiTransport;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  listStyle?: ListStyle;
  /** How values are escaped on the CLI (default `form`, params.ts `CliEscaping`). */
  cliEscaping?: CliEscaping;
  /** Environment of the `whmapi1` / `uapi` processes (default: ours). */
  cliEnv?: NodeJS.ProcessEnv;
  /** Told the function, duration and failure of every WHM call (the daemon's metrics). */
  observeWhm?: WhmObserver;
  /** cPanel's cpuser files (`paths.cpanelUsers`): `uapi --user=U` runs only when U has one (else NOT_FOUND). */
  cpanelUsersDir?: string;
  /** Reuse root's domain map this long, ms (default 0: ask every time; the daemon sets it). */
  domainMapCacheMs?: number;
}

export interface CpanelClient {
  /** WHM API 1 (null when acting only with a user's own token). */
  readonly whm: WhmApi | null;
  /** Root's zone store (WHM), or the scoped user's. */
  readonly zones: ZoneStore;
  /** Zones as this cPanel user (UAPI): only the zones cPanel says the user controls. */
  userZones(user: string): ZoneStore;
  /** Root's view of accounts (WHM), or the scoped user's. */
  readonly accounts: Accounts;
  userAccounts(user: string): Accounts;
  listAccounts(query?: AccountQuery): Promise<CpanelAccount[]>;
  listZones(): Promise<ZoneListing[]>;
  /** cPanel's answer whether an account has a feature (WHM `verify_user_has_feature`). */
  userHasFeature(user: string, feature: string): Promise<boolean>;
  /** Forget the cached domain map (accounts or domains changed: a hook said so). */
  invalidateDomainMap(): void;
  /** The account's mailbox logins (UAPI Email::list_pops as the user). */
  mailboxesOf(user: string): Promise<string[]>;
}

export function createCpanelClient(config: CpanelConfig, options: CpanelClientOptions = {}): CpanelClient {
  if (options.userToken !== undefined && options.user === undefined) {
    throw new FixEmailAuthError('CONFIG_INVALID', 'A cPanel user token needs the user it belongs to (options.user)', { step: 'config' });
  }
  const sleep = options.sleep ?? realSleep;
  const apiOptions: ApiOptions = {
    retry: options.retry,
    sleep,
    logger: options.logger,
    limiter: new RateLimiter(config.rateLimitPerSecond, sleep),
  };
  const kind = options.transport ?? config.transport;
  let tls: TlsPolicy | undefined;
  const tlsOnce = () =>
    (tls ??= tlsPolicy({ caFile: config.caFile, fingerprint: config.fingerprint, insecure: config.insecure }, options.logger));
  const cli = { timeoutMs: config.timeoutMs, listStyle: options.listStyle, escaping: options.cliEscaping, env: options.cliEnv };

  let whmTransport: WhmTransport | null = null;
  if (options.whmTransport) whmTransport = options.whmTransport;
  else if (options.userToken === undefined) {
    whmTransport =
      kind === 'cli'
        ? new WhmCliTransport({ ...cli, binary: config.whmapi1 })
        : new WhmHttpsTransport({
            baseUrl: config.whmUrl,
            user: config.tokenUser,
            token: options.whmToken ?? loadApiToken(config.tokenFile),
            tls: tlsOnce(),
            timeoutMs: config.timeoutMs,
            listStyle: options.listStyle,
          });
  }
  if (whmTransport && options.observeWhm) whmTransport = observedWhm(whmTransport, options.observeWhm);
  const whm = whmTransport ? new WhmApi(whmTransport, apiOptions) : null;

  const scopedUser = options.user;
  const refuseOtherUser = (user: string) => {
    if (scopedUser !== undefined && user !== scopedUser) {
      throw new FixEmailAuthError('NOT_OWNED', `This cPanel client acts as “${scopedUser}” and cannot act as “${user}”`, { step: 'input' });
    }
  };
  const uapiTransportFor = (user: string): UapiTransport => {
    if (options.uapiTransport) return options.uapiTransport(user);
    if (options.userToken !== undefined) {
      return new UapiHttpsTransport({
        baseUrl: config.cpanelUrl,
        user,
        token: options.userToken,
        tls: tlsOnce(),
        timeoutMs: config.timeoutMs,
        listStyle: options.listStyle,
      });
    }
    if (kind === 'cli' && !options.whmTransport)
      return new UapiCliTransport({ ...cli, binary: config.uapi, cpanelUsersDir: options.cpanelUsersDir }, user);
    return new UapiViaWhmTransport(whmTransport as WhmTransport, user);
  };
  const uapiFor = (user: string) => {
    refuseOtherUser(user);
    return new UapiApi(uapiTransportFor(user), apiOptions);
  };
  const rootAccounts = whm ? new WhmAccounts(whm, { cacheMs: options.domainMapCacheMs ?? 0 }) : null;
  const rootOnly = (what: string): WhmAccounts => {
    if (whm === null || scopedUser !== undefined) {
      throw new FixEmailAuthError('NOT_OWNED', `${what} needs WHM (root) access; this cPanel client acts as “${scopedUser}”`, {
        step: 'read',
      });
    }
    return rootAccounts as WhmAccounts;
  };

  // Our own writes forget the cached domain map: the next page reads the server as it is now.
  const forgettingOnWrite = (store: ZoneStore): ZoneStore => ({
    readZone: (zone) => store.readZone(zone),
    massEdit: async (params) => {
      try {
        return await store.massEdit(params);
      } finally {
        rootAccounts?.invalidate();
      }
    },
  });
  const userZones = (user: string): ZoneStore => forgettingOnWrite(new UapiZoneStore(uapiFor(user)));
  const userAccounts = (user: string): Accounts => new UapiAccounts(uapiFor(user));

  return {
    whm,
    zones: scopedUser !== undefined ? userZones(scopedUser) : forgettingOnWrite(new WhmZoneStore(whm as WhmApi)),
    accounts: scopedUser !== undefined ? userAccounts(scopedUser) : (rootAccounts as WhmAccounts),
    userZones,
    userAccounts,
    listAccounts: async (query) => rootOnly('listaccts').listAccounts(query),
    listZones: async () => rootOnly('listzones').listZones(),
    userHasFeature: async (user, feature) => rootOnly('verify_user_has_feature').userHasFeature(user, feature),
    invalidateDomainMap: () => rootAccounts?.invalidate(),
    mailboxesOf: (user) => listMailboxes(uapiFor(user)),
  };
}
