import { checkLockdown, type LockdownCheckInput } from '../../../src/checks/lockdown';
import type { Finding } from '../../../src/checks/findings';
import { isFixEmailAuthError } from '../../../src/errors';
import { buildZone, lockdownZone, type RecordSpec } from './zoneBuilder';

const AUTH = 'webhostingm';

function check(values: Array<string | string[]>, extra: Partial<LockdownCheckInput> = {}, more: RecordSpec[] = []): Finding[] {
  const zone = lockdownZone(values, 'example.com', more);
  return checkLockdown({ domain: 'example.com', records: zone.records, zoneName: zone.name, authId: AUTH, ...extra });
}
const codes = (findings: Finding[]) => findings.map((f) => f.code).sort();
const only = (findings: Finding[], code: string) => {
  const hits = findings.filter((f) => f.code === code);
  expect(hits).toHaveLength(1);
  return hits[0] as Finding;
};

describe('lockdown check: verdicts', () => {
  it('when the record is auth=<provider>, then LOCKDOWN_OK with the tenant-wide note (§3)', () => {
    const findings = check(['v=mc1 auth=webhostingm']);
    expect(codes(findings)).toEqual(['LOCKDOWN_OK']);
    const ok = only(findings, 'LOCKDOWN_OK');
    expect(ok.severity).toBe('ok');
    expect(ok.details).toMatchObject({ tenantWide: true, authorizedBy: ['auth=webhostingm'] });
    expect(ok.message).toMatch(/every account that relays through webhostingm/);
    expect(ok.records).toEqual([
      expect.objectContaining({ name: '_mailchannels.example.com.', lineIndex: 13, value: 'v=mc1 auth=webhostingm' }),
    ]);
  });

  it("when the record is the provider's example with auth= and senderid=, then OK and still tenant-wide (§3)", () => {
    const ok = only(check(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice'], { user: 'alice' }), 'LOCKDOWN_OK');
    expect(ok.details?.tenantWide).toBe(true);
  });

  it('when a second provider is listed next to ours, then OK (any field matching admits the message, §2)', () => {
    expect(codes(check(['v=mc1 auth=webhostingm auth=anotherprovider']))).toEqual(['LOCKDOWN_OK']);
    expect(codes(check(['v=mc1 auth=anotherprovider auth=webhostingm']))).toEqual(['LOCKDOWN_OK']);
  });

  it('when there is no record, then LOCKDOWN_MISSING with the record to publish', () => {
    const findings = check([]);
    expect(codes(findings)).toEqual(['LOCKDOWN_MISSING']);
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.details?.recommended).toBe('v=mc1 auth=webhostingm');
  });

  it('when a sender-ID template and the user are known, then the recommended record carries the sender ID', () => {
    const missing = only(check([], { user: 'alice', senderIdTemplate: 'webhostingm|x-authuser|{user}' }), 'LOCKDOWN_MISSING');
    expect(missing.details?.recommended).toBe('v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice');
  });

  it('when the record carries the old host (the seed incident), then LOCKDOWN_STALE naming the foreign id', () => {
    const findings = check(['v=mc1 auth=oldhost']);
    expect(codes(findings)).toEqual(['LOCKDOWN_STALE']);
    const stale = only(findings, 'LOCKDOWN_STALE');
    expect(stale.severity).toBe('error');
    expect(stale.details?.foreignAuth).toEqual(['oldhost']);
    expect(stale.message).toContain('550 5.7.1 This sender is not authorized to send from example.com.');
    expect(stale.message).toContain('oldhost');
  });

  it('when the record is bare v=mc1, then LOCKDOWN_BLOCK_ALL (§4)', () => {
    expect(codes(check(['v=mc1']))).toEqual(['LOCKDOWN_BLOCK_ALL']);
  });

  it('when the only fields are unknown or empty, then BLOCK_ALL plus MALFORMED (no identifier left)', () => {
    expect(codes(check(['v=mc1 auth=']))).toEqual(['LOCKDOWN_BLOCK_ALL', 'LOCKDOWN_MALFORMED']);
    expect(codes(check(['v=mc1 foo=bar']))).toEqual(['LOCKDOWN_BLOCK_ALL', 'LOCKDOWN_MALFORMED']);
  });

  it('when the record only has cfid=, then CFID plus STALE (dead since 2024-08-31, §4)', () => {
    const findings = check(['v=mc1 cfid=someone.workers.dev']);
    expect(codes(findings)).toEqual(['LOCKDOWN_CFID', 'LOCKDOWN_STALE']);
    expect(only(findings, 'LOCKDOWN_CFID').details?.cfid).toEqual(['someone.workers.dev']);
    expect(only(findings, 'LOCKDOWN_STALE').message).toMatch(/Cloudflare Worker/);
  });

  it('when cfid= sits next to a working auth=, then OK plus CFID', () => {
    expect(codes(check(['v=mc1 auth=webhostingm cfid=someone.workers.dev']))).toEqual(['LOCKDOWN_CFID', 'LOCKDOWN_OK']);
  });

  it('when auth= lists values with a comma, then MALFORMED plus STALE even if our id is in the list (§5)', () => {
    const findings = check(['v=mc1 auth=oldhost,webhostingm']);
    expect(codes(findings)).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_STALE']);
    expect(only(findings, 'LOCKDOWN_STALE').details?.suspect).toEqual(['auth=oldhost,webhostingm']);
  });
});

describe('lockdown check: case (§5 project readings)', () => {
  it('when our id matches only case-folded, then STALE with the suspect match, never OK', () => {
    const findings = check(['v=mc1 auth=WebHostingM']);
    expect(codes(findings)).toEqual(['LOCKDOWN_STALE']);
    expect(only(findings, 'LOCKDOWN_STALE').details?.suspect).toEqual(['auth=WebHostingM']);
  });

  it('when the tag is upper-case, then the record is still recognised (not MISSING) but flagged and not trusted', () => {
    expect(codes(check(['v=mc1 AUTH=webhostingm']))).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_STALE']);
  });

  it('when only the version is upper-case, then OK plus MALFORMED (either reading lets the mail through)', () => {
    expect(codes(check(['V=MC1 auth=webhostingm']))).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_OK']);
  });
});

describe('lockdown check: several records and other TXT at the name', () => {
  it('when two v=mc1 records exist and none is ours, then MULTIPLE plus STALE', () => {
    const findings = check(['v=mc1 auth=oldhost', 'v=mc1 auth=otherhost']);
    expect(codes(findings)).toEqual(['LOCKDOWN_MULTIPLE', 'LOCKDOWN_STALE']);
    expect(only(findings, 'LOCKDOWN_MULTIPLE').records.map((r) => r.lineIndex)).toEqual([13, 14]);
    expect(only(findings, 'LOCKDOWN_STALE').details?.foreignAuth).toEqual(['oldhost', 'otherhost']);
  });

  it('when two v=mc1 records exist and one is ours, then MULTIPLE alone, naming the authorizing line', () => {
    const findings = check(['v=mc1 auth=oldhost', 'v=mc1 auth=webhostingm']);
    expect(codes(findings)).toEqual(['LOCKDOWN_MULTIPLE']);
    expect(findings[0]?.details).toMatchObject({ authorizingLines: [14], authorizedByAny: true });
  });

  it('when a TXT at the name lacks v=mc1, then MALFORMED for it and MISSING (it is not read as a lockdown record)', () => {
    const findings = check(['auth=webhostingm']);
    expect(codes(findings)).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_MISSING']);
    expect(only(findings, 'LOCKDOWN_MALFORMED').records[0]?.lineIndex).toBe(13);
    expect(only(findings, 'LOCKDOWN_MALFORMED').details?.lockdownRecord).toBe(false);
  });

  it('when a non-v=mc1 TXT sits next to a good record, then OK plus MALFORMED for the other one', () => {
    expect(codes(check(['v=mc1 auth=webhostingm', 'google-site-verification=abc']))).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_OK']);
  });

  it('when the name is a CNAME, then MALFORMED and no verdict we cannot know', () => {
    const zone = buildZone('example.com', [['_mailchannels', 'CNAME', 'lockdown.elsewhere.net.']]);
    const findings = checkLockdown({ domain: 'example.com', records: zone.records, zoneName: 'example.com', authId: AUTH });
    expect(codes(findings)).toEqual(['LOCKDOWN_MALFORMED']);
    expect(findings[0]?.details?.alias).toBe(true);
  });
});

describe('lockdown check: misplaced owners', () => {
  it.each<[string, string]>([
    ['_mailchannels.example.com', 'zone-appended'],
    ['mailchannels', 'missing-underscore'],
    ['mailchannels.example.com', 'missing-underscore'],
    ['_mailchannel', 'misspelled'],
    ['example.com.', 'at-domain'],
  ])('when a v=mc1 record is at %s, then MISPLACED (%s) and MISSING', (dname, reason) => {
    const zone = buildZone('example.com', [[dname, 'TXT', 'v=mc1 auth=webhostingm']]);
    const findings = checkLockdown({ domain: 'example.com', records: zone.records, zoneName: 'example.com', authId: AUTH });
    expect(codes(findings)).toEqual(['LOCKDOWN_MISPLACED', 'LOCKDOWN_MISSING']);
    expect(only(findings, 'LOCKDOWN_MISPLACED').details).toEqual({ expectedName: '_mailchannels.example.com.', reason });
    expect(only(findings, 'LOCKDOWN_MISPLACED').records[0]?.lineIndex).toBe(11);
  });

  it('when a non-lockdown TXT (SPF) is at the domain, then it is not reported as misplaced', () => {
    expect(codes(check([]))).toEqual(['LOCKDOWN_MISSING']);
  });
});

describe('lockdown check: sub-domains live in the parent zone, no inheritance (§5)', () => {
  const zone = buildZone('example.com', [
    ['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm'],
    ['_mailchannels.shop', 'TXT', 'v=mc1 auth=oldhost'],
  ]);

  it("when the sub-domain's record is stale, then the sub-domain is STALE and the apex is unaffected", () => {
    const shop = checkLockdown({ domain: 'shop.example.com', records: zone.records, zoneName: 'example.com', authId: AUTH });
    expect(codes(shop)).toEqual(['LOCKDOWN_STALE']);
    expect(shop[0]?.records[0]?.name).toBe('_mailchannels.shop.example.com.');
    const apex = checkLockdown({ domain: 'example.com', records: zone.records, zoneName: 'example.com', authId: AUTH });
    expect(codes(apex)).toEqual(['LOCKDOWN_OK']);
  });

  it("when only the parent has a record, then the sub-domain is MISSING (the parent's record does not count)", () => {
    const parentOnly = buildZone('example.com', [['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm']]);
    expect(
      codes(checkLockdown({ domain: 'blog.example.com', records: parentOnly.records, zoneName: 'example.com', authId: AUTH })),
    ).toEqual(['LOCKDOWN_MISSING']);
  });

  it('when a domain is outside the zone, then a typed BAD_INPUT error', () => {
    expect(() => checkLockdown({ domain: 'other.org', records: zone.records, zoneName: 'example.com', authId: AUTH })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    let thrown: unknown;
    try {
      checkLockdown({ domain: 'bad domain', records: [], zoneName: 'example.com', authId: AUTH });
    } catch (err) {
      thrown = err;
    }
    expect(isFixEmailAuthError(thrown, 'BAD_INPUT')).toBe(true);
  });
});

describe('lockdown check: sender IDs (§6)', () => {
  const tpl = 'webhostingm|x-authuser|{user}';

  it.each([
    ['webhostingm|x-authuser|alice', 'PHP mail() of the cPanel user (§6.2 row 1)'],
    ['webhostingm|x-authuser|joe@example.com', 'a mailbox of the domain (§6.2 row 2)'],
  ])('when senderid=%s names this account (%s), then OK and not tenant-wide', (senderId) => {
    const ok = only(check([`v=mc1 senderid=${senderId}`], { user: 'alice', senderIdTemplate: tpl }), 'LOCKDOWN_OK');
    expect(ok.details?.tenantWide).toBe(false);
  });

  it('when the hostname form is used and the server hostname is known, then OK (§6.2, §9)', () => {
    expect(
      codes(check(['v=mc1 senderid=webhostingm|x-authuser|alice@host.example.net'], { user: 'alice', serverHostname: 'host.example.net' })),
    ).toEqual(['LOCKDOWN_OK']);
  });

  it('when the template appends the hostname, then the expanded template covers the user', () => {
    expect(
      codes(
        check(['v=mc1 senderid=webhostingm|x-authuser|alice@host.example.net'], {
          user: 'alice',
          senderIdTemplate: 'webhostingm|x-authuser|{user}@host.example.net',
        }),
      ),
    ).toEqual(['LOCKDOWN_OK']);
  });

  it("when the provider is named only through another user's sender ID, then LOCKDOWN_WRONG_SENDERID", () => {
    const findings = check(['v=mc1 senderid=webhostingm|x-authuser|bob'], { user: 'alice', senderIdTemplate: tpl });
    expect(codes(findings)).toEqual(['LOCKDOWN_WRONG_SENDERID']);
    expect(findings[0]?.details?.otherSenderIds).toEqual(['webhostingm|x-authuser|bob']);
    expect(findings[0]?.severity).toBe('error');
  });

  it("when another user's sender ID sits next to auth=<provider>, then OK (auth= admits everything)", () => {
    expect(codes(check(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|bob'], { user: 'alice' }))).toEqual(['LOCKDOWN_OK']);
  });

  it('when the user is unknown and the sender ID names another user of the server, then WRONG_SENDERID', () => {
    expect(codes(check(['v=mc1 senderid=webhostingm|x-authuser|bob'], { otherUsersOfServer: ['bob', 'carol'] }))).toEqual([
      'LOCKDOWN_WRONG_SENDERID',
    ]);
    expect(codes(check(['v=mc1 senderid=webhostingm|x-authuser|bob@host.example.net'], { otherUsersOfServer: ['bob'] }))).toEqual([
      'LOCKDOWN_WRONG_SENDERID',
    ]);
  });

  it('when the user is unknown and the sender ID cannot be attributed, then OK marked unverified', () => {
    const ok = only(check(['v=mc1 senderid=webhostingm|x-authuser|alice']), 'LOCKDOWN_OK');
    expect(ok.details).toMatchObject({ senderIdUnverified: true, unverifiedSenderIds: ['webhostingm|x-authuser|alice'] });
    expect(ok.message).toMatch(/could not confirm/);
  });

  it("when the sender ID is another customer's, then STALE naming it", () => {
    const stale = only(check(['v=mc1 senderid=myhostingcompany|x-authuser|joe@example.com'], { user: 'alice' }), 'LOCKDOWN_STALE');
    expect(stale.details?.foreignSenderIds).toEqual(['myhostingcompany|x-authuser|joe@example.com']);
  });

  it('when the identity type is x-authsender (Email API) and no template says so, then it does not cover relay mail', () => {
    expect(codes(check(['v=mc1 senderid=webhostingm|x-authsender|alice'], { user: 'alice' }))).toEqual(['LOCKDOWN_WRONG_SENDERID']);
  });

  it('when the documented sidw example is used with that provider, then the pattern covers the domain mailboxes (§2 example 2)', () => {
    const zone = lockdownZone(['v=mc1 sidw=examplecorp|x-authsender|billing*@example.com']);
    const findings = checkLockdown({
      domain: 'example.com',
      records: zone.records,
      zoneName: 'example.com',
      authId: 'examplecorp',
      user: 'alice',
      senderIdTemplate: 'examplecorp|x-authsender|{user}',
    });
    expect(codes(findings)).toEqual(['LOCKDOWN_OK']);
  });

  it('when a sidw pattern matches the user through a wildcard, then OK; when it matches only others, WRONG_SENDERID', () => {
    expect(codes(check(['v=mc1 sidw=webhostingm|x-authuser|ali*'], { user: 'alice' }))).toEqual(['LOCKDOWN_OK']);
    expect(codes(check(['v=mc1 sidw=webhostingm|x-authuser|bo*'], { user: 'alice' }))).toEqual(['LOCKDOWN_WRONG_SENDERID']);
  });
});

describe('lockdown check: the documented examples (docs/reference/mailchannels.md §2, §6; the seed article)', () => {
  it('when the documented relay example is checked for its own provider, then the mailbox sender ID covers the domain', () => {
    const zone = lockdownZone(['v=mc1 senderid=myhostingcompany|x-authuser|joe@example.com']);
    const findings = checkLockdown({
      domain: 'example.com',
      records: zone.records,
      zoneName: 'example.com',
      authId: 'myhostingcompany',
      user: 'someone',
    });
    expect(codes(findings)).toEqual(['LOCKDOWN_OK']);
  });

  it("when the sender ID is root's shell mail (§6.2 row 3), then it does not cover the account alice", () => {
    expect(codes(check(['v=mc1 senderid=webhostingm|x-authuser|root'], { user: 'alice' }))).toEqual(['LOCKDOWN_WRONG_SENDERID']);
  });

  it('when the domain has an underscore like the seed article (example_domain.com) and the old value, then STALE', () => {
    const zone = buildZone('example_domain.com', [['_mailchannels', 'TXT', 'v=mc1 auth=oldvalue']]);
    const findings = checkLockdown({ domain: 'example_domain.com', records: zone.records, zoneName: 'example_domain.com', authId: AUTH });
    expect(codes(findings)).toEqual(['LOCKDOWN_STALE']);
    expect(findings[0]?.message).toContain('550 5.7.1 This sender is not authorized to send from example_domain.com.');
  });

  it("when the seed article's final record is published, then OK", () => {
    expect(
      codes(
        check(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice'], {
          user: 'alice',
          senderIdTemplate: 'webhostingm|x-authuser|{user}',
        }),
      ),
    ).toEqual(['LOCKDOWN_OK']);
  });
});

describe('lockdown check: hostile values', () => {
  it('when the record is 64 KB of fields, then findings come back fast with a short message', () => {
    const huge = `v=mc1 ${Array.from({ length: 10000 }, (_, i) => `auth=old${i}`).join(' ')}`;
    const chunks = huge.match(/.{1,255}/g) as string[];
    const started = Date.now();
    const findings = check([chunks]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(codes(findings)).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_STALE']);
    for (const f of findings) expect(f.message.length).toBeLessThan(600);
  });

  it('when the record holds control bytes and non-UTF-8, then MALFORMED plus a verdict, no crash', () => {
    const findings = check(['v=mc1 auth=web\u0000hostingm \u00ff\u00fe=\u0007']);
    expect(codes(findings)).toEqual(['LOCKDOWN_MALFORMED', 'LOCKDOWN_STALE']);
  });
});
