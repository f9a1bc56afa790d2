import { checkDmarc } from '../../../src/checks/dmarc';
import type { Finding } from '../../../src/checks/findings';
import { buildZone, type RecordSpec } from './zoneBuilder';

function dmarc(specs: RecordSpec[], domain = 'example.com'): Finding[] {
  const zone = buildZone('example.com', specs);
  return checkDmarc({ domain, records: zone.records, zoneName: 'example.com' });
}
const codes = (f: Finding[]) => f.map((x) => x.code).sort();

describe('DMARC check', () => {
  it('when the record is v=DMARC1; p=quarantine with reporting, then DMARC_OK', () => {
    expect(
      codes(dmarc([['_dmarc', 'TXT', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com; pct=100; adkim=s; aspf=r; fo=0:d; ri=86400']])),
    ).toEqual(['DMARC_OK']);
  });

  it("when the policy is none (cPanel's default), then DMARC_POLICY_NONE (info)", () => {
    const f = dmarc([['_dmarc', 'TXT', 'v=DMARC1; p=none;']]);
    expect(codes(f)).toEqual(['DMARC_POLICY_NONE']);
    expect(f[0]?.severity).toBe('info');
  });

  it('when there is no record, then DMARC_MISSING', () => {
    expect(codes(dmarc([['_dmarc.shop', 'TXT', 'v=DMARC1; p=reject']]))).toEqual(['DMARC_MISSING']);
  });

  it('when two records exist, then DMARC_MULTIPLE alone (RFC 7489 §6.6.3)', () => {
    expect(
      codes(
        dmarc([
          ['_dmarc', 'TXT', 'v=DMARC1; p=none'],
          ['_dmarc', 'TXT', 'v=DMARC1; p=reject'],
        ]),
      ),
    ).toEqual(['DMARC_MULTIPLE']);
  });

  it('when a TXT at _dmarc is not DMARC at all, then it is ignored', () => {
    expect(
      codes(
        dmarc([
          ['_dmarc', 'TXT', 'some-verification=abc'],
          ['_dmarc', 'TXT', 'v=DMARC1; p=reject'],
        ]),
      ),
    ).toEqual(['DMARC_OK']);
  });

  it.each<[string, RegExp]>([
    ['v=DMARC1', /"p=" is missing/],
    ['v=DMARC1; p=block', /not none, quarantine or reject/],
    ['v=DMARC1; p=reject; sp=maybe', /sp=/],
    ['v=DMARC1; p=reject; pct=150', /pct/],
    ['v=DMARC1; p=reject; adkim=x', /adkim/],
    ['v=DMARC1; p=reject; rua=dmarc@example.com', /mailto:/],
    ['v=DMARC1; p=reject; fo=2', /fo=/],
    ['v=DMARC1; p=reject; ri=soon', /ri=/],
    ['v=DMARC1;; p=reject', /empty entry/],
    ['v=DMARC1; p=reject; p=none', /more than once/],
    ['v=DMARC1; p reject', /tag=value/],
  ])('when the record is %j, then DMARC_MALFORMED saying why', (value, why) => {
    const f = dmarc([['_dmarc', 'TXT', value]]);
    const malformed = f.find((x) => x.code === 'DMARC_MALFORMED');
    expect(malformed?.message).toMatch(why);
  });

  it.each(['v=dmarc1; p=reject', 'p=reject; v=DMARC1'])(
    'when the record is %j (version not exactly first), then DMARC_MALFORMED and not MISSING',
    (value) => {
      expect(codes(dmarc([['_dmarc', 'TXT', value]]))).toEqual(['DMARC_MALFORMED']);
    },
  );

  it('when tag names are upper-case, then they are still read (ABNF strings are case-insensitive)', () => {
    expect(codes(dmarc([['_dmarc', 'TXT', 'v=DMARC1; P=Reject']]))).toEqual(['DMARC_OK']);
  });

  it('when an unknown tag is present, then it is ignored (RFC 7489 §6.3)', () => {
    const f = dmarc([['_dmarc', 'TXT', 'v=DMARC1; p=reject; np=reject']]);
    expect(codes(f)).toEqual(['DMARC_OK']);
    expect(f[0]?.details?.unknownTags).toEqual(['np']);
  });

  it("when a sub-domain has no record, then the apex's sp= (else p=) applies (RFC 7489 §6.6.3)", () => {
    expect(codes(dmarc([['_dmarc', 'TXT', 'v=DMARC1; p=reject; sp=none']], 'shop.example.com'))).toEqual(['DMARC_POLICY_NONE']);
    const f = dmarc([['_dmarc', 'TXT', 'v=DMARC1; p=reject']], 'shop.example.com');
    expect(f[0]).toMatchObject({ code: 'DMARC_OK', details: { inheritedFrom: 'example.com' } });
    expect(codes(dmarc([], 'shop.example.com'))).toEqual(['DMARC_MISSING']);
  });

  it('when the record is hostile (64 KB), then findings come back fast', () => {
    const started = Date.now();
    const f = dmarc([['_dmarc', 'TXT', `v=DMARC1; p=reject; ${'x=\u0001; '.repeat(6000)}`.match(/.{1,255}/g) as string[]]]);
    expect(codes(f)).toEqual(['DMARC_MALFORMED']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
