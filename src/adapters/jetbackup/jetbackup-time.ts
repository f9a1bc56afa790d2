/**
 * JetBackup times. The documented form is ISO 8601 with an offset (`2023-09-19T00:22:06+00:00`, the
 * queue and backup examples of the v5.3 API pages), but the format of `created` is unverified
 * (docs/reference/jetbackup-and-exim.md §1.7), so we also read the shapes a PHP/MongoDB application could plausibly
 * print: Unix seconds or milliseconds (as numbers or digit strings), `YYYY-MM-DD HH:MM:SS` (read as
 * UTC, JetBackup's examples all being +00:00), and MongoDB extended JSON `{"$date": …}`.
 * Anything else gives null ("unknown"), and callers must not treat unknown as old or new.
 */

/** Seconds below this are taken as seconds, above as milliseconds (1e11 s is in the year 5138). */
const MILLISECONDS_THRESHOLD = 1e11;

function fromEpochNumber(value: number): Date | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  return new Date(value >= MILLISECONDS_THRESHOLD ? value : value * 1000);
}

function fromText(text: string): Date | null {
  const trimmed = text.trim();
  if (trimmed === '' || /^0000-00-00/.test(trimmed)) return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return fromEpochNumber(Number(trimmed));
  // `2023-09-19 00:22:06` (no zone): SQL style. Read as UTC.
  const sqlStyle = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(trimmed);
  if (sqlStyle) return validDate(new Date(`${sqlStyle[1]}T${sqlStyle[2]}Z`));
  // ISO 8601 with `Z` or an offset; `+0000` without the colon is normalised for Date.parse.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
    return validDate(new Date(trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')));
  }
  return null;
}

function validDate(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A JetBackup time value as a Date, or null when absent or not understood. */
export function parseJetBackupTime(value: unknown): Date | null {
  if (value === null || value === undefined || value === false) return null;
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value === 'string') return fromText(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const date = (value as Record<string, unknown>)['$date'];
    if (date !== undefined) {
      if (date !== null && typeof date === 'object') return parseJetBackupTime((date as Record<string, unknown>)['$numberLong']);
      return parseJetBackupTime(date);
    }
  }
  return null;
}

/**
 * JetBackup prints whole seconds, so a time we took with milliseconds must be floored before
 * comparing, or a group queued in the same second would look older than our request.
 */
export function floorToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
