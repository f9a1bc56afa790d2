/**
 * The repair planner: from a zone and the lockdown check's findings to exactly the parameters of
 * cPanel's `mass_edit_zone` (docs/reference/cpanel-api.md §6.1) that leave one correct record at
 * `_mailchannels.<domain>` and touch no other record.
 *
 * - Prefers an `edit` of an existing line over remove+add, so the record keeps its place and the
 *   journal/undo has one line to restore. The line edited is the first `v=mc1` record at the name,
 *   else the first other TXT at the name, else the first misplaced record (an edit may move it).
 * - Removes the other `v=mc1` records at the name (LOCKDOWN_MULTIPLE: merged, docs/reference/mailchannels.md §5).
 * - Other TXT records at the name and misplaced records are removed or edited only when the findings
 *   show them (LOCKDOWN_MALFORMED / LOCKDOWN_MISPLACED): "never delete it silently" (§5). The name
 *   `_mailchannels` exists only for Domain Lockdown (§1), so a TXT there without `v=mc1` is a failed
 *   attempt at the record, and the preview shows it next to its replacement.
 * - The findings must describe this zone: a record they name must still be at its line, or the
 *   planner refuses (CONFLICT) instead of editing a line that now holds something else.
 * - New and edited records get `ttl` (default 300: the support article's advice for a fast change).
 * - Returns null when the record needs no change: the check says LOCKDOWN_OK, there is nothing else to
 *   clear, and the record is already in its normal form.
 */
import type { Finding } from '../checks/findings';
import { locateLockdownRecords, type LocatedRecord, type LockdownLocation } from '../checks/lockdown/locate';
import { tokenize, splitInsideToken } from '../checks/lockdown/tokenize';
import { FixEmailAuthError } from '../errors';
import { cpanelDname, txtValue, type MassEditParams, type Zone, type ZoneRecord } from '../zone/model';
import { desiredLockdownTokens } from './plan/desiredRecord';
import { assertSafeAuthId, assertSafeSenderId } from './plan/safeValues';
import { splitTxtStrings } from './plan/txtStrings';

export const DEFAULT_LOCKDOWN_TTL = 300;
/** A record bigger than this is not something to write without a human looking at it. */
export const MAX_RECORD_BYTES = 2048;

export interface LockdownRepairInput {
  domain: string;
  zone: Zone;
  /** The lockdown check's findings for this domain and zone (other checks' findings are ignored). */
  findings: readonly Finding[];
  authId: string;
  /** `senderIdFor(config, user)`; null/undefined when no template is configured. */
  senderId?: string | null;
  keepForeign?: boolean;
  ttl?: number;
  /** Tenant mode: the account's sender IDs (plan/tenant.ts); the record then lists only them. */
  tenantIdentities?: readonly string[];
}

/** The record left at the name after the repair (or the current one when nothing changes). */
export interface LockdownTarget {
  name: string;
  dname: string;
  ttl: number;
  data: string[];
  value: string;
}

export interface LockdownRepair {
  plan: MassEditParams | null;
  target: LockdownTarget;
}

export function planLockdownRepair(input: LockdownRepairInput): MassEditParams | null {
  return computeLockdownRepair(input).plan;
}

