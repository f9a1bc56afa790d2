/**
 * The simulator's seed: the server, its accounts and their domains, the zones on disk, the API
 * tokens. One zod schema, so a typo in a fixture fails loudly at start instead of making the
 * simulator quietly unfaithful.
 *
 * Zones are given either as raw BIND text (`text` or `lines`, kept byte for byte) or as a compact
 * record list that `zoneLayout.ts` writes in cPanel's own file layout (docs/reference/cpanel-api.md §5.4).
 */
import { readFileSync } from 'fs';
import { z } from 'zod';

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/, 'a lower-case host name without the final dot');

/** cPanel user names: lower-case letter first, letters and digits, at most 16 (v120 limits). */
const userName = z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'a cPanel user name');

export const serverSchema = z.object({
  hostname: hostName.default('host.example.net'),
  /** Main shared IPv4 of the server (default account IP, default SPF). */
  ip: z.string().default('192.0.2.10'),
  /** Nameservers written into new zones, without the final dot. */
  nameservers: z.array(hostName).min(1).default(['ns1.example.net', 'ns2.example.net']),
  /** SOA RNAME of generated zones (the contact mailbox as a name), without the final dot. */
  soaContact: hostName.default('admin.example.net'),
  /** Version named in zone headers (`; cPanel first:… latest:…`). */
  cpanelVersion: z.string().default('11.120.0.16'),
  /** `(update_time)` of generated zone headers, Unix seconds. */
  zoneUpdateTime: z.number().int().nonnegative().default(1709280000),
});

export const recordSpecSchema = z.object({
  /** `@` or the apex for the zone apex; relative (`www`) or absolute with the final dot. */
  name: z.string().min(1),
  ttl: z.number().int().nonnegative().optional(),
  type: z.string().regex(/^[A-Z][A-Z0-9]*$/, 'an upper-case record type'),
  /** One item per RDATA field; TXT: one per character-string, unquoted (as mass_edit's `data`). */
  data: z.array(z.string()).min(1),
});

export const zoneSpecSchema = z
  .object({
    name: hostName,
    /** Raw master-file text, kept exactly (latin1 bytes as one char each). */
    text: z.string().optional(),
    /** Same as `text`, one array item per line; a final newline is added. */
    lines: z.array(z.string()).optional(),
    /** Generated zones: SOA serial (a string: cPanel compares serials as strings, §9.5). */
    serial: z
      .string()
      .regex(/^\d{1,10}$/)
      .default('2024030101'),
    /** Generated zones: `$TTL`. */
    ttl: z.number().int().positive().default(14400),
    /** Generated zones: NS records; default the server's nameservers. */
    nameservers: z.array(hostName).min(1).optional(),
    /** Generated zones: the records after the NS block; absent → cPanel's default records. */
    records: z.array(recordSpecSchema).optional(),
    /**
     * `has_local_authority` for every domain in this zone (§7.5): 0 = the world asks other
     * nameservers (the domain is hosted elsewhere).
     */
    localAuthority: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Nameservers the world sees for the zone (has_local_authority); default the zone's NS. */
    publicNameservers: z.array(hostName).optional(),
  })
  .refine((zone) => [zone.text, zone.lines, zone.records].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of text, lines and records',
  });

export const domainSpecSchema = z.object({
  domain: hostName,
  type: z.enum(['addon', 'parked', 'sub']),
  /** Sub-domains: the domain they were created under (default the account's main domain). */
  parent: hostName.optional(),
  /**
   * Addon domains: the label of the hidden backing sub-domain (`addon` → `addon.<main domain>`,
   * §7.2); default the addon's first label.
   */
  subdomain: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
});

export const accountSpecSchema = z.object({
  user: userName,
  /** Main domain. */
  domain: hostName,
  /** Reseller user or `root`. */
  owner: z.string().default('root'),
  plan: z.string().default('default'),
  /** cPanel features the account has (§6.6): `zoneedit`, `simplezoneedit`, `changemx`, `emailauth`… */
  features: z.array(z.string().regex(/^[a-z0-9_]+$/)).default(['zoneedit', 'simplezoneedit', 'changemx', 'emailauth']),
  /**
   * Other features switched off for the account (a feature list or an override). cPanel's features are
   * on unless switched off (`Cpanel/Features/Check.pm` collects the disabled ones), e.g. a plugin's
   * `fix_email_auth` that Feature Manager turned off.
   */
  disabledFeatures: z.array(z.string().regex(/^[a-z0-9_]+$/)).default([]),
  suspended: z.boolean().default(false),
  suspendReason: z.string().optional(),
  suspendTime: z.number().int().nonnegative().default(0),
  /** Default: the server's IP. */
  ip: z.string().optional(),
  ipv6: z.array(z.string()).default([]),
  /** Contact address; default `<user>@<domain>`. */
  email: z.string().optional(),
  /** Unix time of creation. */
  startdate: z.number().int().nonnegative().default(1700000000),
  theme: z.string().default('jupiter'),
  diskused: z.string().default('12M'),
  disklimit: z.string().default('unlimited'),
  domains: z.array(domainSpecSchema).default([]),
  /** Mailbox logins (`joe@example.com`) of the account's domains (UAPI Email::list_pops, add_pop, delete_pop). */
  mailboxes: z.array(z.string().regex(/^[a-z0-9._+-]+@[a-z0-9.-]+$/, 'a mailbox address like joe@example.com')).default([]),
});

