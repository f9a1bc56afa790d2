/**
 * The Plesk simulator's seed: the server, its accounts (admin, resellers, customers), their
 * subscriptions and domains of every Plesk type, each zone's mode, extra records, the server-wide
 * DNS template and the secret API keys. One zod schema, so a typo in a fixture fails at start.
 *
 * Object model (Plesk terms, https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-plesk-server/getting-server-information/response-packet-structure-and-samples/list-of-domains.75294):
 * a customer (owned by a reseller or the admin) has subscriptions; a subscription has one main
 * domain and additional domains; a subdomain is a site with a parent site; a domain alias points at
 * a site and may have its own zone (`manage-dns`).
 */
import { z } from 'zod';

const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/, 'a lower-case host name without the final dot');

/** Plesk logins: letters, digits, `.`, `_`, `-` (Plesk allows more; the simulator keeps them header-safe). */
const login = z.string().regex(/^[a-z][a-z0-9._-]{0,59}$/, 'a Plesk login');

export const pleskServerSchema = z.object({
  hostname: hostName.default('plesk.example.net'),
  ip: z.string().default('192.0.2.20'),
  /** Nameservers of the DNS template's NS records, without the final dot. */
  nameservers: z.array(hostName).min(1).default(['ns1.plesk.example.net', 'ns2.plesk.example.net']),
  /** SOA RNAME of zones, without the final dot. */
  soaContact: hostName.default('admin.plesk.example.net'),
  /** First SOA serial handed out (Unix seconds; every write takes max(previous + 1, now)). */
  firstSerial: z.number().int().positive().default(1709280000),
});

export const pleskRecordSchema = z.object({
  type: z.string().regex(/^[A-Z][A-Z0-9]*$/),
  /** Relative to the zone, `@` or empty for the apex (what add_rec's `<host>` takes). */
  host: z.string().default(''),
  /** Unquoted, as Plesk stores it (psa `dns_recs.val`); names end with a dot. */
  value: z.string(),
  /** MX priority; SRV "priority weight port"; empty for the rest. */
  opt: z.string().default(''),
});
export type PleskRecordSpec = z.infer<typeof pleskRecordSchema>;

export const zoneModeSchema = z.enum(['primary', 'secondary', 'disabled']);
export type ZoneMode = z.infer<typeof zoneModeSchema>;

export const pleskZoneSchema = z.object({
  /** primary: Plesk's DNS serves it · secondary: Plesk copies it from `masters` · disabled: DNS off here. */
  mode: zoneModeSchema.default('primary'),
  /** Secondary zones: the primary servers' IP addresses (`get_master_server`). */
  masters: z.array(z.string()).default([]),
  /** Records added after the template's, as if a user had added them in DNS Settings. */
  records: z.array(pleskRecordSchema).default([]),
  /** Template records to leave out of this zone (by relative host and type), as if a user had deleted them. */
  without: z.array(z.object({ type: z.string(), host: z.string().default('') })).default([]),
});
export type PleskZoneSpec = z.infer<typeof pleskZoneSchema>;

export const pleskDomainSchema = z.object({
  name: hostName,
  /** additional: another site of the subscription · subdomain: a site under `parent` · alias: an alias of `parent`. */
  type: z.enum(['additional', 'subdomain', 'alias']),
  /** Subdomain: its parent site · alias: the site it is an alias of (default the subscription's main domain). */
  parent: hostName.optional(),
  /** Alias: has its own DNS zone (`manage-dns`, default true). */
  manageDns: z.boolean().default(true),
});

export const pleskSubscriptionSchema = z.object({
  /** The subscription's main domain. */
  name: hostName,
  /** Customer (or reseller, or `admin`) login that owns the subscription. */
  owner: login,
  ip: z.string().optional(),
  domains: z.array(pleskDomainSchema).default([]),
  /** Site status (gen_info `status`): 0 active, 16 disabled by admin, 32 by reseller, 64 by customer. */
  status: z.union([z.literal(0), z.literal(8), z.literal(16), z.literal(32), z.literal(64)]).default(0),
});

export const pleskClientSchema = z.object({
  login,
  type: z.enum(['reseller', 'customer']),
  /** A customer's owner: a reseller login or `admin` (default). */
  owner: login.default('admin'),
  password: z.string().min(1).default('secret'),
  name: z.string().default(''),
  /** Customers and resellers may use `<dns>` only with the DNS-management permission (default true). */
  manageDns: z.boolean().default(true),
});

export const pleskKeySchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9-]{16,128}$/),
  login: login.default('admin'),
  /** The key works only from this address (`secret_key --create -ip-address`). */
  ip: z.string().default('127.0.0.1'),
  description: z.string().default(''),
});

export const pleskSeedSchema = z.object({
  server: pleskServerSchema.prefault({}),
  adminPassword: z.string().min(1).default('admin-secret'),
  clients: z.array(pleskClientSchema).default([]),
  subscriptions: z.array(pleskSubscriptionSchema).default([]),
  /** Per zone (a main/additional domain or an alias with its own zone): mode and extra records. */
  zones: z.record(hostName, pleskZoneSchema).default({}),
  /** The server-wide DNS template; `<domain>` and `<ip>` are replaced per zone. Default: Plesk's usual one. */
  template: z.array(pleskRecordSchema).optional(),
  keys: z.array(pleskKeySchema).default([]),
});

export type PleskSeed = z.infer<typeof pleskSeedSchema>;
export type PleskSeedInput = z.input<typeof pleskSeedSchema>;

export function parsePleskSeed(input: PleskSeed | PleskSeedInput): PleskSeed {
  const result = pleskSeedSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid Plesk simulator seed: ${issues}`);
  }
  return result.data;
}

/**
 * The records of a new zone, as Plesk's default server DNS template gives them (a subset: the
 * records a mail check looks at). Placeholders as in `plesk bin server_dns`
 * (https://docs.plesk.com/en-US/onyx/cli-linux/using-command-line-utilities/server_dns-dns-zone-template.40730/).
 */
export const DEFAULT_TEMPLATE: readonly PleskRecordSpec[] = [
  { type: 'NS', host: '', value: 'ns1.<domain>.', opt: '' },
  { type: 'A', host: '', value: '<ip>', opt: '' },
  { type: 'A', host: 'mail', value: '<ip>', opt: '' },
  { type: 'CNAME', host: 'www', value: '<domain>.', opt: '' },
  { type: 'MX', host: '', value: 'mail.<domain>.', opt: '10' },
  { type: 'TXT', host: '', value: 'v=spf1 +a +mx +a:<hostname> -all', opt: '' },
  { type: 'TXT', host: '_dmarc', value: 'v=DMARC1; p=none', opt: '' },
];
