/**
 * Diagnose one domain: every check on the zone's records, the DNS-authority warning, and the lockdown
 * repair plan. Pure apart from the optional injected resolver (SPF lookups through includes): the
 * zone, the server's DKIM key and the authority answer are read by the caller.
 *
 * Bad input (a domain outside the zone, an unsafe user or auth id) is a typed FixEmailAuthError. So
 * is a lockdown record the planner will not rewrite unseen (UNSAFE_VALUE: a huge record of unknown
 * fields; CONFLICT: a CNAME at the name): a null plan means "nothing to change", and must never be
 * said of a record that still needs a human.
 */
import { checkDkim } from '../checks/dkim';
import { notAuthoritativeFinding, type RecordSpec } from '../checks/dns';
import { checkDmarc } from '../checks/dmarc';
import { finding, type Finding } from '../checks/findings';
import { checkLockdown, tenantRecordValue } from '../checks/lockdown';
import { checkSpf, evaluateSpf } from '../checks/spf';
import { senderIdFor, type Config } from '../config';
import type { LocalAuthority, Resolver } from '../ports';
import { cpanelDname, normalizeDomain, type Zone } from '../zone/model';
import { computeLockdownRepair, DEFAULT_LOCKDOWN_TTL, type LockdownRepair, type LockdownRepairInput, type LockdownTarget } from './plan';
import { FixEmailAuthError, isFixEmailAuthError } from '../errors';
import { assertSafeAuthId, assertSafeUser } from './plan/safeValues';
import { tenantIdentities } from './plan/tenant';
import { domainReport, type DomainReport } from './report';

export interface DiagnoseDomainInput {
  domain: string;
  zone: Zone;
  /** The cPanel user owning the domain. */
  user?: string;
  config: Pick<Config, 'provider' | 'dns' | 'policy'> & Partial<Pick<Config, 'lockdown'>>;
  /** Overrides config.policy.keepForeign. */
  keepForeign?: boolean;
  /** When given, SPF is also evaluated through its includes (lookup count). */
  resolver?: Resolver;
  /** The server's DKIM public key (PEM or base64), from /var/cpanel/domain_keys/public/<domain>. */
  dkimPublicKey?: string;
  /** cPanel's answer to "does the world ask this server for the zone?". */
  authority?: LocalAuthority;
  /** Other cPanel users of the server (sharpens LOCKDOWN_WRONG_SENDERID when the user is unknown). */
  otherUsersOfServer?: readonly string[];
  /** The server's primary hostname (the `user@hostname` sender-ID form). */
  serverHostname?: string;
  /** The account's mailbox logins (UAPI Email::list_pops); needed in tenant mode. */
  mailboxes?: readonly string[];
}

export async function diagnoseDomain(input: DiagnoseDomainInput): Promise<DomainReport> {
  const { zone, config } = input;
  const authId = assertSafeAuthId(config.provider.authId);
  const user = input.user === undefined ? undefined : assertSafeUser(input.user);

  const tenant = tenantIdentitiesOf(input, authId, user);
  const lockdown = checkLockdown({
    domain: input.domain,
    records: zone.records,
    zoneName: zone.name,
    authId,
    ...(user === undefined ? {} : { user }),
    ...(config.provider.senderIdTemplate === undefined ? {} : { senderIdTemplate: config.provider.senderIdTemplate }),
    ...(input.otherUsersOfServer === undefined ? {} : { otherUsersOfServer: input.otherUsersOfServer }),
    ...(input.serverHostname === undefined ? {} : { serverHostname: input.serverHostname }),
    ...(tenant ? { tenantIdentities: tenant } : {}),
  });
  const domain = normalizeDomain(input.domain);

  const repair = planOrExplain({
    domain,
    zone,
    findings: lockdown,
    authId,
    senderId: senderIdFor(config, user),
    keepForeign: input.keepForeign ?? config.policy.keepForeign,
    ttl: config.dns.ttl,
    ...(tenant ? { tenantIdentities: tenant } : {}),
  });

  const spf = await spfFindings(domain, zone, input.resolver);
  const dkim = checkDkim({
    domain,
    records: zone.records,
    ...(input.dkimPublicKey === undefined ? {} : { expectedPublicKey: input.dkimPublicKey }),
  });
  const dmarc = checkDmarc({ domain, records: zone.records, zoneName: zone.name });
  const dns = input.authority
    ? notAuthoritativeFinding(input.authority, { publish: [repair.target], remove: lockdownRecordsToRemove(lockdown, repair.target) })
    : null;

  return domainReport({
    domain,
    zone: zone.name,
    findings: [...lockdown, ...spf, ...dkim, ...dmarc, ...(dns ? [dns] : [])],
    plan: repair.plan,
    ...(user === undefined ? {} : { user }),
  });
}

