/**
 * Tenant mode (`lockdown.mode: tenant`): the record lists only the account's own senders — the
 * cPanel user and each mailbox of the domain — and no shared auth= of the provider.
 */
import { isStaleLockdown } from '../../../src/checks/findings';
import { checkLockdown } from '../../../src/checks/lockdown';
import { parseConfig } from '../../../src/config';
import { diagnoseDomain } from '../../../src/usecases/diagnose';
import { planLockdownRepair } from '../../../src/usecases/plan';
import { tenantIdentities } from '../../../src/usecases/plan/tenant';
import type { Zone } from '../../../src/zone/model';
import { lockdownZone } from '../checks/zoneBuilder';
import { applyToZone } from './helpers';

const ALICE = 'webhostingm|x-authuser|alice';
const JOE = 'webhostingm|x-authuser|joe@example.com';
const ANN = 'webhostingm|x-authuser|ann@example.com';
const IDS = [ALICE, ANN, JOE];

const codes = (zone: Zone, identities = IDS) =>
  checkLockdown({
    domain: 'example.com',
    records: zone.records,
    zoneName: 'example.com',
    authId: 'webhostingm',
    user: 'alice',
    tenantIdentities: identities,
  })
    .filter((f) => f.check === 'lockdown')
    .map((f) => f.code);

function plan(zone: Zone, identities = IDS, keepForeign = false) {
  const findings = checkLockdown({
    domain: 'example.com',
    records: zone.records,
    zoneName: 'example.com',
    authId: 'webhostingm',
    user: 'alice',
    tenantIdentities: identities,
  });
  return planLockdownRepair({ domain: 'example.com', zone, findings, authId: 'webhostingm', tenantIdentities: identities, keepForeign });
}

const tenantRecord = `v=mc1 senderid=${ALICE} senderid=${ANN} senderid=${JOE}`;

describe('the identities of an account', () => {
  it("when an account has mailboxes on several domains, then the user's ID and only this domain's mailboxes, sorted, once", () => {
    expect(
      tenantIdentities({
        authId: 'webhostingm',
        user: 'alice',
        domain: 'Example.com',
        mailboxes: ['joe@example.com', 'ann@example.com', 'sales@other.example', 'JOE@example.com'],
      }),
    ).toEqual(IDS);
  });

  it("when a sender-ID template is configured, then the user's ID follows it", () => {
    expect(
      tenantIdentities({
        authId: 'webhostingm',
        senderIdTemplate: 'webhostingm|x-authuser|{user}@host.example.net',
        user: 'alice',
        domain: 'example.com',
        mailboxes: [],
      }),
    ).toEqual(['webhostingm|x-authuser|alice@host.example.net']);
  });
});

describe('the tenant check', () => {
  it('when the record lists exactly the account’s senders, then it is OK', () => {
    expect(codes(lockdownZone([tenantRecord]))).toEqual(['LOCKDOWN_OK']);
  });

  it('when the record shares auth= of the provider, then SHARED (every customer of the provider may send as the domain)', () => {
    expect(codes(lockdownZone(['v=mc1 auth=webhostingm']))).toEqual(['LOCKDOWN_SHARED']);
    expect(codes(lockdownZone([`v=mc1 auth=webhostingm senderid=${ALICE}`]))).toEqual(['LOCKDOWN_SHARED']);
  });

  it('when a mailbox of the domain is not listed, then IDENTITY_MISSING (its mail is rejected) and it is stale', () => {
    const zone = lockdownZone([`v=mc1 senderid=${ALICE} senderid=${JOE}`]);
    expect(codes(zone)).toEqual(['LOCKDOWN_IDENTITY_MISSING']);
    expect(isStaleLockdown(codes(zone))).toBe(true);
    const finding = checkLockdown({
      domain: 'example.com',
      records: zone.records,
      zoneName: 'example.com',
      authId: 'webhostingm',
      user: 'alice',
      tenantIdentities: IDS,
    }).find((f) => f.code === 'LOCKDOWN_IDENTITY_MISSING');
    expect(finding?.message).toContain('the mailbox ann@example.com');
    expect(finding?.severity).toBe('error');
  });

  it('when the record also admits another user or a removed mailbox, then SHARED', () => {
    expect(codes(lockdownZone([`${tenantRecord} senderid=webhostingm|x-authuser|bob`]))).toEqual(['LOCKDOWN_SHARED']);
    expect(codes(lockdownZone([`${tenantRecord} senderid=webhostingm|x-authuser|old@example.com`]))).toEqual(['LOCKDOWN_SHARED']);
  });

  it('when the record is stale or blocks all mail, then the usual verdict, with the tenant record recommended', () => {
    const findings = checkLockdown({
      domain: 'example.com',
      records: lockdownZone(['v=mc1 auth=oldhost']).records,
      zoneName: 'example.com',
      authId: 'webhostingm',
      user: 'alice',
      tenantIdentities: IDS,
    });
    expect(findings.map((f) => f.code)).toEqual(['LOCKDOWN_STALE']);
    expect(findings[0]?.details?.recommended).toBe(tenantRecord);
    expect(codes(lockdownZone(['v=mc1']))).toEqual(['LOCKDOWN_BLOCK_ALL']);
  });
});

describe('the tenant plan', () => {
  it.each([
    ['a shared record', 'v=mc1 auth=webhostingm'],
    ['a stale record', 'v=mc1 auth=oldhost'],
    ['a record missing a mailbox', `v=mc1 senderid=${ALICE}`],
    ['a record admitting another user', `${tenantRecord} senderid=webhostingm|x-authuser|bob`],
  ])('when the zone holds %s, then it becomes exactly the tenant record, and a second plan is null', (_what, value) => {
    const zone = lockdownZone([value]);
    const p = plan(zone);
    expect(p?.edit[0]?.data.join('')).toBe(tenantRecord);
    const after = applyToZone(zone, p!);
    expect(codes(after)).toEqual(['LOCKDOWN_OK']);
    expect(plan(after)).toBeNull();
  });

  it("when there is no record, then the tenant record is added; other providers' values stay only with keepForeign", () => {
    expect(plan(lockdownZone([]))?.add[0]?.data.join('')).toBe(tenantRecord);
    expect(plan(lockdownZone(['v=mc1 auth=oldhost']), IDS, true)?.edit[0]?.data.join('')).toBe(`${tenantRecord} auth=oldhost`);
  });
});

describe('diagnosing in tenant mode', () => {
  const config = parseConfig({ provider: { authId: 'webhostingm' }, lockdown: { mode: 'tenant' } });

  it('when the mailboxes are not known, then it refuses instead of planning a record that would drop one', async () => {
    await expect(
      diagnoseDomain({ domain: 'example.com', zone: lockdownZone(['v=mc1 auth=webhostingm']), user: 'alice', config }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('when the mailboxes are known, then the report carries the tenant verdict and plan', async () => {
    const report = await diagnoseDomain({
      domain: 'example.com',
      zone: lockdownZone(['v=mc1 auth=webhostingm']),
      user: 'alice',
      config,
      mailboxes: ['joe@example.com', 'ann@example.com'],
    });
    expect(report.findings.map((f) => f.code)).toContain('LOCKDOWN_SHARED');
    expect(report.plan?.edit[0]?.data.join('')).toBe(tenantRecord);
  });
});
