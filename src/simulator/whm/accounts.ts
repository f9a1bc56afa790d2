/**
 * WHM account and domain listings (docs/reference/cpanel-api.md §7.1–§7.3): `listaccts`, `get_domain_info`,
 * `listzones`. Resellers see only what they own; empty lists omit `data` (§9.11). So does root with a
 * token whose ACL list lacks `all` (directory.ts `whmCaller`), with one exception cPanel 11.120 makes
 * in `Whostmgr/Accounts/List.pm`: root holding `list-accts` still lists every account.
 */
import { requireArg, type WhmCall } from '../context';
import { hasAcl } from '../directory';
import { SimApiError } from '../envelopes';
import { messages } from '../messages';
import type { AccountSpec } from '../seed';
import type { WhmReply } from './reply';

const SEARCH_TYPES = ['user', 'domain', 'owner', 'ip', 'package', 'domain_and_user'] as const;
type SearchType = (typeof SEARCH_TYPES)[number];

/** `%y %b %d %H:%M`, the human `startdate` of listaccts (e.g. `23 Nov 14 22:13`), in UTC. */
function humanStartdate(unix: number): string {
  const d = new Date(unix * 1000);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCFullYear() % 100)} ${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** One `data.acct[]` row with cPanel's field set (§7.1); values not in the seed are plausible defaults. */
export function acctRow(call: WhmCall, account: AccountSpec): Record<string, unknown> {
  const { ctx } = call;
  return {
    user: account.user,
    domain: account.domain,
    owner: account.owner,
    email: account.email ?? `${account.user}@${account.domain}`,
    plan: account.plan,
    theme: account.theme,
    ip: account.ip ?? ctx.server.ip,
    ipv6: account.ipv6,
    suspended: account.suspended ? 1 : 0,
    suspendreason: account.suspended ? (account.suspendReason ?? 'Suspended') : 'not suspended',
    suspendtime: account.suspended ? account.suspendTime : 0,
    is_locked: 0,
    startdate: humanStartdate(account.startdate),
    unix_startdate: account.startdate,
    partition: 'home',
    shell: '/bin/bash',
    uid: ctx.directory.uidOf(account.user),
    mailbox_format: 'maildir',
    disklimit: account.disklimit,
    diskused: account.diskused,
    inodeslimit: 'unlimited',
    inodesused: 0,
    backup: 1,
    legacy_backup: 0,
    has_backup: 1,
    maxaddons: 'unlimited',
    maxftp: 'unlimited',
    maxlst: 'unlimited',
    maxparked: 'unlimited',
    maxpop: 'unlimited',
    maxsql: 'unlimited',
    maxsub: 'unlimited',
    max_emailacct_quota: 'unlimited',
    max_email_per_hour: 'unlimited',
    max_defer_fail_percentage: 'unlimited',
    min_defer_fail_to_trigger_protection: 5,
    outgoing_mail_suspended: 0,
    outgoing_mail_hold: 0,
    temporary: 0,
    child_nodes: [],
  };
}

function searchedValues(call: WhmCall, account: AccountSpec, type: SearchType): string[] {
  switch (type) {
    case 'user':
      return [account.user];
    // The main domain only; whether cPanel also matches addon/parked domains is unverified.
    case 'domain':
      return [account.domain];
    case 'owner':
      return [account.owner];
    case 'ip':
      return [account.ip ?? call.ctx.server.ip];
    case 'package':
      return [account.plan];
    case 'domain_and_user':
      return [account.user, account.domain];
  }
}

/** `listaccts` [searchtype, search (regex unless searchmethod=exact), want]. */
export async function listaccts(call: WhmCall): Promise<WhmReply> {
  const { params } = call;
  const search = params.get('search');
  const searchTypeParam = params.get('searchtype');
  const { caller } = call;
  const seesAll = caller.isRoot || (caller.user === 'root' && hasAcl(caller, 'list-accts'));
  let accounts = seesAll ? call.ctx.directory.allAccounts() : call.ctx.directory.visibleAccounts(caller);
  if (searchTypeParam !== undefined && !(SEARCH_TYPES as readonly string[]).includes(searchTypeParam)) {
    throw new SimApiError(messages.unknownSearchType());
  }
  if (search !== undefined && search !== '') {
    // Default search type when only `search` is given: unverified; `domain` is the documented example.
    const type = (searchTypeParam ?? 'domain') as SearchType;
    const exact = params.get('searchmethod') === 'exact';
    let pattern: RegExp | undefined;
    if (!exact) {
      try {
        pattern = new RegExp(search, 'i');
      } catch {
        throw new SimApiError(`Invalid regular expression: ${search}`);
      }
    }
    accounts = accounts.filter((account) =>
      searchedValues(call, account, type).some((value) => (exact ? value === search : pattern!.test(value))),
    );
  }
  const want = params
    .get('want')
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const rows = accounts.map((account) => {
    const row = acctRow(call, account);
    return want ? Object.fromEntries(want.filter((f) => f in row).map((f) => [f, row[f]])) : row;
  });
  return { data: rows.length ? { acct: rows } : undefined };
}

/**
 * `get_domain_info`: every domain (incl. addon backing sub-domains) with its type and parent (§7.2);
 * without `hasroot()` only rows whose owner or user is the caller (`Whostmgr/API/1/Accounts.pm`).
 */
export async function getDomainInfo(call: WhmCall): Promise<WhmReply> {
  const { ctx, caller } = call;
  const rows = ctx.directory
    .allDomains()
    .filter((d) => ctx.directory.canSee(caller, d.user))
    .map((d) => {
      const account = ctx.directory.account(d.user);
      const ip = account?.ip ?? ctx.server.ip;
      return {
        domain: d.domain,
        user: d.user,
        user_owner: d.owner,
        domain_type: d.type,
        parent_domain: d.parent,
        docroot: d.docroot,
        ipv4: ip,
        port: '80',
        ipv4_ssl: ip,
        port_ssl: '443',
        ipv6: account?.ipv6[0] ?? null,
        ipv6_is_dedicated: 0,
        modsecurity_enabled: 1,
        php_version: 'ea-php82',
      };
    });
  return { data: rows.length ? { domains: rows } : undefined };
}

/**
 * `listzones`: root every zone file, a reseller the zones of its accounts (§7.3). cPanel 11.120
 * `Cpanel/DnsUtils/List.pm` counts a zone without an account as root's, so root with a limited token
 * keeps those and the zones of the accounts it owns, and loses every reseller's.
 */
export async function listzones(call: WhmCall): Promise<WhmReply> {
  const { ctx, caller } = call;
  const onDisk = await ctx.zones.list();
  const visible = onDisk.filter((zone) => caller.isRoot || isZoneVisible(call, zone));
  const rows = visible.map((zone) => ({ domain: zone, zonefile: `${zone}.db` }));
  return { data: rows.length ? { zone: rows } : undefined };
}

/** Root sees every zone; a reseller the zones whose account it may see. */
export function isZoneVisible(call: WhmCall, zone: string): boolean {
  if (call.caller.isRoot) return true;
  const owner = call.ctx.directory.ownerOfZone(zone);
  if (owner === undefined) return call.caller.user === 'root';
  return call.ctx.directory.canSee(call.caller, owner.user);
}

/**
 * `verify_user_has_feature` [user, feature] → `{has_feature, query_feature}` (cPanel 11.120
 * `Whostmgr/API/1/Accounts.pm`): the caller must reach the account (`verify_account_access`).
 */
export async function verifyUserHasFeature(call: WhmCall): Promise<WhmReply> {
  const user = requireArg(call.params, 'user');
  const feature = requireArg(call.params, 'feature');
  if (!call.ctx.directory.account(user)) throw new SimApiError(messages.noSuchUser(user));
  if (!call.ctx.directory.canSee(call.caller, user)) throw new SimApiError(messages.notYourAccount(user));
  return { data: { has_feature: call.ctx.directory.featureEnabled(user, feature) ? 1 : 0, query_feature: feature } };
}
