import { checkSpf, evaluateSpf, recommendedRecord } from '../../../src/checks/spf';
import { parseSpf } from '../../../src/checks/spfSyntax';
import type { Finding } from '../../../src/checks/findings';
import { buildZone } from './zoneBuilder';
import { fakeResolver, txt, type FakeDns } from './fakeResolver';

function spfOf(...values: Array<string | string[]>): Finding[] {
  const zone = buildZone('example.com', [
    ['example.com.', 'A', '192.0.2.10'],
    ...values.map((v) => ['example.com.', 'TXT', v] as [string, string, string | string[]]),
    ['_dmarc', 'TXT', 'v=spf1 -all'],
    ['www', 'TXT', 'v=spf1 +all'],
  ]);
  return checkSpf({ domain: 'example.com', records: zone.records });
}
const codes = (f: Finding[]) => f.map((x) => x.code).sort();

describe('SPF check (static)', () => {
  it('when the record includes MailChannels and ends in ~all, then SPF_OK', () => {
    expect(codes(spfOf('v=spf1 +a +mx +ip4:192.0.2.10 include:relay.mailchannels.net ~all'))).toEqual(['SPF_OK']);
  });

  it('when there is no SPF record at the domain (only at other names), then SPF_MISSING with the record to publish', () => {
    const f = spfOf('google-site-verification=x');
    expect(codes(f)).toEqual(['SPF_MISSING']);
    expect(f[0]?.details?.recommended).toBe('v=spf1 include:relay.mailchannels.net ~all');
  });

  it('when "v=spf10" or "v=spf1x" is published, then it is not an SPF record (RFC 7208 §4.5)', () => {
    expect(codes(spfOf('v=spf10 -all'))).toEqual(['SPF_MISSING']);
  });

  it('when two SPF records exist, then SPF_MULTIPLE alone, with a merged record', () => {
    const f = spfOf('v=spf1 +a ~all', 'v=spf1 include:_spf.google.com -all');
    expect(codes(f)).toEqual(['SPF_MULTIPLE']);
    expect(f[0]?.records).toHaveLength(2);
    expect(f[0]?.details?.recommended).toBe('v=spf1 +a include:_spf.google.com include:relay.mailchannels.net ~all');
  });

  it("when cPanel's default record lacks the include, then SPF_NO_MAILCHANNELS with the include merged before ~all (docs/reference/mailchannels.md §8)", () => {
    const f = spfOf('v=spf1 +a +mx +ip4:192.0.2.10 ~all');
    expect(codes(f)).toEqual(['SPF_NO_MAILCHANNELS']);
    expect(f[0]?.details?.recommended).toBe('v=spf1 +a +mx +ip4:192.0.2.10 include:relay.mailchannels.net ~all');
    expect(f[0]?.records[0]?.lineIndex).toBe(12);
  });

  it('when the include has a failing qualifier, then it does not count as including MailChannels', () => {
    const f = spfOf('v=spf1 -include:relay.mailchannels.net ~all');
    expect(codes(f)).toEqual(['SPF_NO_MAILCHANNELS']);
    expect(f[0]?.details?.recommended).toBe('v=spf1 include:relay.mailchannels.net ~all');
  });

  it('when the include is written +include: with upper case and a final dot, then it counts', () => {
    expect(codes(spfOf('v=spf1 +INCLUDE:Relay.MailChannels.net. ~all'))).toEqual(['SPF_OK']);
  });

  it.each(['v=spf1 include:relay.mailchannels.net +all', 'v=spf1 include:relay.mailchannels.net all'])(
    'when the record is %j, then SPF_PASS_ALL with ~all recommended',
    (value) => {
      const f = spfOf(value);
      expect(codes(f)).toEqual(['SPF_PASS_ALL']);
      expect(f[0]?.details?.recommended).toBe('v=spf1 include:relay.mailchannels.net ~all');
    },
  );

  it('when +all and no include, then both findings, one recommended record fixing both', () => {
    const f = spfOf('v=spf1 +a +all');
    expect(codes(f)).toEqual(['SPF_NO_MAILCHANNELS', 'SPF_PASS_ALL']);
    for (const x of f) expect(x.details?.recommended).toBe('v=spf1 +a include:relay.mailchannels.net ~all');
  });

  it.each([
    ['v=spf1 include:relay.mailchannels.net foo ~all', /not a known SPF mechanism/],
    ['v=spf1 include:relay.mailchannels.net ip4:192.0.2.300 ~all', /IPv4/],
    ['v=spf1 include:relay.mailchannels.net ip4:192.0.2.0/33 ~all', /prefix length/],
    ['v=spf1 include:relay.mailchannels.net ip6:zz::1 ~all', /IPv6/],
    ['v=spf1 include:relay.mailchannels.net include: ~all', /needs ":" and a domain/],
    ['v=spf1 include:relay.mailchannels.net all:x', /takes no argument/],
    ['v=spf1 include:relay.mailchannels.net redirect=a.example redirect=b.example', /more than once/],
    ['v=spf1 include:relay.mailchannels.net a:%{z}.example.com ~all', /not valid|invalid macro/],
    ['v=spf1 include:relay.mailchannels.net\t~all', /printable ASCII/],
    ['v=spf1 include:relay.mailchannels.net mx/0129 ~all', /prefix length/],
  ])('when the record is %j, then SPF_SYNTAX explains it', (value, why) => {
    const f = spfOf(value);
    const syntax = f.find((x) => x.code === 'SPF_SYNTAX');
    expect(syntax).toBeDefined();
    expect((syntax?.details?.problems as string[]).join(' ')).toMatch(why);
  });

  it('when macros and dual CIDR are used correctly, then no syntax problem', () => {
    expect(
      parseSpf('v=spf1 a/24//64 mx:mail.example.com/28 exists:%{i}._spf.%{d} ptr ip6:2001:db8::/32 exp=explain._spf.%{d} ~all').problems,
    ).toEqual([]);
  });

  it('when the top level alone has more than 10 lookup terms, then SPF_TOO_MANY_LOOKUPS without any DNS', () => {
    const includes = Array.from({ length: 11 }, (_, i) => `include:s${i}.example.net`).join(' ');
    const f = spfOf(`v=spf1 ${includes} include:relay.mailchannels.net ~all`);
    expect(codes(f)).toEqual(['SPF_TOO_MANY_LOOKUPS']);
    expect(f[0]?.details).toMatchObject({ lookups: 12, limit: 10, topLevelOnly: true });
  });

  it('when the record is split into strings, then they are joined with no separator (RFC 7208 §3.3)', () => {
    expect(codes(spfOf(['v=spf1 +a include:relay.mail', 'channels.net ~all']))).toEqual(['SPF_OK']);
  });

  it('when the SPF value is hostile (64 KB, 10 000 terms, control bytes), then findings come back fast', () => {
    const huge = `v=spf1 ${Array.from({ length: 10000 }, (_, i) => `ip4:10.0.${i % 256}.${i % 250}`).join(' ')} \u0001\u00ff ~all`;
    const started = Date.now();
    const f = spfOf(huge.match(/.{1,255}/g) as string[]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(codes(f)).toEqual(['SPF_NO_MAILCHANNELS', 'SPF_SYNTAX']);
  });

  it('when recommending for a record with redirect and no all, then the include goes before the redirect and no all is invented', () => {
    expect(recommendedRecord(parseSpf('v=spf1 +mx redirect=_spf.example.net').terms)).toBe(
      'v=spf1 +mx include:relay.mailchannels.net redirect=_spf.example.net',
    );
  });
});

describe('SPF evaluation with mailauth (fake resolver, no network)', () => {
  function chain(count: number): FakeDns {
    const dns: FakeDns = {
      'example.com': {
        TXT: txt(
          `v=spf1 ${Array.from({ length: count }, (_, i) => `include:s${i}.example.net`).join(' ')} include:relay.mailchannels.net ~all`,
        ),
      },
      'relay.mailchannels.net': { TXT: txt('v=spf1 ip4:23.83.208.1/20 ~all') },
    };
    for (let i = 0; i < count; i++) dns[`s${i}.example.net`] = { TXT: txt(`v=spf1 ip4:198.51.100.${i} ~all`) };
    return dns;
  }

  it('when includes total exactly 10 lookups, then no finding and the count is 10', async () => {
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver(chain(9)) });
    expect(r.lookups).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.includesMailChannels).toBe(true);
  });

  it('when nested includes push the count to 11, then SPF_TOO_MANY_LOOKUPS with the true count', async () => {
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver(chain(10)) });
    expect(r.lookups).toBe(11);
    expect(r.findings.map((f) => f.code)).toEqual(['SPF_TOO_MANY_LOOKUPS']);
    expect(r.findings[0]?.details).toMatchObject({ lookups: 11, limit: 10 });
  });

  it('when the lookups hide two levels deep, then they are still counted (the zone alone could not tell)', async () => {
    const dns: FakeDns = {
      'example.com': { TXT: txt('v=spf1 include:_spf.host.example ~all') },
      '_spf.host.example': { TXT: txt(`v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:n${i}.host.example`).join(' ')} ~all`) },
    };
    for (let i = 0; i < 6; i++)
      dns[`n${i}.host.example`] = { TXT: txt('v=spf1 a mx ~all'), A: ['192.0.2.1'], MX: [{ exchange: 'mx.host.example', priority: 10 }] };
    dns['mx.host.example'] = { A: ['192.0.2.2'] };
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver(dns) });
    expect(r.lookups).toBe(1 + 6 + 12);
    expect(r.findings.map((f) => f.code)).toEqual(['SPF_TOO_MANY_LOOKUPS']);
    expect(r.includesMailChannels).toBe(false);
  });

  it('when MailChannels is included through another include, then includesMailChannels is true', async () => {
    const dns: FakeDns = {
      'example.com': { TXT: txt('v=spf1 include:_spf.webhostingm.example ~all') },
      '_spf.webhostingm.example': { TXT: txt('v=spf1 include:relay.mailchannels.net ~all') },
      'relay.mailchannels.net': { TXT: txt('v=spf1 ip4:23.83.208.1/20 ~all') },
    };
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver(dns) });
    expect(r.includesMailChannels).toBe(true);
  });

  it('when an ip is given that the record lists, then the result is pass', async () => {
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver(chain(2)), ip: '198.51.100.1' });
    expect(r.result).toBe('pass');
  });

  it('when there is no SPF record, then result none and no finding', async () => {
    const r = await evaluateSpf({ domain: 'example.com', resolver: fakeResolver({ 'example.com': { A: ['192.0.2.1'] } }) });
    expect(r.result).toBe('none');
    expect(r.findings).toEqual([]);
  });

  it('when the resolver never answers, then the evaluation gives up as temperror instead of hanging', async () => {
    const r = await evaluateSpf({ domain: 'example.com', resolver: () => new Promise(() => undefined), timeoutMs: 50 });
    expect(r).toMatchObject({ result: 'temperror', timedOut: true, findings: [] });
  });

  it('when the resolver fails with a server error, then the result is temperror, not a crash', async () => {
    const resolver = async () => {
      throw Object.assign(new Error('refused'), { code: 'EREFUSED' });
    };
    const r = await evaluateSpf({ domain: 'example.com', resolver });
    expect(r.result).toBe('temperror');
  });

  it('when the client ip is not an IP address, then BAD_INPUT', async () => {
    await expect(evaluateSpf({ domain: 'example.com', resolver: fakeResolver({}), ip: '999.1.2.3' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });

  it('when the domain is not a host name, then BAD_INPUT', async () => {
    await expect(evaluateSpf({ domain: 'not a domain', resolver: fakeResolver({}) })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
