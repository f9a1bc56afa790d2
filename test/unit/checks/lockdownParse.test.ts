import { parseLockdown, tokenize } from '../../../src/checks/lockdown';
import { globMatch } from '../../../src/checks/lockdown/senderIds';

const kinds = (value: string | string[]) => parseLockdown(Array.isArray(value) ? value : [value]).problems.map((p) => p.kind);

describe('lockdown tokenizer', () => {
  it('when fields are separated by runs of spaces and tabs, then it yields the fields only', () => {
    expect(tokenize('  v=mc1 \t auth=a   auth=b ')).toEqual(['v=mc1', 'auth=a', 'auth=b']);
  });
});

describe('lockdown parser (docs/reference/mailchannels.md §2 grammar)', () => {
  it('when given the documented full example, then it reads every field with no problem', () => {
    const parsed = parseLockdown([
      'v=mc1 auth=myhostingcompany senderid=myhostingcompany|x-authuser|joe@example.com sidw=examplecorp|x-authsender|billing*@example.com',
    ]);
    expect(parsed.isLockdown).toBe(true);
    expect(parsed.problems).toEqual([]);
    expect(parsed.fields.map((f) => [f.known, f.value])).toEqual([
      ['auth', 'myhostingcompany'],
      ['senderid', 'myhostingcompany|x-authuser|joe@example.com'],
      ['sidw', 'examplecorp|x-authsender|billing*@example.com'],
    ]);
  });

  it('when the strings are split at a field boundary, then they are joined with no separator (§5)', () => {
    const parsed = parseLockdown(['v=mc1 auth=a ', 'auth=b']);
    expect(parsed.fields.map((f) => f.value)).toEqual(['a', 'b']);
    expect(parsed.problems).toEqual([]);
  });

  it('when the strings are split inside a field, then the join still reads it but the split is flagged', () => {
    const parsed = parseLockdown(['v=mc1 auth=web', 'hostingm']);
    expect(parsed.fields.map((f) => f.value)).toEqual(['webhostingm']);
    expect(parsed.problems.map((p) => p.kind)).toEqual(['split-inside-field']);
  });

  it('when auth= repeats, then every value is a field (repeats are allowed, §2)', () => {
    expect(parseLockdown(['v=mc1 auth=webhostingm auth=anotherprovider']).fields.map((f) => f.value)).toEqual([
      'webhostingm',
      'anotherprovider',
    ]);
    expect(kinds('v=mc1 auth=webhostingm auth=anotherprovider')).toEqual([]);
  });

  it.each([
    ['auth=webhostingm', 'version-missing'],
    ['', 'version-missing'],
    ['v=mc2 auth=x', 'version-wrong'],
    ['V=MC1 auth=x', 'version-case'],
    ['v=mc1 v=mc1 auth=x', 'version-repeated'],
    ['v=mc1 AUTH=x', 'tag-case'],
    ['v=mc1 auth=x foo=bar', 'unknown-tag'],
    ['v=mc1 webhostingm', 'not-a-field'],
    ['v=mc1 =x', 'not-a-field'],
    ['v=mc1 auth=', 'empty-value'],
    ['v=mc1 auth=a,b', 'comma-list'],
    ['v=mc1 senderid=webhostingm|alice', 'bad-sender-id'],
    ['v=mc1 sidw=a||b', 'bad-sender-id'],
    ['v=mc1 auth=a\u0000b', 'control-characters'],
    ['v=mc1 auth=caf\u00e9', 'non-ascii'],
  ])('when the value is %j, then the problem %s is reported', (value, kind) => {
    expect(kinds(value)).toContain(kind);
  });

  it('when cfid= is used, then it is a known field and not a grammar problem (the check reports it as CFID)', () => {
    const parsed = parseLockdown(['v=mc1 cfid=someone.workers.dev']);
    expect(parsed.problems).toEqual([]);
    expect(parsed.fields[0]?.known).toBe('cfid');
  });

  it('when a tag is upper-case, then it is still understood as that tag (§5: read case-insensitively)', () => {
    const parsed = parseLockdown(['v=mc1 SenderID=webhostingm|x-authuser|alice']);
    expect(parsed.fields[0]?.known).toBe('senderid');
  });

  it('when a value is 64 KB with 10 000 fields, then parsing is fast and the problem list is capped', () => {
    const value = `v=mc1 ${Array.from({ length: 10000 }, (_, i) => `x${i}=y`).join(' ')}`.padEnd(65536, 'z');
    const started = Date.now();
    const parsed = parseLockdown([value]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(parsed.fields.length).toBe(10000);
    expect(parsed.problemCount).toBe(10000);
    expect(parsed.problems.length).toBe(20);
  });

  it('when a value is non-UTF-8 bytes, then the problem messages show escapes and no raw control bytes', () => {
    const parsed = parseLockdown(['v=mc1 \u00ff\u00fe\u0001=x']);
    expect(parsed.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['control-characters', 'non-ascii', 'unknown-tag']));
    for (const p of parsed.problems) expect(p.message).not.toMatch(/[\u0000-\u001f\u0080-\u00ff]/);
  });
});

describe('sidw glob', () => {
  it('when the pattern has a trailing or inner star, then it matches like a shell glob', () => {
    expect(globMatch('billing*@example.com', 'billing-eu@example.com')).toBe(true);
    expect(globMatch('billing*@example.com', 'sales@example.com')).toBe(false);
    expect(globMatch('*', 'anything')).toBe(true);
  });

  it('when the pattern is hostile (*a*a*…), then matching stays fast', () => {
    const started = Date.now();
    expect(globMatch(`${'*a'.repeat(200)}b`, 'a'.repeat(300))).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
