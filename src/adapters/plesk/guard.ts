/**
 * The compare-and-set write on Plesk. Plesk has no serial check like cPanel's `mass_edit_zone` and no
 * update operation: no Plesk DNS interface (docs/reference/plesk.md §2.5) takes a serial or etag, and an edit is
 * add + delete (https://docs.plesk.com/en-US/obsidian/api-rpc/reference/managing-dns.34756). So the
 * guard is built from what Plesk offers:
 *
 * 1. re-read the zone right before writing and compare the record set at every touched name (ids
 *    and values) with the set the change was planned on; any difference → STALE_SERIAL, nothing
 *    written (the caller re-reads and re-plans, as after cPanel's `Stale`);
 * 2. add the new records first, each checked `ok` (a moment with both the old and the new
 *    `_mailchannels` TXT is harmless; a moment with none would let any MailChannels customer send);
 * 3. delete the old records by id, one `<del_rec>` each;
 * 4. read back: the names must hold exactly the planned set, else the outcome says what is there.
 *
 * Weaker than cPanel's: between step 1 and step 2 (one round trip) another edit can still land
 * unseen, and Plesk's ids are assumed not to be reused within that window (unverified). A failed
 * add undoes the adds before it; a failed delete with nothing deleted yet removes what was added.
 */
import { FixEmailAuthError } from '../../errors';
import type { DeleteOutcome, PleskDns } from './dns';
import type { NewRecord, PleskRecord, PleskZoneRef } from './types';
import { ERRCODE } from './xml/answers';

export interface GuardedChange {
  ref: PleskZoneRef;
  /** Every record at the touched names as read when the change was planned (`recordsAt`). */
  expected: readonly PleskRecord[];
  /** Keys of `expected` records to delete. */
  remove: readonly string[];
  /** Records to add (relative hosts). */
  add: readonly NewRecord[];
}

export interface GuardOutcome {
  added: PleskRecord[];
  removed: string[];
  /** Deletes Plesk answered "does not exist" for (someone else removed them meanwhile). */
  alreadyGone: string[];
  /** The records at the touched names after the write. */
  after: PleskRecord[];
  /** The whole zone as read back after the write. */
  zoneAfter: PleskRecord[];
  /** `after` is exactly the planned result. */
  consistent: boolean;
}

const abs = (host: string, zone: string) => (host === '' || host === '@' ? `${zone}.` : `${host.toLowerCase()}.${zone}.`);

/** The names a change touches: those of the removed records and of the added ones. */
export function touchedNames(change: Pick<GuardedChange, 'ref' | 'expected' | 'remove' | 'add'>): Set<string> {
  const names = new Set(change.expected.filter((r) => change.remove.includes(r.key)).map((r) => r.host));
  for (const record of change.add) names.add(abs(record.host, change.ref.zone));
  return names;
}

/** The records of `zone` at these names. */
export function recordsAt(records: readonly PleskRecord[], names: ReadonlySet<string>): PleskRecord[] {
  return records.filter((r) => names.has(r.host));
}

const signature = (r: PleskRecord) => `${r.key}\u0000${r.type}\u0000${r.host}\u0000${r.value}\u0000${r.opt}`;

function difference(a: readonly PleskRecord[], b: readonly PleskRecord[]): PleskRecord[] {
  const other = new Set(b.map(signature));
  return a.filter((r) => !other.has(signature(r)));
}

function describe(records: readonly PleskRecord[]): string {
  return records.map((r) => `${r.host} ${r.type} "${r.value}"`).join(', ');
}

function checkPlan(change: GuardedChange): void {
  const keys = new Set(change.expected.map((r) => r.key));
  const unknown = change.remove.filter((k) => !keys.has(k));
  if (unknown.length > 0)
    throw new FixEmailAuthError('BAD_INPUT', `The change removes records it did not read: ${unknown.join(', ')}`, { step: 'plan' });
  if (change.remove.length === 0 && change.add.length === 0)
    throw new FixEmailAuthError('BAD_INPUT', 'The change neither adds nor removes a record', { step: 'plan' });
}

async function compensate(dns: PleskDns, ref: PleskZoneRef, added: PleskRecord[]): Promise<void> {
  if (added.length === 0) return;
  await dns.remove(ref, added as unknown as [PleskRecord, ...PleskRecord[]]).catch(() => undefined);
}

export async function applyGuarded(dns: PleskDns, change: GuardedChange): Promise<GuardOutcome> {
  checkPlan(change);
  const names = touchedNames(change);
  const planned = recordsAt(change.expected, names);

  const now = recordsAt(await dns.readZone(change.ref), names);
  const appeared = difference(now, planned);
  const vanished = difference(planned, now);
  if (appeared.length > 0 || vanished.length > 0) {
    throw new FixEmailAuthError(
      'STALE_SERIAL',
      `The records at ${[...names].join(', ')} changed since they were read (new: ${describe(appeared) || 'none'}; gone or changed: ${describe(vanished) || 'none'}); nothing was written`,
      { step: 'apply', upstream: { appeared, vanished } },
    );
  }

  const added: PleskRecord[] = [];
  for (const record of change.add) {
    try {
      added.push(await dns.add(change.ref, record));
    } catch (err) {
      await compensate(dns, change.ref, added);
      throw err;
    }
  }

  const doomed = planned.filter((r) => change.remove.includes(r.key));
  let outcomes: DeleteOutcome[] = [];
  if (doomed.length > 0) {
    try {
      outcomes = await dns.remove(change.ref, doomed as unknown as [PleskRecord, ...PleskRecord[]]);
    } catch (err) {
      // Nothing is known to be deleted: go back to the state before the change.
      await compensate(dns, change.ref, added);
      throw err;
    }
  }
  const removed = outcomes.filter((o) => o.failure === null).map((o) => o.key);
  const alreadyGone = outcomes.filter((o) => o.failure?.errcode === ERRCODE.notFound).map((o) => o.key);
  const failed = outcomes.filter((o) => o.failure !== null && o.failure.errcode !== ERRCODE.notFound);
  if (failed.length > 0) {
    if (removed.length === 0 && alreadyGone.length === 0) await compensate(dns, change.ref, added);
    const first = failed[0]?.failure;
    throw new FixEmailAuthError(
      'API_ERROR',
      `Plesk did not delete ${failed.length} old record(s) (error ${first?.errcode}: ${first?.errtext})${removed.length === 0 && alreadyGone.length === 0 ? '; the added record was removed again, the zone is as before' : '; the new record stays beside the old one'}`,
      { step: 'apply', upstream: { added, removed, failed } },
    );
  }

  const zoneAfter = await dns.readZone(change.ref);
  const after = recordsAt(zoneAfter, names);
  const want = [...planned.filter((r) => !change.remove.includes(r.key)), ...added];
  const consistent = difference(after, want).length === 0 && difference(want, after).length === 0;
  return { added, removed, alreadyGone, after, zoneAfter, consistent };
}
