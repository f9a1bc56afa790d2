import { planLockdownRepair } from '../../../src/usecases/plan';
import { isFixEmailAuthError, type FixEmailAuthError } from '../../../src/errors';
import type { MassEditParams, Zone } from '../../../src/zone/model';
import { buildZone, lockdownZone } from '../checks/zoneBuilder';
import { applyToZone, lockdownFindings, planFor, type PlanOptions } from './helpers';

const TPL = 'webhostingm|x-authuser|{user}';

function thrown(fn: () => unknown): FixEmailAuthError {
  try {
    fn();
  } catch (err) {
    if (isFixEmailAuthError(err)) return err;
    throw err;
  }
  throw new Error('expected a FixEmailAuthError, nothing was thrown');
}

/** Plan, apply, re-check: the zone must end with one correct record and a second plan of null. */
function converges(zone: Zone, o: PlanOptions = {}): { plan: MassEditParams; after: Zone } {
  const plan = planFor(zone, o);
  expect(plan).not.toBeNull();
  const after = applyToZone(zone, plan as MassEditParams);
  const findings = lockdownFindings(after, o);
  expect(findings.map((f) => f.code)).toContain('LOCKDOWN_OK');
  expect(findings.map((f) => f.code)).not.toEqual(expect.arrayContaining(['LOCKDOWN_MULTIPLE']));
  expect(planFor(after, o)).toBeNull();
  return { plan: plan as MassEditParams, after };
}

