/**
 * One configuration schema: defaults, environment overrides, validated at start (docs/design.md).
 * The smallest valid file is `{"provider": {"authId": "webhostingm"}}`.
 */
import { readFileSync } from 'fs';
import { z } from 'zod';
import { FixEmailAuthError } from './errors';
import { AUTOFIX_POLICIES, selfHealSections } from './configSelfHeal';

export const DEFAULT_CONFIG_PATH = '/etc/fix-email-auth/config.json';

/**
 * MailChannels IDs end up inside a TXT record and in shell-free API calls; we accept only the
 * characters real account IDs use, so a hostile value can never smuggle quotes or spaces into DNS.
 */
const mailchannelsId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

const senderIdTemplate = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._-]+\|x-auth(user|sender)\|[A-Za-z0-9._@{}-]*\{user\}[A-Za-z0-9._@{}-]*$/, 'like "webhostingm|x-authuser|{user}"');

/**
 * Unknown keys are refused, in every section: a misspelt setting (`"polcy"`) must be an error at
 * start, not a silent fall-back to the default.
 */
export const configSchema = z
  .object({
    provider: z
      .object({
        /** The MailChannels account all of the server's mail is relayed under (`auth=` value). */
        authId: mailchannelsId,
        /** Optional per-account sender ID, `{user}` replaced by the cPanel user. */
        senderIdTemplate: senderIdTemplate.optional(),
        /** Relay host in Exim logs, to ignore other servers' rejections. */
        relayHost: z.string().default('smtp.mailchannels.net'),
      })
      .strict(),
    lockdown: z
      .object({
        /**
         * `provider`: the record names the provider (`auth=<authId>`), so every account relayed by it
         * may send as the domain. `tenant`: the record lists only the account's own senders
         * (`senderid=` for the cPanel user and each mailbox of the domain), so another customer of
         * the same provider is rejected; a new mailbox is rejected until the record lists it (the
         * mailbox hooks keep it in step).
         */
        mode: z.enum(['provider', 'tenant']).default('provider'),
      })
      .strict()
      .prefault({}),
    dns: z
      .object({
        /** TTL of records we write (the support article: about 300 s for fast propagation). */
        ttl: z.number().int().min(60).max(86400).default(300),
        timeoutMs: z.number().int().min(100).max(60000).default(3000),
        retries: z.number().int().min(0).max(5).default(2),
        /** Resolver for live checks (SPF includes, propagation); empty = the system's. */
        resolvers: z.array(z.string()).default([]),
        /** Override the port used to query nameservers (tests, local PowerDNS). */
        port: z.number().int().min(1).max(65535).default(53),
        /** Map nameserver host names to addresses (tests and servers whose NS names do not resolve). */
        nameserverAddresses: z.record(z.string(), z.array(z.string())).default({}),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        /** required: no backup, no change · best-effort: warn and go on · off: journal only. */
        policy: z.enum(['required', 'best-effort', 'off']).default('best-effort'),
        jetbackupApi: z.string().default('/usr/bin/jetbackup5api'),
        timeoutSeconds: z.number().int().min(5).max(7200).default(600),
        pollIntervalMs: z.number().int().min(10).max(60000).default(3000),
      })
      .strict()
      .prefault({}),
    cpanel: z
      .object({
        /** cli: whmapi1/uapi on this server (root daemon) · https: WHM API token. */
        transport: z.enum(['cli', 'https']).default('cli'),
        whmUrl: z.string().default('https://127.0.0.1:2087'),
        cpanelUrl: z.string().default('https://127.0.0.1:2083'),
        tokenUser: z.string().default('root'),
        /** File holding the WHM API token (root-only); never put the token in the config itself. */
        tokenFile: z.string().default('/etc/fix-email-auth/whm-token'),
        caFile: z.string().optional(),
        /** SHA-256 fingerprint of the server certificate, `AA:BB:…`. */
        fingerprint: z.string().optional(),
        /** Development only; logged loudly. */
        insecure: z.boolean().default(false),
        timeoutMs: z.number().int().min(100).max(600000).default(30000),
        whmapi1: z.string().default('/usr/local/cpanel/bin/whmapi1'),
        uapi: z.string().default('/usr/local/cpanel/bin/uapi'),
        /** WHM API calls per second in bulk work. */
        rateLimitPerSecond: z.number().min(0.1).max(1000).default(20),
        /** Seconds the server's domain map (accounts, domains, zones) is reused between pages; 0 = never. */
        domainMapCacheSeconds: z.number().int().min(0).max(600).default(20),
      })
      .strict()
      .prefault({}),
    /** The hosting panel of this server: its accounts, zones and backups (src/ports/panel.ts). */
    panel: z.enum(['cpanel', 'plesk']).default('cpanel'),
    plesk: z
      .object({
        /**
         * api: Plesk's XML API with a secret key (installer: `plesk bin secret_key`) · rest: records through
         * REST `/api/v2/dns/records` with the same key, the rest through the XML API · cli: `plesk bin dns|site`.
         */
        transport: z.enum(['api', 'rest', 'cli']).default('api'),
        url: z.string().default('https://127.0.0.1:8443'),
        /** File holding the secret API key (root-only); never put the key in the config itself. */
        keyFile: z.string().default('/etc/fix-email-auth/plesk-key'),
        caFile: z.string().optional(),
        /** SHA-256 fingerprint of Plesk's certificate, `AA:BB:…`. */
        fingerprint: z.string().optional(),
        /** Development only. */
        insecure: z.boolean().default(false),
        timeoutMs: z.number().int().min(100).max(600000).default(30000),
        cli: z.string().default('/usr/sbin/plesk'),
      })
      .strict()
      .prefault({}),
    paths: z
      .object({
        namedDir: z.string().default('/var/named'),
        userdomains: z.string().default('/etc/userdomains'),
        /** cpuser files (`OWNER=` reseller lines) read by the fast scan; unreadable → owners from the API. */
        cpanelUsers: z.string().default('/var/cpanel/users'),
        journal: z.string().default('/var/lib/fix-email-auth/journal.db'),
        socket: z.string().default('/run/fix-email-auth/daemon.sock'),
        eximMainlog: z.string().default('/var/log/exim_mainlog'),
        dkimPublicKeys: z.string().default('/var/cpanel/domain_keys/public'),
        sendmail: z.string().default('/usr/sbin/sendmail'),
        /** Plesk: the zones exported before a change when JetBackup is not there (root-only). */
        pleskDnsBackups: z.string().default('/var/lib/fix-email-auth/plesk-dns'),
        /** cPanel's zone templates, from which every new zone is made (`simple`, `standard`, `standardvirtualftp`). */
        zoneTemplates: z.string().default('/var/cpanel/zonetemplates'),
        /** Where a template's previous file is kept before a repair replaces it. */
        templateBackups: z.string().default('/var/lib/fix-email-auth/zonetemplates'),
      })
      .strict()
      .prefault({}),
    mail: z
      .object({
        /**
         * How a test message is submitted as a cPanel user: `setuid` runs sendmail with the user's uid
         * and gid (Exim then sets $authenticated_id to the login name, as for PHP mail);
         * `trusted-caller` has root pass `-oMai/-oMt` (same X-AuthUser, and it works where setuid
         * cannot: under NoNewPrivileges, and with a test harness whose spool the user cannot write);
         * `auto` (default) picks setuid unless the process runs with NoNewPrivileges (the systemd unit).
         */
        submitAs: z.enum(['auto', 'setuid', 'trusted-caller']).default('auto'),
      })
      .strict()
      .prefault({}),
    fleet: z
      .object({
        /** Written by `fleet join`: the controller's address, this server's id and private key (root-only, 0600). */
        credentialsFile: z.string().default('/etc/fix-email-auth/fleet.json'),
        /** How often the daemon looks for new results to push; it also pulls at the controller's pace. */
        checkSeconds: z.number().int().min(1).max(3600).default(15),
      })
      .strict()
      .prefault({}),
    policy: z
      .object({
        /**
         * What the daemon repairs on its own (src/usecases/autofix/): `off`; `stale-after-migration`: a
         * stale lockdown record of an account restored or transferred in the last `migrationWindowHours`;
         * `all-stale`: any stale lockdown record. Block-all and anything ambiguous is never auto-changed.
         */
        autofix: z.enum(AUTOFIX_POLICIES).optional(),
        /** How long after a restore or transfer an account counts as recently migrated. */
        migrationWindowHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 90)
          .default(72),
        /** Older name: `true` means `autofix: "stale-after-migration"` when `autofix` is not given. */
        autoFixAfterTransfer: z.boolean().default(false),
        /** Keep other providers' auth= values when rewriting a record. */
        keepForeign: z.boolean().default(false),
        /** Scan through /var/named directly when readable (reads only). */
        fastScan: z.boolean().default(true),
      })
      .strict()
      .prefault({})
      .transform(({ autofix, ...rest }) => ({
        ...rest,
        autofix: autofix ?? (rest.autoFixAfterTransfer ? ('stale-after-migration' as const) : ('off' as const)),
      })),
    ...selfHealSections,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Validate a config object; errors name the field. */
export function parseConfig(input: unknown, source = 'configuration'): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FixEmailAuthError('CONFIG_INVALID', `Invalid ${source}: ${issues}`, { step: 'config' });
  }
  return result.data;
}