export function computeLockdownRepair(input: LockdownRepairInput): LockdownRepair {
  const authId = assertSafeAuthId(input.authId);
  const senderId = input.senderId == null ? null : assertSafeSenderId(input.senderId);
  const ttl = checkedTtl(input.ttl);
  const location = locateLockdownRecords(input.zone.records, input.domain, input.zone.name);
  const lockdownFindings = input.findings.filter((f) => f.check === 'lockdown');
  assertFindingsMatchZone(lockdownFindings, input.zone, location);

  if (location.aliases.length > 0) {
    throw new FixEmailAuthError(
      'CONFLICT',
      `${location.name} is an alias (CNAME); replace it with a TXT record by hand before repairing.`,
      { step: 'plan' },
    );
  }

  const shownLines = new Set(
    lockdownFindings.flatMap((f) => f.records.map((r) => r.lineIndex)).filter((l): l is number => l !== undefined),
  );
  const clearable = (l: LocatedRecord) => shownLines.has(l.record.lineIndex);
  const otherTxt = location.otherTxt.filter(clearable);
  const misplaced = location.misplaced.filter(clearable);
  const authorized = lockdownFindings.some((f) => f.code === 'LOCKDOWN_OK');
  const otherUsersSenderIds = new Set(
    lockdownFindings
      .filter((f) => f.code === 'LOCKDOWN_WRONG_SENDERID')
      .flatMap((f) => (f.details?.otherSenderIds as string[] | undefined) ?? []),
  );

  const tokens = desiredLockdownTokens({
    lockdown: location.lockdown,
    authId,
    senderId,
    keepForeign: input.keepForeign ?? false,
    authorized,
    otherUsersSenderIds,
    ...(input.tenantIdentities ? { tenantIdentities: input.tenantIdentities.map(assertSafeSenderId) } : {}),
  });
  const data = splitTxtStrings(tokens);
  const value = data.join('');
  if (value.length > MAX_RECORD_BYTES) {
    throw new FixEmailAuthError(
      'UNSAFE_VALUE',
      `The repaired Domain Lockdown record for ${location.domain} would be ${value.length} bytes (more than ${MAX_RECORD_BYTES}) because the current record carries many unknown fields; edit it by hand.`,
      { step: 'plan' },
    );
  }
  const dname = cpanelDname(location.name, location.zone);
  const current = location.lockdown.length === 1 ? location.lockdown[0]?.record : undefined;
  const currentIsRight = authorized && current !== undefined && isAlreadyWritten(current, tokens);

  // The line to edit: the record MailChannels reads, else a shown failed attempt at it, else a shown misplaced copy.
  const keeper: ZoneRecord | undefined = (location.lockdown[0] ?? otherTxt[0] ?? misplaced[0])?.record;
  const remove = [...location.lockdown, ...otherTxt, ...misplaced]
    .map((l) => l.record.lineIndex)
    .filter((line) => line !== keeper?.lineIndex);
  if (currentIsRight && remove.length === 0) {
    return { plan: null, target: targetOf(current, location.name, dname) };
  }
  const plan: MassEditParams = {
    zone: input.zone.name,
    serial: input.zone.serial,
    remove: [...new Set(remove)].sort((a, b) => a - b),
    // A right record next to stray copies is left alone; only the copies go.
    edit: keeper && !currentIsRight ? [{ line_index: keeper.lineIndex, dname, ttl, record_type: 'TXT', data }] : [],
    add: keeper ? [] : [{ dname, ttl, record_type: 'TXT', data }],
  };
  const target = currentIsRight && current ? targetOf(current, location.name, dname) : { name: location.name, dname, ttl, data, value };
  return { plan, target };
}

function targetOf(record: ZoneRecord, name: string, dname: string): LockdownTarget {
  return { name, dname, ttl: record.ttl, data: [...record.data], value: txtValue(record) };
}

/** The record is in normal form: the same tokens in the same order, split only between fields. */
function isAlreadyWritten(record: ZoneRecord, tokens: readonly string[]): boolean {
  const existing = tokenize(txtValue(record));
  return !splitInsideToken(record.data) && existing.length === tokens.length && existing.every((t, i) => t === tokens[i]);
}

function checkedTtl(ttl: number | undefined): number {
  if (ttl === undefined) return DEFAULT_LOCKDOWN_TTL;
  // RFC 2181 §8: a TTL is an unsigned 31-bit number; cPanel wants digits only (docs/reference/cpanel-api.md §6.2).
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 2147483647) {
    throw new FixEmailAuthError('BAD_INPUT', `The TTL must be a whole number of seconds between 1 and 2147483647, not ${String(ttl)}.`, {
      step: 'plan',
    });
  }
  return ttl;
}

/**
 * Findings are what the user was shown; acting on findings of another version of the zone could edit
 * or remove the wrong line. Every record a lockdown finding names must still be at its line with the
 * same owner, type and value, and an OK verdict must still see exactly one record.
 */
function assertFindingsMatchZone(findings: readonly Finding[], zone: Zone, location: LockdownLocation): void {
  if (findings.length === 0) {
    throw new FixEmailAuthError(
      'BAD_INPUT',
      `Run the lockdown check for ${location.domain} before planning a repair (no lockdown findings were given).`,
      { step: 'plan' },
    );
  }
  const byLine = new Map(zone.records.map((r) => [r.lineIndex, r]));
  for (const f of findings) {
    for (const shown of f.records) {
      if (shown.lineIndex === undefined) continue;
      const record = byLine.get(shown.lineIndex);
      const same =
        record &&
        record.name === shown.name &&
        record.type === shown.type &&
        record.data.length === shown.data.length &&
        record.data.every((d, i) => d === shown.data[i]);
      if (!same) {
        throw new FixEmailAuthError(
          'CONFLICT',
          `The zone ${zone.name} changed since it was checked (line ${shown.lineIndex}); check it again before repairing.`,
          { step: 'plan' },
        );
      }
    }
  }
  if (findings.some((f) => f.code === 'LOCKDOWN_OK') && location.lockdown.length !== 1) {
    throw new FixEmailAuthError('CONFLICT', `The zone ${zone.name} changed since it was checked; check it again before repairing.`, {
      step: 'plan',
    });
  }
}
