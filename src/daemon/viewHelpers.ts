/** Formatting helpers every template may call (app.locals); they return text, escaped by `<%= %>`. */

/** `2026-11-28T12:00:05.123Z` → `2026-11-28 12:00:05 UTC` (the server's log time zone is not the reader's). */
export function fmtTime(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A query string from a filter plus overrides (for sort links and pages), empty values dropped. */
export function withQuery(route: string, base: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...base, ...overrides })) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null && v !== '') params.append(key, String(v));
  }
  const query = params.toString();
  return query ? `${route}?${query}` : route;
}

export const viewHelpers = { fmtTime, plural, withQuery };