/** Environment overrides (docs/design.md "Configuration"): they win over the file. */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw);
  const set = (section: string, key: string, value: unknown) => {
    out[section] = { ...(out[section] ?? {}), [key]: value };
  };
  if (env.FIX_EMAIL_AUTH_NAMED_DIR) set('paths', 'namedDir', env.FIX_EMAIL_AUTH_NAMED_DIR);
  if (env.FIX_EMAIL_AUTH_USERDOMAINS) set('paths', 'userdomains', env.FIX_EMAIL_AUTH_USERDOMAINS);
  if (env.FIX_EMAIL_AUTH_CPANEL_USERS) set('paths', 'cpanelUsers', env.FIX_EMAIL_AUTH_CPANEL_USERS);
  if (env.FIX_EMAIL_AUTH_JOURNAL) set('paths', 'journal', env.FIX_EMAIL_AUTH_JOURNAL);
  if (env.FIX_EMAIL_AUTH_SOCKET) set('paths', 'socket', env.FIX_EMAIL_AUTH_SOCKET);
  if (env.FIX_EMAIL_AUTH_EXIM_LOG) set('paths', 'eximMainlog', env.FIX_EMAIL_AUTH_EXIM_LOG);
  if (env.FIX_EMAIL_AUTH_PANEL) out.panel = env.FIX_EMAIL_AUTH_PANEL;
  if (env.FIX_EMAIL_AUTH_ZONE_TEMPLATES) set('paths', 'zoneTemplates', env.FIX_EMAIL_AUTH_ZONE_TEMPLATES);
  if (env.FIX_EMAIL_AUTH_AUTH_ID) set('provider', 'authId', env.FIX_EMAIL_AUTH_AUTH_ID);
  if (env.FIX_EMAIL_AUTH_BACKUP) set('backup', 'policy', env.FIX_EMAIL_AUTH_BACKUP);
  if (env.FIX_EMAIL_AUTH_SENDMAIL_IDENTITY) set('mail', 'submitAs', env.FIX_EMAIL_AUTH_SENDMAIL_IDENTITY);
  return out;
}

