/**
 * Request parameters the way cpsrvd reads them (docs/reference/cpanel-api.md §2): GET query strings and POST
 * `application/x-www-form-urlencoded` bodies, with list parameters given either by repeating the
 * name (`add=A&add=B`) or by numbering it (`add-1=A&add-2=B`).
 *
 * cPanel's Form.pm stores duplicates as `key`, `key-0`, `key-1`, … and folds `key-N` back into a
 * list ordered by N. We fold the bare key first (in order of appearance), then `key-N` ascending —
 * the order when both styles are mixed is unverified (§2).
 */
export type ParamPair = [name: string, value: string];

const NUMBERED = /^(.+)-(\d+)$/;

export class RequestParams {
  constructor(readonly pairs: readonly ParamPair[]) {}

  static fromUrlEncoded(...sources: string[]): RequestParams {
    const pairs: ParamPair[] = [];
    for (const source of sources) {
      for (const [name, value] of new URLSearchParams(source)) pairs.push([name, value]);
    }
    return new RequestParams(pairs);
  }

  /** A scalar argument: the first bare `name=` value (a numbered `name-0` is not the scalar). */
  get(name: string): string | undefined {
    for (const [key, value] of this.pairs) if (key === name) return value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A list argument: bare values first, then `name-N` values by ascending N. */
  list(name: string): string[] {
    const bare: string[] = [];
    const numbered: Array<{ n: number; order: number; value: string }> = [];
    this.pairs.forEach(([key, value], order) => {
      if (key === name) {
        bare.push(value);
        return;
      }
      const match = NUMBERED.exec(key);
      if (match && match[1] === name) numbered.push({ n: Number(match[2]), order, value });
    });
    numbered.sort((a, b) => a.n - b.n || a.order - b.order);
    return [...bare, ...numbered.map((entry) => entry.value)];
  }

  /** Every parameter except the named ones, in the original order (for forwarding, e.g. uapi_cpanel). */
  without(predicate: (name: string) => boolean): RequestParams {
    return new RequestParams(this.pairs.filter(([name]) => !predicate(name)));
  }

  /**
   * A plain object for the request log: scalars as strings; names that were repeated or numbered
   * folded into arrays in cPanel's order, so tests can assert on what the client sent.
   */
  toRecord(): Record<string, string | string[]> {
    const bareCount = new Map<string, number>();
    const numbered = new Set<string>();
    for (const [key] of this.pairs) {
      const match = NUMBERED.exec(key);
      if (match?.[1] !== undefined) numbered.add(match[1]);
      else bareCount.set(key, (bareCount.get(key) ?? 0) + 1);
    }
    const out: Record<string, string | string[]> = {};
    for (const base of new Set([...bareCount.keys(), ...numbered])) {
      const values = this.list(base);
      const isList = numbered.has(base) || (bareCount.get(base) ?? 0) > 1;
      out[base] = isList ? values : (values[0] ?? '');
    }
    return out;
  }
}