describe('repair planner', () => {
  it('when the zone carries the old host (seed incident), then one edit of that line to auth=webhostingm', () => {
    const zone = lockdownZone(['v=mc1 auth=oldhost']);
    expect(planFor(zone)).toEqual({
      zone: 'example.com',
      serial: '2024030101',
      remove: [],
      edit: [{ line_index: 13, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
      add: [],
    });
    converges(zone);
  });

  it('when the record is bare v=mc1 (block-all), then it is edited to authorize the provider', () => {
    const { plan } = converges(lockdownZone(['v=mc1']));
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when the record uses cfid= only, then cfid is dropped and the provider authorized', () => {
    const { plan } = converges(lockdownZone(['v=mc1 cfid=someone.workers.dev']));
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when a working record also carries cfid=, then only cfid is dropped (even with keepForeign off, other ids stay)', () => {
    const { plan } = converges(lockdownZone(['v=mc1 auth=webhostingm auth=partner cfid=someone.workers.dev']));
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm auth=partner']);
  });

  it('when there are two records, then the first is edited to the merged record and the second removed', () => {
    const zone = lockdownZone(['v=mc1 auth=oldhost', 'v=mc1 auth=webhostingm foo=bar']);
    const { plan } = converges(zone);
    expect(plan.edit).toEqual([
      { line_index: 13, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm foo=bar'] },
    ]);
    expect(plan.remove).toEqual([14]);
    expect(plan.add).toEqual([]);
  });

  it('when there is no record, then one add at _mailchannels with TTL 300', () => {
    const zone = lockdownZone([]);
    const { plan } = converges(zone);
    expect(plan).toEqual({
      zone: 'example.com',
      serial: '2024030101',
      remove: [],
      edit: [],
      add: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    });
  });

  it('when the only record is misplaced (typed without the final dot), then that line is edited to the right owner', () => {
    const zone = buildZone('example.com', [['_mailchannels.example.com', 'TXT', 'v=mc1 auth=oldhost']]);
    const { plan, after } = converges(zone);
    expect(plan.edit).toEqual([{ line_index: 11, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }]);
    expect(after.records.find((r) => r.lineIndex === 11)?.name).toBe('_mailchannels.example.com.');
  });

  it('when a misplaced record sits next to the real one, then the real one is edited and the misplaced one removed', () => {
    const zone = buildZone('example.com', [
      ['mailchannels', 'TXT', 'v=mc1 auth=webhostingm'],
      ['_mailchannels', 'TXT', 'v=mc1 auth=oldhost'],
    ]);
    const { plan } = converges(zone);
    expect(plan.edit.map((e) => e.line_index)).toEqual([12]);
    expect(plan.remove).toEqual([11]);
  });

  it('when the real record is fine and only a misplaced copy exists, then the copy is removed and nothing else', () => {
    const zone = buildZone('example.com', [
      ['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm'],
      ['_mailchannels.example.com', 'TXT', 'v=mc1 auth=webhostingm'],
    ]);
    const { plan } = converges(zone);
    expect(plan).toMatchObject({ remove: [12], edit: [], add: [] });
  });

  it('when the domain is a sub-domain in its parent zone, then the dname is relative (_mailchannels.shop)', () => {
    const zone = buildZone('example.com', [
      ['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm'],
      ['_mailchannels.shop', 'TXT', 'v=mc1 auth=oldhost'],
    ]);
    const { plan } = converges(zone, { domain: 'shop.example.com' });
    expect(plan.edit).toEqual([
      { line_index: 12, dname: '_mailchannels.shop', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] },
    ]);
    const missing = buildZone('example.com', [['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm']]);
    expect(converges(missing, { domain: 'blog.example.com' }).plan.add[0]?.dname).toBe('_mailchannels.blog');
  });

  it('when keepForeign is on, then the old host stays after ours; when off, it is dropped', () => {
    const zone = lockdownZone(['v=mc1 auth=oldhost senderid=oldhost|x-authuser|joe']);
    expect(converges(zone, { keepForeign: true }).plan.edit[0]?.data).toEqual([
      'v=mc1 auth=webhostingm auth=oldhost senderid=oldhost|x-authuser|joe',
    ]);
    expect(converges(zone, { keepForeign: false }).plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when a sender-ID template is configured, then the record carries senderid=<template for the user>', () => {
    const { plan } = converges(lockdownZone(['v=mc1 auth=oldhost']), { user: 'alice', senderIdTemplate: TPL });
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice']);
  });

  it("when records to merge already list the account's mailbox sender IDs, then they stay next to the template's", () => {
    const { plan } = converges(lockdownZone(['v=mc1 auth=oldhost', 'v=mc1 senderid=webhostingm|x-authuser|joe@example.com']), {
      user: 'alice',
      senderIdTemplate: TPL,
    });
    expect(plan.edit[0]?.data).toEqual([
      'v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice senderid=webhostingm|x-authuser|joe@example.com',
    ]);
  });

  it("when the provider is named only through another user's sender ID, then that sender ID is dropped", () => {
    const { plan } = converges(lockdownZone(['v=mc1 senderid=webhostingm|x-authuser|bob']), { user: 'alice', senderIdTemplate: TPL });
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice']);
  });

  it('when the record is already exactly right, then null', () => {
    expect(planFor(lockdownZone(['v=mc1 auth=webhostingm']))).toBeNull();
    expect(
      planFor(lockdownZone(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice']), { user: 'alice', senderIdTemplate: TPL }),
    ).toBeNull();
    expect(planFor(lockdownZone([['v=mc1 auth=webhostingm ', 'senderid=webhostingm|x-authuser|alice']]), { user: 'alice' })).toBeNull();
  });

  it('when a tenant-isolated record of sender IDs works, then null: the planner never widens it with auth=', () => {
    expect(
      planFor(lockdownZone(['v=mc1 senderid=webhostingm|x-authuser|alice senderid=webhostingm|x-authuser|joe@example.com']), {
        user: 'alice',
      }),
    ).toBeNull();
  });

  it('when a working record has upper-case tags or is split inside a field, then it is rewritten to normal form', () => {
    expect(converges(lockdownZone(['V=MC1 auth=webhostingm'])).plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
    expect(converges(lockdownZone([['v=mc1 auth=web', 'hostingm']])).plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
    expect(converges(lockdownZone(['v=mc1 AUTH=webhostingm'])).plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when unknown tags are present, then they are kept verbatim (§5) and the second plan is still null', () => {
    const { plan } = converges(lockdownZone(['v=mc1 auth=oldhost x-note=migrated']));
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm x-note=migrated']);
  });

  it('when a comma list is present, then its values become separate fields (ours once, foreign per keepForeign)', () => {
    expect(converges(lockdownZone(['v=mc1 auth=oldhost,webhostingm']), { keepForeign: true }).plan.edit[0]?.data).toEqual([
      'v=mc1 auth=webhostingm auth=oldhost',
    ]);
  });

  it('when a TXT without v=mc1 is the only one at the name, then that shown line is edited into the record', () => {
    const zone = lockdownZone(['mc1 auth=webhostingm']);
    const { plan } = converges(zone);
    expect(plan).toMatchObject({ remove: [], add: [], edit: [{ line_index: 13, data: ['v=mc1 auth=webhostingm'] }] });
  });

  it('when a TXT without v=mc1 sits next to a lockdown record, then it is removed because the findings show it', () => {
    const zone = lockdownZone(['v=mc1 auth=oldhost', 'site-verification=abc']);
    const shown = lockdownFindings(zone)
      .filter((f) => f.code === 'LOCKDOWN_MALFORMED')
      .flatMap((f) => f.records.map((r) => r.lineIndex));
    expect(shown).toEqual([14]);
    expect(converges(zone).plan.remove).toEqual([14]);
  });

  it('when the findings do not show a non-v=mc1 TXT, then it is never removed', () => {
    const zone = lockdownZone(['v=mc1 auth=oldhost', 'site-verification=abc']);
    const findings = lockdownFindings(zone).filter((f) => f.code !== 'LOCKDOWN_MALFORMED');
    const plan = planLockdownRepair({ domain: 'example.com', zone, findings, authId: 'webhostingm' });
    expect(plan?.remove).toEqual([]);
    expect(plan?.edit.map((e) => e.line_index)).toEqual([13]);
  });

  it('when a plan is made, then it touches no line other than the lockdown records', () => {
    const zone = buildZone('example.com', [
      ['example.com.', 'TXT', 'v=spf1 +a +mx ~all'],
      ['_mailchannels', 'TXT', 'v=mc1 auth=a'],
      ['default._domainkey', 'TXT', 'v=DKIM1; k=rsa; p=AAAA'],
      ['_mailchannels', 'TXT', 'v=mc1 auth=b'],
      ['_dmarc', 'TXT', 'v=DMARC1; p=none'],
      ['_mailchannels.shop', 'TXT', 'v=mc1 auth=c'],
    ]);
    const plan = planFor(zone) as MassEditParams;
    expect([...plan.remove, ...plan.edit.map((e) => e.line_index)].sort()).toEqual([12, 14]);
  });

  it('when the record grows beyond 255 bytes, then it is split between fields with the space kept in the earlier string', () => {
    const foreign = Array.from({ length: 40 }, (_, i) => `auth=provider-number-${i}`);
    const zone = lockdownZone([['v=mc1 ', ...foreign.map((f, i) => (i < foreign.length - 1 ? `${f} ` : f))]]);
    const { plan } = converges(zone, { keepForeign: true });
    const data = plan.edit[0]?.data as string[];
    expect(data.length).toBeGreaterThan(1);
    for (const s of data) expect(s.length).toBeLessThanOrEqual(255);
    for (const s of data.slice(0, -1)) expect(s.endsWith(' ')).toBe(true);
    expect(data.join('').split(' ')).toEqual(data.join(' ').split(/ +/));
    expect(data.join('')).toBe(['v=mc1', 'auth=webhostingm', ...foreign].join(' '));
  });

  it('when a TTL is given, then edits and adds use it; an invalid TTL is a BAD_INPUT error', () => {
    expect(planFor(lockdownZone([]), { ttl: 600 })?.add[0]?.ttl).toBe(600);
    expect(thrown(() => planFor(lockdownZone([]), { ttl: 0 })).code).toBe('BAD_INPUT');
    expect(thrown(() => planFor(lockdownZone([]), { ttl: 1.5 })).code).toBe('BAD_INPUT');
  });

  it('when the name is a CNAME, then the planner refuses with CONFLICT', () => {
    expect(thrown(() => planFor(buildZone('example.com', [['_mailchannels', 'CNAME', 'x.example.net.']]))).code).toBe('CONFLICT');
  });

  it('when the findings come from another version of the zone, then CONFLICT instead of editing the wrong line', () => {
    const before = lockdownZone(['v=mc1 auth=oldhost']);
    const findings = lockdownFindings(before);
    const changed = lockdownZone(['v=mc1 auth=somebodyelse']);
    expect(thrown(() => planLockdownRepair({ domain: 'example.com', zone: changed, findings, authId: 'webhostingm' })).code).toBe(
      'CONFLICT',
    );
    const okFindings = lockdownFindings(lockdownZone(['v=mc1 auth=webhostingm']));
    const nowTwo = lockdownZone(['v=mc1 auth=webhostingm', 'v=mc1 auth=x']);
    expect(
      thrown(() => planLockdownRepair({ domain: 'example.com', zone: nowTwo, findings: okFindings, authId: 'webhostingm' })).code,
    ).toBe('CONFLICT');
  });

  it('when no lockdown findings are given, then BAD_INPUT (the planner acts only on what was shown)', () => {
    expect(
      thrown(() => planLockdownRepair({ domain: 'example.com', zone: lockdownZone([]), findings: [], authId: 'webhostingm' })).code,
    ).toBe('BAD_INPUT');
  });

  it.each([
    ['quote', 'web"hostingm'],
    ['single quote', "web'hostingm"],
    ['backslash', 'web\\hostingm'],
    ['space', 'web hostingm'],
    ['newline', 'webhostingm\n'],
    ['control byte', 'web\u0000hostingm'],
    ['non-ASCII', 'wébhostingm'],
    ['over-long', 'w'.repeat(65)],
    ['empty', ''],
    ['pipe', 'web|hostingm'],
  ])('when the auth id has a %s, then UNSAFE_VALUE', (_, authId) => {
    const zone = lockdownZone([]);
    const err = thrown(() => planLockdownRepair({ domain: 'example.com', zone, findings: lockdownFindings(zone), authId }));
    expect(err.code).toBe('UNSAFE_VALUE');
  });

  it.each([
    ['a quote', 'webhostingm|x-authuser|al"ice'],
    ['whitespace', 'webhostingm|x-authuser|al ice'],
    ['a backslash', 'webhostingm|x-authuser|al\\ice'],
    ['a control byte', 'webhostingm|x-authuser|al\u0007ice'],
    ['non-ASCII', 'webhostingm|x-authuser|alïce'],
    ['too many parts', 'webhostingm|x-authuser|alice|x'],
    ['an over-long identity', `webhostingm|x-authuser|${'a'.repeat(250)}`],
  ])('when the sender ID has %s, then UNSAFE_VALUE', (_, senderId) => {
    const zone = lockdownZone([]);
    const err = thrown(() =>
      planLockdownRepair({ domain: 'example.com', zone, findings: lockdownFindings(zone), authId: 'webhostingm', senderId }),
    );
    expect(err.code).toBe('UNSAFE_VALUE');
    expect(err.step).toBe('plan');
  });

  it('when the record carries 10 000 foreign ids, then without keepForeign the plan is small and fast', () => {
    const huge = `v=mc1 ${Array.from({ length: 10000 }, (_, i) => `auth=old${i}`).join(' ')}`;
    const zone = lockdownZone([huge.match(/.{1,255}/g) as string[]]);
    const started = Date.now();
    expect(planFor(zone)?.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when keeping 10 000 unknown fields would make a huge record, then UNSAFE_VALUE asking for a manual edit', () => {
    const huge = `v=mc1 ${Array.from({ length: 10000 }, (_, i) => `x${i}=y`).join(' ')}`;
    const zone = lockdownZone([huge.match(/.{1,255}/g) as string[]]);
    expect(thrown(() => planFor(zone)).message).toMatch(/edit it by hand/);
  });

  it('when a field holds control or non-ASCII bytes, then it cannot be written and is left out of the new record', () => {
    const { plan } = converges(lockdownZone(['v=mc1 auth=oldhost note=caf\u00e9 x=\u0001']));
    expect(plan.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
  });
});