/**
 * Load the config file named by FIX_EMAIL_AUTH_CONFIG (default /etc/fix-email-auth/config.json).
 * `fallback` is used when the file does not exist (the CLI's offline commands work without one).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, fallback?: Record<string, unknown>): Config {
  const path = env.FIX_EMAIL_AUTH_CONFIG || DEFAULT_CONFIG_PATH;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code === 'ENOENT' && fallback) raw = fallback;
    else if (code === 'ENOENT')
      throw new FixEmailAuthError(
        'CONFIG_INVALID',
        `No configuration at ${path} (set FIX_EMAIL_AUTH_CONFIG or create it with {"provider":{"authId":"…"}})`,
        { step: 'config' },
      );
    else if (err instanceof SyntaxError)
      throw new FixEmailAuthError('CONFIG_INVALID', `${path} is not valid JSON: ${err.message}`, { step: 'config' });
    else
      throw new FixEmailAuthError('CONFIG_INVALID', `Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, {
        step: 'config',
      });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FixEmailAuthError('CONFIG_INVALID', `${path} must hold a JSON object`, { step: 'config' });
  }
  return parseConfig(applyEnvOverrides(raw, env), path);
}

/** The sender ID for a cPanel user from the configured template, or null. */
export function senderIdFor(config: Pick<Config, 'provider'>, user: string | undefined): string | null {
  const template = config.provider.senderIdTemplate;
  if (!template || !user) return null;
  return template.split('{user}').join(user);
}