export const tokenSpecSchema = z.object({
  /** `whm`: `Authorization: whm USER:TOKEN` on the WHM side; `cpanel`: on the cPanel side (§1). */
  kind: z.enum(['whm', 'cpanel']),
  user: z.string().min(1),
  token: z.string().min(1),
  /**
   * WHM tokens: the ACL list given at `api_token_create` (`acl-0=…`); absent = full access, the
   * owner's ACLs (docs/reference/cpanel-api.md §1; `Cpanel/Security/Authn/APITokens/Object/whostmgr.pm`).
   */
  acls: z.array(z.string().regex(/^[a-z0-9_-]+$/)).optional(),
});

export const seedSchema = z
  .object({
    server: serverSchema.prefault({}),
    /** WHM users with reseller rights; they see only the accounts they own. */
    resellers: z.array(userName).default([]),
    accounts: z.array(accountSpecSchema).default([]),
    zones: z.array(zoneSpecSchema).default([]),
    tokens: z.array(tokenSpecSchema).default([]),
    /** cPanel's zone templates (`/var/cpanel/zonetemplates/<name>`), name → text with `%key%` placeholders. */
    zoneTemplates: z.record(z.string().regex(/^([a-z0-9][a-z0-9_-]*_)?(simple|standard|standardvirtualftp)$/), z.string()).default({}),
  })
  .superRefine((seed, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    const users = new Set<string>();
    const domains = new Set<string>();
    seed.accounts.forEach((account, i) => {
      if (users.has(account.user)) issue(`duplicate user ${account.user}`, ['accounts', i, 'user']);
      users.add(account.user);
      for (const domain of [account.domain, ...account.domains.map((d) => d.domain)]) {
        if (domains.has(domain)) issue(`domain ${domain} belongs to two accounts`, ['accounts', i]);
        domains.add(domain);
      }
      if (account.owner !== 'root' && !seed.resellers.includes(account.owner)) {
        issue(`owner ${account.owner} is neither root nor a reseller`, ['accounts', i, 'owner']);
      }
      const own = new Set([account.domain, ...account.domains.map((d) => d.domain)]);
      account.mailboxes.forEach((m, j) => {
        if (!own.has(m.slice(m.lastIndexOf('@') + 1)))
          issue(`mailbox ${m} is not at a domain of ${account.user}`, ['accounts', i, 'mailboxes', j]);
      });
      account.domains.forEach((d, j) => {
        if (d.parent !== undefined && !own.has(d.parent))
          issue(`parent ${d.parent} is not a domain of ${account.user}`, ['accounts', i, 'domains', j]);
      });
    });
    const zoneNames = new Set<string>();
    seed.zones.forEach((zone, i) => {
      if (zoneNames.has(zone.name)) issue(`duplicate zone ${zone.name}`, ['zones', i, 'name']);
      zoneNames.add(zone.name);
    });
    seed.tokens.forEach((token, i) => {
      if (token.kind === 'cpanel' && !users.has(token.user)) issue(`no account ${token.user}`, ['tokens', i, 'user']);
      if (token.kind === 'whm' && token.user !== 'root' && !seed.resellers.includes(token.user)) {
        issue(`WHM token user ${token.user} is neither root nor a reseller`, ['tokens', i, 'user']);
      }
    });
  });

export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type ServerSpec = Seed['server'];
export type AccountSpec = Seed['accounts'][number];
export type DomainSpec = AccountSpec['domains'][number];
export type ZoneSpec = Seed['zones'][number];
export type RecordSpec = z.infer<typeof recordSpecSchema>;
export type TokenSpec = Seed['tokens'][number];
export type AccountSpecInput = z.input<typeof accountSpecSchema>;
export type ZoneSpecInput = z.input<typeof zoneSpecSchema>;

/** Validate a seed object; the error names every bad field. */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid ${source}: ${issues}`);
  }
  return result.data;
}

export function loadSeedFile(path: string): Seed {
  return parseSeed(JSON.parse(readFileSync(path, 'utf8')), path);
}

export function parseAccountSpec(input: AccountSpecInput): AccountSpec {
  return accountSpecSchema.parse(input);
}

export function parseZoneSpec(input: ZoneSpecInput): ZoneSpec {
  return zoneSpecSchema.parse(input);
}
