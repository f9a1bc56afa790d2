/**
 * Where lockdown records of one domain sit in its zone, shared by the check and the repair planner so
 * both always agree on which lines are "the lockdown record".
 *
 * - The one owner MailChannels reads is `_mailchannels.<domain>.` (docs/reference/mailchannels.md §1). No
 *   inheritance (§5): a sub-domain has its own owner, which lives in the parent's zone
 *   (`_mailchannels.shop` in zone example.com belongs to shop.example.com, never to example.com).
 * - Misplaced owners: a `v=mc1` TXT at a name that is clearly a mistyped lockdown owner.
 *   - `zone-appended`: `_mailchannels.example.com.example.com.` — the full name typed without its final
 *     dot into a zone editor, which appends the zone (docs/reference/cpanel-api.md §6.2: a dname without a dot is relative).
 *   - `missing-underscore`: `mailchannels.example.com.` (also with the zone appended).
 *   - `misspelled`: `_mailchannel.example.com.` (singular), the one misspelling seen in support tickets.
 *   - `at-domain`: `example.com.` itself — "@" picked in the editor instead of `_mailchannels`.
 *   Only values starting with `v=mc1` count: at these names a TXT without it is someone else's data
 *   (at the apex it is usually SPF), and must never be touched.
 */
import { absoluteName, type ZoneRecord } from '../../zone/model';
import { domainInZone } from '../domainName';
import { recordsAt } from '../records';
import { parseLockdown, type ParsedLockdown } from './parse';

export type MisplacedReason = 'zone-appended' | 'missing-underscore' | 'misspelled' | 'at-domain';

export interface LocatedRecord {
  record: ZoneRecord;
  parsed: ParsedLockdown;
}

export interface MisplacedRecord extends LocatedRecord {
  reason: MisplacedReason;
}

export interface LockdownLocation {
  domain: string;
  zone: string;
  /** `_mailchannels.<domain>.` */
  name: string;
  /** `v=mc1` TXT records at the name, in line order. */
  lockdown: LocatedRecord[];
  /** Other TXT records at the name (not a lockdown record: no leading `v=mc1`). */
  otherTxt: LocatedRecord[];
  /** CNAME records at the name: MailChannels' TXT lookup would follow them somewhere we cannot see. */
  aliases: ZoneRecord[];
  misplaced: MisplacedRecord[];
}

export const LOCKDOWN_LABEL = '_mailchannels';

export function lockdownOwner(domain: string): string {
  return `${LOCKDOWN_LABEL}.${domain}.`;
}

export function locateLockdownRecords(records: readonly ZoneRecord[], domain: string, zoneName: string): LockdownLocation {
  const { domain: d, zone: z } = domainInZone(domain, zoneName);
  const name = lockdownOwner(d);
  const location: LockdownLocation = { domain: d, zone: z, name, lockdown: [], otherTxt: [], aliases: [], misplaced: [] };

  for (const record of recordsAt(records, name)) {
    if (record.type.toUpperCase() === 'CNAME') location.aliases.push(record);
    if (record.type.toUpperCase() !== 'TXT') continue;
    const parsed = parseLockdown(record.data);
    (parsed.isLockdown ? location.lockdown : location.otherTxt).push({ record, parsed });
  }

  const candidates = new Map<string, MisplacedReason>([
    [absoluteName(`${LOCKDOWN_LABEL}.${d}`, z), 'zone-appended'],
    [`mailchannels.${d}.`, 'missing-underscore'],
    [absoluteName(`mailchannels.${d}`, z), 'missing-underscore'],
    [`_mailchannel.${d}.`, 'misspelled'],
    [`${d}.`, 'at-domain'],
  ]);
  candidates.delete(name);
  for (const [owner, reason] of candidates) {
    for (const record of recordsAt(records, owner, 'TXT')) {
      const parsed = parseLockdown(record.data);
      if (parsed.isLockdown) location.misplaced.push({ record, parsed, reason });
    }
  }
  location.misplaced.sort((a, b) => a.record.lineIndex - b.record.lineIndex);
  return location;
}
