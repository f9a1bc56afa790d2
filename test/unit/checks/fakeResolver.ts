/** An in-memory resolver shaped like dns.promises.resolve (src/ports.ts Resolver); no network. */
import type { Resolver } from '../../../src/ports';

export type FakeDns = Record<string, Record<string, unknown[]>>;

export function fakeResolver(dns: FakeDns, calls: string[] = []): Resolver {
  return async (name, rrtype) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    calls.push(`${key} ${rrtype}`);
    const node = dns[key];
    if (!node) throw Object.assign(new Error(`queryTxt ENOTFOUND ${key}`), { code: 'ENOTFOUND' });
    const answers = node[rrtype];
    if (!answers || answers.length === 0) throw Object.assign(new Error(`query ENODATA ${key}`), { code: 'ENODATA' });
    return answers;
  };
}

/** TXT answers are arrays of character-strings, as Node returns them. */
export const txt = (...values: string[]): string[][] => values.map((v) => [v]);
