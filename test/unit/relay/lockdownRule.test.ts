/**
 * The relay double's Domain Lockdown rule against docs/reference/mailchannels.md: §1 (no record, no restriction),
 * §2 (any one field matches, exact sender IDs, sidw), §3 (auth= admits every sender of the account),
 * §4 (bare v=mc1 and cfid), §5 (several records, comma lists, split strings), §6.2 (sender IDs).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { decideLockdown, relaySenderId, sidwMatches, type RelaySender } from '../../../src/simulator/relay/lockdownRule';

const PROVIDER = 'webhostingm';
/** A cPanel user's PHP/sendmail mail (§6.2 row 1) and a mailbox login (row 2). */
const bobLocal: RelaySender = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, 'bob') };
const joeMailbox: RelaySender = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, 'joe@example.com') };
const otherCustomer: RelaySender = { accountId: 'oldhost', senderId: relaySenderId('oldhost', 'bob') };

const record = (...strings: string[]) => [strings];

describe('relay lockdown rule', () => {
  test('when the name has no TXT record, then the message is accepted (no record, no restriction)', () => {
    expect(decideLockdown([], bobLocal)).toEqual({ allowed: true, reason: 'no-record' });
  });

  test('when the only TXT at the name does not start with v=mc1, then it is no lockdown record and the message is accepted', () => {
    expect(decideLockdown(record('hello world'), otherCustomer)).toEqual({ allowed: true, reason: 'no-record' });
  });

  test('when a migrated zone still names the old host (v=mc1 auth=oldhost), then the provider is rejected and the old host accepted', () => {
    expect(decideLockdown(record('v=mc1 auth=oldhost'), bobLocal)).toEqual({ allowed: false, reason: 'no-field-matches' });
    expect(decideLockdown(record('v=mc1 auth=oldhost'), otherCustomer)).toMatchObject({ allowed: true, reason: 'auth' });
  });

  test('when the record has auth= of the provider, then every sender of the account passes: local user and mailbox alike (§3)', () => {
    const rec = record('v=mc1 auth=webhostingm');
    expect(decideLockdown(rec, bobLocal)).toEqual({ allowed: true, reason: 'auth', field: 'auth=webhostingm' });
    expect(decideLockdown(rec, joeMailbox)).toEqual({ allowed: true, reason: 'auth', field: 'auth=webhostingm' });
    expect(decideLockdown(rec, { accountId: PROVIDER, senderId: null })).toMatchObject({ allowed: true, reason: 'auth' });
  });

  test("when the record is locked to the sender ID webhostingm|x-authuser|bob, then bob's local mail passes and a mailbox login of the same domain is rejected", () => {
    const rec = record('v=mc1 senderid=webhostingm|x-authuser|bob');
    expect(decideLockdown(rec, bobLocal)).toEqual({ allowed: true, reason: 'senderid', field: 'senderid=webhostingm|x-authuser|bob' });
    expect(decideLockdown(rec, joeMailbox)).toEqual({ allowed: false, reason: 'no-field-matches' });
  });

  test("when the record is a tenant's (its user and mailboxes, no auth=), then they pass and another customer of the same provider is rejected", () => {
    const rec = record('v=mc1 senderid=webhostingm|x-authuser|bob senderid=webhostingm|x-authuser|joe@example.com');
    expect(decideLockdown(rec, bobLocal)).toMatchObject({ allowed: true, reason: 'senderid' });
    expect(decideLockdown(rec, joeMailbox)).toMatchObject({ allowed: true, reason: 'senderid' });
    const otherTenant: RelaySender = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, 'mallory') };
    expect(decideLockdown(rec, otherTenant)).toEqual({ allowed: false, reason: 'no-field-matches' });
    expect(decideLockdown(record('v=mc1 auth=webhostingm'), otherTenant)).toMatchObject({ allowed: true, reason: 'auth' });
  });

  test('when sender IDs differ only in case or in the identity type, then they do not match (IDs are exact, §5)', () => {
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authuser|Bob'), bobLocal).allowed).toBe(false);
    expect(decideLockdown(record('v=mc1 senderid=WebHostingM|x-authuser|bob'), bobLocal).allowed).toBe(false);
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authsender|bob'), bobLocal).allowed).toBe(false);
    expect(decideLockdown(record('v=mc1 auth=WebHostingM'), bobLocal).allowed).toBe(false);
  });

  test('when the transport appends @hostname (§6.2 second form), then a record listing the bare user no longer matches', () => {
    const withHost = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, 'bob@host.example.net') };
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authuser|bob'), withHost).allowed).toBe(false);
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authuser|bob@host.example.net'), withHost).allowed).toBe(true);
  });

  test('when a message has no X-AuthUser, then only auth= can admit it', () => {
    const noId: RelaySender = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, null) };
    expect(noId.senderId).toBeNull();
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authuser|bob'), noId).allowed).toBe(false);
    expect(relaySenderId(PROVIDER, '')).toBeNull();
  });

  test('when any one of several fields matches, then the message passes, whatever the others say (§2)', () => {
    const rec = record('v=mc1 auth=oldhost senderid=oldhost|x-authuser|x cfid=me.workers.dev auth=webhostingm');
    expect(decideLockdown(rec, bobLocal)).toEqual({ allowed: true, reason: 'auth', field: 'auth=webhostingm' });
  });

  test('when the record is a bare v=mc1, then every message is rejected (block-all); the knob can treat it as no record', () => {
    expect(decideLockdown(record('v=mc1'), bobLocal)).toEqual({ allowed: false, reason: 'block-all' });
    expect(decideLockdown(record('v=mc1'), bobLocal, { bareRecord: 'no-record' })).toEqual({
      allowed: true,
      reason: 'bare-record-ignored',
    });
  });

  test('when the record holds only a dead cfid=, then it matches nothing and the message is rejected (§4)', () => {
    expect(decideLockdown(record('v=mc1 cfid=example.workers.dev'), bobLocal)).toEqual({ allowed: false, reason: 'no-field-matches' });
  });

  test('when a value is a comma list, then it matches nothing, even though it names the provider (§5)', () => {
    expect(decideLockdown(record('v=mc1 auth=oldhost,webhostingm'), bobLocal).allowed).toBe(false);
    expect(decideLockdown(record('v=mc1 senderid=webhostingm|x-authuser|bob,webhostingm|x-authuser|al'), bobLocal).allowed).toBe(false);
  });

  test('when the record is split into strings at a field boundary, then the strings are joined with nothing and read as one record (§5)', () => {
    expect(decideLockdown(record('v=mc1 auth=oldhost ', 'auth=webhostingm'), bobLocal)).toMatchObject({ allowed: true, reason: 'auth' });
  });

  test('when tag names are not lower case, then they are still read; with the knob tagCase exact, only lower case counts', () => {
    expect(decideLockdown(record('V=MC1 AUTH=webhostingm'), bobLocal)).toMatchObject({ allowed: true, reason: 'auth' });
    expect(decideLockdown(record('v=mc1 AUTH=webhostingm'), bobLocal, { tagCase: 'exact' })).toEqual({
      allowed: false,
      reason: 'no-field-matches',
    });
    expect(decideLockdown(record('V=MC1 auth=webhostingm'), bobLocal, { tagCase: 'exact' })).toEqual({
      allowed: true,
      reason: 'no-record',
    });
  });

  test('when the double is read, then it imports nothing of the product’s checks (a parser bug must not fool both sides)', () => {
    const source = readFileSync(join(__dirname, '../../../src/simulator/relay/lockdownRule.ts'), 'utf8');
    expect(source).not.toMatch(/from '[^']*checks/);
  });

  test('when several v=mc1 records exist, then by default any field of any record admits (union); knobs: first record only, or reject', () => {
    const recs = [['v=mc1 auth=oldhost'], ['v=mc1 auth=webhostingm']];
    expect(decideLockdown(recs, bobLocal)).toMatchObject({ allowed: true, reason: 'auth' });
    expect(decideLockdown(recs, bobLocal, { multipleRecords: 'first' }).allowed).toBe(false);
    expect(decideLockdown(recs, bobLocal, { multipleRecords: 'reject' })).toEqual({ allowed: false, reason: 'multiple-records' });
  });

  test('when a sidw pattern has a * in the identity, then it matches any run of characters there, and only there', () => {
    expect(sidwMatches('examplecorp|x-authsender|billing*@example.com', 'examplecorp|x-authsender|billing-eu@example.com')).toBe(true);
    expect(sidwMatches('examplecorp|x-authsender|billing*@example.com', 'examplecorp|x-authsender|billing@example.com')).toBe(true);
    expect(sidwMatches('examplecorp|x-authsender|billing*@example.com', 'examplecorp|x-authsender|sales@example.com')).toBe(false);
    expect(sidwMatches('examplecorp|x-authsender|billing*@example.com', 'examplecorp|x-authuser|billing@example.com')).toBe(false);
    expect(sidwMatches('example*|x-authsender|billing@example.com', 'examplecorp|x-authsender|billing@example.com')).toBe(false);
    expect(sidwMatches('examplecorp|*|billing@example.com', 'examplecorp|x-authsender|billing@example.com')).toBe(false);
  });

  test('when a record carries sidw=webhostingm|x-authuser|*@example.com, then mailbox logins of the domain pass and the local user does not; with sidw off, neither', () => {
    const rec = record('v=mc1 sidw=webhostingm|x-authuser|*@example.com');
    expect(decideLockdown(rec, joeMailbox)).toMatchObject({ allowed: true, reason: 'sidw' });
    expect(decideLockdown(rec, bobLocal).allowed).toBe(false);
    expect(decideLockdown(rec, joeMailbox, { sidw: false }).allowed).toBe(false);
  });

  test('when a hostile sidw pattern is all stars, then matching still ends (no regular expression backtracking)', () => {
    const pattern = `webhostingm|x-authuser|${'*a'.repeat(2000)}`;
    const sender = { accountId: PROVIDER, senderId: relaySenderId(PROVIDER, `${'a'.repeat(3000)}b`) };
    expect(decideLockdown(record(`v=mc1 sidw=${pattern}`), sender).allowed).toBe(false);
  });
});