/**
 * Tenant mode judges the record against the account's senders, so it needs the user and the
 * account's mailboxes; without them it refuses rather than plan a record that would drop a mailbox.
 */
function tenantIdentitiesOf(input: DiagnoseDomainInput, authId: string, user: string | undefined): string[] | undefined {
  if (input.config.lockdown?.mode !== 'tenant') return undefined;
  if (user === undefined || input.mailboxes === undefined) {
    throw new FixEmailAuthError(
      'BAD_INPUT',
      `Tenant mode judges ${input.domain} against its account's senders: the cPanel user and the account's mailboxes are needed.`,
      { step: 'diagnose' },
    );
  }
  return tenantIdentities({
    authId,
    senderIdTemplate: input.config.provider.senderIdTemplate,
    user,
    domain: input.domain,
    mailboxes: input.mailboxes,
  });
}

/**
 * The planner refuses records it must not rewrite unseen (a CNAME at the name, a huge record of
 * unknown fields). A report is still owed: the plan is null and the refusal is written on the
 * lockdown findings (`details.manual`), so no caller mistakes "no plan" for "nothing to fix" and a
 * server-wide scan never stops at one odd zone.
 */
function planOrExplain(input: LockdownRepairInput): LockdownRepair {
  try {
    return computeLockdownRepair(input);
  } catch (err) {
    if (!isFixEmailAuthError(err, 'CONFLICT') && !isFixEmailAuthError(err, 'UNSAFE_VALUE')) throw err;
    for (const f of input.findings) if (f.severity !== 'ok') f.details = { ...f.details, manual: err.message };
    const value = input.tenantIdentities
      ? tenantRecordValue(input.tenantIdentities)
      : `v=mc1 auth=${input.authId}${input.senderId ? ` senderid=${input.senderId}` : ''}`;
    const name = `_mailchannels.${normalizeDomain(input.domain)}.`;
    return {
      plan: null,
      target: { name, dname: cpanelDname(name, input.zone.name), ttl: input.ttl ?? DEFAULT_LOCKDOWN_TTL, data: [value], value },
    };
  }
}

/**
 * The static SPF check, refined by an evaluation when a resolver is given — but only when the live
 * record is the one in the zone (else the zone, which is what will be published, is judged on its
 * own): the evaluated lookup count through every include replaces the top-level estimate, and an
 * include of MailChannels found inside another include clears SPF_NO_MAILCHANNELS.
 */
async function spfFindings(domain: string, zone: Zone, resolver: Resolver | undefined): Promise<Finding[]> {
  const statics = checkSpf({ domain, records: zone.records });
  const zoneRecord = statics[0]?.records[0];
  if (!resolver || statics.some((f) => f.code === 'SPF_MISSING' || f.code === 'SPF_MULTIPLE') || !zoneRecord) return statics;
  const evaluation = await evaluateSpf({ domain, resolver });
  if (evaluation.timedOut || evaluation.record === undefined || evaluation.record !== zoneRecord.value) return statics;

  let out = statics.filter((f) => f.code !== 'SPF_TOO_MANY_LOOKUPS' && f.code !== 'SPF_OK');
  out.push(...evaluation.findings);
  if (evaluation.includesMailChannels) out = out.filter((f) => f.code !== 'SPF_NO_MAILCHANNELS');
  if (out.length === 0) {
    out.push(
      statics.find((f) => f.code === 'SPF_OK') ??
        finding('SPF_OK', 'spf', `The SPF record of ${domain} is valid and includes MailChannels (through another include).`, [zoneRecord]),
    );
  }
  return out;
}

/** For a zone served elsewhere: the lockdown records the external DNS host should drop (all but the target). */
function lockdownRecordsToRemove(lockdown: Finding[], target: LockdownTarget): RecordSpec[] {
  const seen = new Set<string>();
  const out: RecordSpec[] = [];
  for (const f of lockdown) {
    for (const r of f.records) {
      const key = `${r.name}|${r.value}`;
      if (seen.has(key) || (r.name === target.name && r.value === target.value) || r.type !== 'TXT') continue;
      seen.add(key);
      out.push({ name: r.name, ttl: r.ttl, data: r.data });
    }
  }
  return out;
}
