/**
 * The exact texts cPanel answers with (docs/reference/cpanel-api.md §4.1, §5.1, §6.4, §6.5, §7). They keep cPanel's
 * typographic quotes “ ” ’ (U+201C, U+201D, U+2019): a client that matches them must see the real
 * characters, so never normalise them to ASCII here. Texts marked "unverified" in the reference are
 * marked the same way below.
 */

/** `A`, `A and B`, `A, B, and C` — Cpanel::LocaleString's list_and (inferred from one sample, §6.5). */
export function listAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/** Same with `or` (the features message, §6.5; formatting approximate). */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} or ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

const quoted = (value: string) => `“${value}”`;

export const messages = {
  // §4.1 argument errors [v120 Cpanel/Args.pm]
  missingArgument: (name: string) => `Provide the ${quoted(name)} argument.`,
  emptyArgument: (name: string) => `The ${quoted(name)} argument cannot be empty.`,

  // §5.1 / §6.5 ownership
  notYourZone: (zone: string) => `You do not control a DNS zone named ${quoted(zone)}.`,
  /** WHM, unknown zone (wording approximate, unverified). */
  noSuchDomain: (domain: string) => `This system does not have a domain named ${quoted(domain)}.`,

  // §6.5 mass_edit validation
  atLeastOneChange: () => 'You must provide at least one change to the DNS zone.',
  removeNotInteger: () => `Each ${quoted('remove')} must be a nonnegative integer.`,
  notAnObject: (kind: 'add' | 'edit') => `Each ${quoted(kind)} must be an object.`,
  addMissingKeys: () => `Each ${quoted('add')} requires ${listAnd(['dname', 'ttl', 'record_type', 'data'].map(quoted))}.`,
  /** Exact wording unverified (§6.5: "also requires “line_index”"). */
  editMissingKeys: () => `Each ${quoted('edit')} requires ${listAnd(['line_index', 'dname', 'ttl', 'record_type', 'data'].map(quoted))}.`,
  /** Not in the reference: an edit whose line_index is not a nonnegative integer (unverified). */
  editLineIndexNotInteger: () => `Each ${quoted('edit')}’s ${quoted('line_index')} must be a nonnegative integer.`,
  dataNotArray: () => `${quoted('data')} must be an array.`,
  badTtl: (ttl: string) => `Time-To-Live (TTL) values must be positive integers, not ${quoted(ttl)}.`,
  unknownType: (type: string) => `${quoted(type)} is not a valid DNS resource record type.`,
  /** §6.5; whether N counts from 0 or 1 is unverified (we count from 1). */
  notPrintable: (value: string, type: string, itemNumber: number) =>
    `You gave ${quoted(value)} as ${quoted(type)} record data item #${itemNumber}. This value must contain only printable ASCII characters.`,
  cannotCreate: (type: string, allowed: readonly string[]) =>
    `This interface cannot create ${quoted(type)} records. It can only create ${listAnd(allowed)} records.`,
  /** List formatting unverified (§6.5). */
  cannotEditOrRemove: (line: number, type: string, allowed: readonly string[]) =>
    `Line ${line} contains a record of type ${quoted(type)}. You cannot edit or remove ${quoted(type)} records. You can only edit or remove ${listAnd(allowed)} records.`,
  /** Features error (list formatting approximate, unverified). */
  missingFeatures: (features: readonly string[]) =>
    features.length === 1
      ? `You do not have the feature ${quoted(features[0] ?? '')}.`
      : `You do not have the features ${listOr(features.map(quoted))}.`,

  // §6.4 Stale (no XID, even on WHM)
  stale: (sent: string, current: string) =>
    `The given serial number (${sent}) does not match the DNS zone’s serial number (${current}). Refresh your view of the DNS zone, then resubmit.`,
  /** InvalidZoneFile text is unverified (§6.4); ours names the zone and the first problem. */
  invalidZoneFile: (zone: string, problems: readonly string[]) => `The DNS zone ${quoted(zone)} would be invalid: ${problems.join(' ')}`,

  // §7.1
  unknownSearchType: () => 'Unknown search type.',

  // Not in the reference (unverified): names of users/functions that do not exist.
  noSuchUser: (user: string) => `The user ${quoted(user)} does not exist.`,
  notYourAccount: (user: string) => `You do not have access to an account named ${quoted(user)}.`,
  unknownWhmFunction: (fn: string) => `Unknown app (${quoted(fn)}) requested for this version (1) of the API.`,
  unknownUapiFunction: (module: string, fn: string) =>
    `Failed to load module ${quoted(module)}: The module ${quoted(module)} has no function named ${quoted(fn)}.`,
  zoneDoesNotExist: () => 'Zone does not exist.',
  // Email (not in the reference, unverified wording).
  mailboxExists: (address: string) => `The account ${address} already exists!`,
  noSuchMailbox: (address: string) => `The email account ${quoted(address)} does not exist.`,
  notYourMailDomain: (domain: string) => `The domain ${quoted(domain)} does not belong to this account.`,
  badMailboxName: (address: string) => `${quoted(address)} is not a valid email address.`,
} as const;
