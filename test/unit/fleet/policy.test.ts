import { finding, type FindingCode } from '../../../src/checks/findings';
import { decideRequest } from '../../../src/usecases/fleet';
import type { DomainDiagnosis } from '../../../src/usecases/inspect';
import { domainReport } from '../../../src/usecases/report';

const info = { domain: 'a.example', user: 'alice', owner: 'root', type: 'main' as const, zone: 'a.example' };
const plan = { zone: 'a.example', serial: '1', remove: [], edit: [], add: [] };

function diagnosis(codes: FindingCode[], options: { plan?: boolean; local?: boolean } = {}): DomainDiagnosis {
  const report = domainReport({
    domain: 'a.example',
    zone: 'a.example',
    findings: codes.map((c) => finding(c, c.startsWith('DNS') ? 'dns' : 'lockdown', c)),
    plan: options.plan === false ? null : plan,
  });
  return {
    info,
    report,
    ...(options.local === undefined
      ? {}
      : { authority: { domain: 'a.example', zone: 'a.example', local: options.local, nameservers: [] } }),
  };
}

describe('a server’s own decision on a fleet repair request', () => {
  it('when the record is stale here and now, then the server accepts it', () => {
    expect(decideRequest(diagnosis(['LOCKDOWN_STALE']))).toEqual({ accept: true, zone: 'a.example', codes: ['LOCKDOWN_STALE'] });
  });

  it.each<[string, FindingCode[], { plan?: boolean; local?: boolean }, string]>([
    ['a block-all record', ['LOCKDOWN_BLOCK_ALL'], {}, 'BLOCK_ALL'],
    ['a stale record in a zone the world asks elsewhere for', ['LOCKDOWN_STALE'], { local: false }, 'FOREIGN_DNS'],
    ['the not-authoritative finding', ['LOCKDOWN_STALE', 'DNS_NOT_AUTHORITATIVE'], {}, 'FOREIGN_DNS'],
    ['a missing record', ['LOCKDOWN_MISSING'], { plan: false }, 'NOT_STALE'],
    ['a stale record the planner will not rewrite unseen', ['LOCKDOWN_STALE'], { plan: false }, 'NEEDS_A_PERSON'],
  ])('when the fresh diagnosis shows %s, then the server refuses (%s)', (_label, codes, options, reason) => {
    const decision = decideRequest(diagnosis(codes, options));
    expect(decision).toMatchObject({ accept: false, state: 'refused', reason });
  });

  it('when the record is already right, then nothing is changed and it says so', () => {
    expect(decideRequest(diagnosis(['LOCKDOWN_OK'], { plan: false }))).toMatchObject({ accept: false, state: 'unchanged' });
  });

  it('when no account has the domain, or its zone cannot be read, then it refuses with that reason', () => {
    expect(decideRequest(null)).toMatchObject({ state: 'refused', reason: 'UNKNOWN_DOMAIN' });
    expect(decideRequest({ info, error: { code: 'TIMEOUT', step: 'read', message: 'slow' } })).toMatchObject({
      state: 'refused',
      reason: 'NOT_READABLE',
    });
  });
});
