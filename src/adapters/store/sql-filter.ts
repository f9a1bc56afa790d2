/** A WHERE clause assembled from optional filters, always with bound parameters (never string-built values). */
export class SqlFilter {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Add `condition` (with `?` placeholders) when `value` is given. */
  when<T>(value: T | undefined, condition: string, ...params: unknown[]): this {
    if (value === undefined) return this;
    this.conditions.push(condition);
    this.params.push(...(params.length ? params : [value]));
    return this;
  }

  /** Add `condition` with exactly these parameters. */
  always(condition: string, ...params: unknown[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  /** `column IN (?, ?, …)` for one value or a list. */
  whenIn(values: string | readonly string[] | undefined, column: string): this {
    if (values === undefined) return this;
    const list = typeof values === 'string' ? [values] : values;
    if (list.length === 0) {
      this.conditions.push('0');
      return this;
    }
    this.conditions.push(`${column} IN (${list.map(() => '?').join(', ')})`);
    this.params.push(...list);
    return this;
  }

  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

/** Page sizes are clamped so a typo in a query string cannot make the daemon load the whole table. */
export function clampLimit(limit: number | undefined, fallback = DEFAULT_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
}
