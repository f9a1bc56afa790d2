/**
 * `--since` values: a duration back from now (`90m`, `24h`, `2d`, `1w`, `30s`) or an ISO 8601 date or
 * date-time. A date or date-time without a zone is local time, like the Exim log's own timestamps
 * (Exim writes local server time unless `log_timezone` is set), so `--since 2026-11-28` means the
 * log's midnight.
 */
import { FixEmailAuthError } from '../../errors';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d{1,6})\s*([smhdw])$/i;
const LOCAL = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,3})\d*)?)?)?$/;
const ZONED = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/i;

export function parseSince(text: string, now: Date = new Date()): Date {
  const value = text.trim();
  const d = DURATION.exec(value);
  if (d && d[1] !== undefined && d[2] !== undefined) {
    return new Date(now.getTime() - Number(d[1]) * (UNIT_MS[d[2].toLowerCase()] ?? 0));
  }
  const l = LOCAL.exec(value);
  if (l) {
    const [year, month, day, hour, minute, second] = l.slice(1, 7).map((p) => (p === undefined ? 0 : Number(p))) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = l[7] === undefined ? 0 : Number(l[7].padEnd(3, '0'));
    const date = new Date(year, month - 1, day, hour, minute, second, ms);
    // Reject what Date would silently roll over (2026-02-30, 25:00).
    if (
      date.getFullYear() === year &&
      date.getMonth() === month - 1 &&
      date.getDate() === day &&
      date.getHours() === hour &&
      date.getMinutes() === minute
    )
      return date;
  } else if (ZONED.test(value)) {
    const date = new Date(value.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new FixEmailAuthError(
    'BAD_INPUT',
    `Invalid --since "${text}": use a duration like 90m, 24h, 2d, or a date/time like 2026-11-28 or 2026-11-28T10:00`,
    { step: 'input' },
  );
}
