/**
 * The `data` payloads of the account/domain/zone functions we use (docs/reference/cpanel-api.md §7), validated with
 * zod. Lenient where cPanel varies (numbers as strings, extra fields), strict on what we rely on.
 * WHM list functions with no rows omit `data` entirely (§4.3): every reader here maps a missing
 * `data` or missing list key to an empty list.
 */
import { z } from 'zod';
import type { Step } from '../../errors';
import { cpanelError } from './failures';

const flag = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
  z.boolean().transform((b) => (b ? 1 : 0)),
]);

/** `listaccts` → `data.acct[]` (§7.1). With `want`, only the asked-for fields are present. */
export const accountRowSchema = z.looseObject({
  user: z.string(),
  domain: z.string().optional(),
  owner: z.string().optional(),
  suspended: flag.optional(),
  suspendreason: z.string().optional(),
  plan: z.string().optional(),
  email: z.string().optional(),
  ip: z.string().optional(),
  theme: z.string().optional(),
});
export const listacctsDataSchema = z.object({ acct: z.array(accountRowSchema).nullish() }).nullish();

/** `get_domain_info` → `data.domains[]` (§7.2). */
export const domainInfoRowSchema = z.looseObject({
  domain: z.string(),
  user: z.string(),
  user_owner: z.string().nullish(),
  domain_type: z.string(),
  parent_domain: z.string().nullish(),
  docroot: z.string().nullish(),
});
export const getDomainInfoDataSchema = z.object({ domains: z.array(domainInfoRowSchema).nullish() }).nullish();

/** `listzones` → `data.zone[]` (§7.3). */
export const zoneRowSchema = z.object({ domain: z.string(), zonefile: z.string().nullish() });
export const listzonesDataSchema = z.object({ zone: z.array(zoneRowSchema).nullish() }).nullish();

/** `has_local_authority` rows (§7.5): WHM `data.records[]`, UAPI `data[]`. `zone` may be absent. */
export const localAuthorityRowSchema = z.looseObject({
  domain: z.string(),
  zone: z.string().nullish(),
  local_authority: flag.nullish(),
  nameservers: z.array(z.string()).nullish(),
  error: z.string().nullish(),
});
export const whmLocalAuthorityDataSchema = z.object({ records: z.array(localAuthorityRowSchema).nullish() }).nullish();
export const uapiLocalAuthorityDataSchema = z.array(localAuthorityRowSchema).nullish();

/**
 * WHM `verify_user_has_feature` → `{has_feature: 0|1, query_feature}` (cPanel 11.120
 * `Whostmgr/API/1/Accounts.pm`).
 */
export const featureCheckDataSchema = z.looseObject({ has_feature: flag, query_feature: z.string().nullish() });

/** UAPI `DomainInfo::list_domains` (§7.4). */
export const listDomainsDataSchema = z.object({
  main_domain: z.string(),
  addon_domains: z.array(z.string()).nullish(),
  parked_domains: z.array(z.string()).nullish(),
  sub_domains: z.array(z.string()).nullish(),
});

/** WHM `parse_dns_zone` puts the parse_zone items under `data.payload` (§5.1); zoneStores reads them. */
export const parseDnsZoneDataSchema = z.object({ payload: z.unknown() });

/** `mass_edit_*` → `data.new_serial`, a number or a string (§6.3). */
export const massEditDataSchema = z.object({ new_serial: z.union([z.number(), z.string()]) });

/** Validate a payload; a mismatch means cPanel answered something we do not understand. */
export function readPayload<S extends z.ZodType>(schema: S, data: unknown, call: string, step: Step): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(data)'}: ${issue.message}` : 'invalid';
  throw cpanelError('TRANSPORT', `${call}: unexpected data from cPanel (${where})`, { step, upstream: data, retryable: false });
}
