/**
 * A record that blocks all mail (`v=mc1` alone) is a choice: a warning, out of the stale selection,
 * and replaced only with an explicit yes. A record naming another provider besides ours is left as is.
 */
import { FINDING_SEVERITY, isStaleLockdown, staleSelection } from '../../../src/checks/findings';
import { repairDomain } from '../../../src/usecases/repair';
import { ACTOR, FAST_VERIFY, INCIDENT_ZONE, makeHarness } from '../repair/harness';

const BLOCK_ALL_ZONE = INCIDENT_ZONE.replace('"v=mc1 auth=oldhost"', '"v=mc1"');
const SHARED_ZONE = INCIDENT_ZONE.replace('"v=mc1 auth=oldhost"', '"v=mc1 auth=other auth=webhostingm"');

describe('the stale selection', () => {
  it('when a record blocks all mail, then it is a warning and not stale unless asked for', () => {
    expect(FINDING_SEVERITY.LOCKDOWN_BLOCK_ALL).toBe('warning');
    expect(isStaleLockdown(['LOCKDOWN_BLOCK_ALL', 'SPF_OK'])).toBe(false);
    expect(isStaleLockdown(['LOCKDOWN_BLOCK_ALL'], { includeBlockAll: true })).toBe(true);
  });

  it('when a block-all record is also malformed, then it is still left out unless asked for', () => {
    expect(isStaleLockdown(['LOCKDOWN_BLOCK_ALL', 'LOCKDOWN_MALFORMED'])).toBe(false);
    expect(isStaleLockdown(['LOCKDOWN_BLOCK_ALL', 'LOCKDOWN_MALFORMED'], { includeBlockAll: true })).toBe(true);
  });

  it.each([
    'LOCKDOWN_STALE',
    'LOCKDOWN_IDENTITY_MISSING',
    'LOCKDOWN_WRONG_SENDERID',
    'LOCKDOWN_MULTIPLE',
    'LOCKDOWN_MALFORMED',
    'LOCKDOWN_CFID',
  ])('when a domain has %s, then it is stale', (code) => {
    expect(isStaleLockdown([code])).toBe(true);
  });

  it('when a domain has only warnings or is fine, then it is not stale', () => {
    for (const code of ['LOCKDOWN_OK', 'LOCKDOWN_MISSING', 'LOCKDOWN_MISPLACED', 'SPF_PASS_ALL', 'DKIM_MISMATCH']) {
      expect(isStaleLockdown([code], { includeBlockAll: true })).toBe(false);
    }
  });

  it('when described as a query, then it names the same codes the predicate uses', () => {
    expect(staleSelection()).toEqual({
      codes: [
        'LOCKDOWN_STALE',
        'LOCKDOWN_IDENTITY_MISSING',
        'LOCKDOWN_WRONG_SENDERID',
        'LOCKDOWN_MULTIPLE',
        'LOCKDOWN_MALFORMED',
        'LOCKDOWN_CFID',
      ],
      excludeCodes: ['LOCKDOWN_BLOCK_ALL'],
    });
    expect(staleSelection({ includeBlockAll: true }).excludeCodes).toEqual([]);
    expect(staleSelection({ includeBlockAll: true }).codes).toContain('LOCKDOWN_BLOCK_ALL');
  });
});

describe('repairing a domain whose record blocks all mail', () => {
  it('when previewed, then the change is planned and the question is asked', async () => {
    const h = makeHarness({ zoneText: BLOCK_ALL_ZONE });
    const preview = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, dryRun: true });
    expect(preview.status).toBe('planned');
    expect(preview.plan?.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm']);
    expect(preview.needsConfirmation).toBe('This domain is set to block all mail; allow sending through webhostingm?');
    expect(preview.before.findings.find((f) => f.code === 'LOCKDOWN_BLOCK_ALL')?.message).toMatch(/never sends mail/);
  });

  it('when applied without a yes, then nothing is written or journalled and the result says why', async () => {
    const h = makeHarness({ zoneText: BLOCK_ALL_ZONE });
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('CONFIRMATION_REQUIRED');
    expect(result.message).toMatch(/block all mail/);
    expect(h.cpanel.writes).toHaveLength(0);
    expect(h.cpanel.text('example.com')).toBe(BLOCK_ALL_ZONE);
    expect(h.store.listChanges()).toHaveLength(0);
  });

  it('when applied with a yes, then the record lets the provider send', async () => {
    const h = makeHarness({ zoneText: BLOCK_ALL_ZONE });
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, allowBlockAll: true, verifyOptions: FAST_VERIFY });
    expect(result.status).toBe('verified');
    expect(h.cpanel.text('example.com')).toContain('"v=mc1 auth=webhostingm"');
  });

  it('when someone sets the record to block all mail between read and write, then their record stands', async () => {
    const h = makeHarness();
    h.cpanel.beforeNextWrite = (zone) => {
      h.cpanel.texts.set(zone, BLOCK_ALL_ZONE.replace('2024030101', '2024030102'));
    };
    const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
    expect(result.status).not.toBe('verified');
    expect(h.cpanel.text('example.com')).toContain('"v=mc1"\n');
    expect(h.cpanel.writes).toHaveLength(1);
  });
});

describe('a record naming another provider besides ours', () => {
  it('when repaired, with or without a sender-ID template, then it is left untouched', async () => {
    for (const senderIdTemplate of [undefined, 'webhostingm|x-authuser|{user}']) {
      const h = makeHarness({ zoneText: SHARED_ZONE });
      if (senderIdTemplate) h.ctx.config = { ...h.ctx.config, provider: { ...h.ctx.config.provider, senderIdTemplate } };
      const result = await repairDomain(h.ctx, { domain: 'example.com', actor: ACTOR, verifyOptions: FAST_VERIFY });
      expect(result.status).toBe('unchanged');
      expect(result.before.findings.map((f) => f.code)).toContain('LOCKDOWN_OK');
      expect(h.cpanel.text('example.com')).toBe(SHARED_ZONE);
      expect(isStaleLockdown(result.before.findings, { includeBlockAll: true })).toBe(false);
    }
  });
});
