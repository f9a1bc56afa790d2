import { generateKeyPairSync } from 'crypto';
import { parseConfig } from '../../../src/config';
import { diagnoseDomain } from '../../../src/usecases/diagnose';
import type { Zone } from '../../../src/zone/model';
import { buildZone, type RecordSpec } from '../checks/zoneBuilder';
import { fakeResolver, txt } from '../checks/fakeResolver';

const config = parseConfig({ provider: { authId: 'webhostingm' } });
const withTemplate = parseConfig({ provider: { authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' } });
const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const keyB64 = key.export({ type: 'spki', format: 'der' }).toString('base64');
const keyPem = key.export({ type: 'spki', format: 'pem' }).toString();

/** The docs/reference/cpanel-api.md §5.5 zone after a migration: the old host's lockdown record came along. */
function migratedZone(extra: RecordSpec[] = []): Zone {
  return buildZone('example.com', [
    ['example.com.', 'NS', 'ns1.example.net.'],
    ['example.com.', 'A', '192.0.2.10'],
    ['www', 'CNAME', 'example.com.'],
    ['example.com.', 'MX', ['0', 'example.com.']],
    ['example.com.', 'TXT', 'v=spf1 +a +mx +ip4:192.0.2.10 ~all'],
    ['default._domainkey', 'TXT', `v=DKIM1; k=rsa; p=${keyB64};`.match(/.{1,255}/g) as string[]],
    ['_dmarc', 'TXT', 'v=DMARC1; p=none;'],
    ['_mailchannels', 'TXT', 'v=mc1 auth=oldhost'],
    ...extra,
  ]);
}
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('diagnoseDomain', () => {
  it('when the old host is in the zone (seed incident), then status error, every check reported, and the edit plan', async () => {
    const report = await diagnoseDomain({ domain: 'Example.COM.', zone: migratedZone(), config, dkimPublicKey: keyPem });
    expect(Object.keys(report).sort()).toEqual(['domain', 'findings', 'plan', 'status', 'zone']);
    expect(report).toMatchObject({ domain: 'example.com', zone: 'example.com', status: 'error' });
    expect(codes(report)).toEqual(['LOCKDOWN_STALE', 'SPF_NO_MAILCHANNELS', 'DKIM_OK', 'DMARC_POLICY_NONE']);
    expect(report.plan).toEqual({
      zone: 'example.com',
      serial: '2024030101',
      remove: [],
      edit: [{ line_index: 18, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
      add: [],
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('when the lockdown record is right, then plan null and the status is the worst of the other checks', async () => {
    const zone = buildZone('example.com', [
      ['example.com.', 'TXT', 'v=spf1 +a include:relay.mailchannels.net ~all'],
      ['default._domainkey', 'TXT', `v=DKIM1; k=rsa; p=${keyB64};`.match(/.{1,255}/g) as string[]],
      ['_dmarc', 'TXT', 'v=DMARC1; p=none;'],
      ['_mailchannels', 'TXT', 'v=mc1 auth=webhostingm'],
    ]);
    const report = await diagnoseDomain({ domain: 'example.com', zone, config });
    expect(report.plan).toBeNull();
    expect(report.status).toBe('info');
  });

  it('when a user and a sender-ID template are configured, then the user is reported and the plan carries the sender ID', async () => {
    const report = await diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: withTemplate, user: 'alice' });
    expect(report.user).toBe('alice');
    expect(report.plan?.edit[0]?.data).toEqual(['v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice']);
  });

  it('when keepForeign is passed, then it overrides the config policy', async () => {
    const keeping = parseConfig({ provider: { authId: 'webhostingm' }, policy: { keepForeign: true } });
    expect((await diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: keeping })).plan?.edit[0]?.data).toEqual([
      'v=mc1 auth=webhostingm auth=oldhost',
    ]);
    expect(
      (await diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: keeping, keepForeign: false })).plan?.edit[0]?.data,
    ).toEqual(['v=mc1 auth=webhostingm']);
  });

  it('when the configured TTL is 600, then the plan uses it', async () => {
    const slow = parseConfig({ provider: { authId: 'webhostingm' }, dns: { ttl: 600 } });
    expect((await diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: slow })).plan?.edit[0]?.ttl).toBe(600);
  });

  it('when the server is not authoritative, then DNS_NOT_AUTHORITATIVE with the record to publish elsewhere', async () => {
    const report = await diagnoseDomain({
      domain: 'example.com',
      zone: migratedZone(),
      config,
      authority: { domain: 'example.com', zone: 'example.com', local: false, nameservers: ['ns1.cloudflare.example'] },
    });
    const dns = report.findings.find((f) => f.code === 'DNS_NOT_AUTHORITATIVE');
    expect(dns?.details?.publish).toEqual([
      {
        name: '_mailchannels.example.com.',
        type: 'TXT',
        ttl: 300,
        data: ['v=mc1 auth=webhostingm'],
        value: 'v=mc1 auth=webhostingm',
        zoneFileLine: '_mailchannels.example.com.\t300\tIN\tTXT\t"v=mc1 auth=webhostingm"',
      },
    ]);
    expect((dns?.details?.remove as Array<{ value: string }>).map((r) => r.value)).toEqual(['v=mc1 auth=oldhost']);
    expect(dns?.message).toContain('ns1.cloudflare.example');
    const unknown = await diagnoseDomain({
      domain: 'example.com',
      zone: migratedZone(),
      config,
      authority: { domain: 'example.com', zone: 'example.com', local: null, nameservers: [] },
    });
    expect(codes(unknown)).not.toContain('DNS_NOT_AUTHORITATIVE');
  });

  it('when a resolver is given, then SPF is evaluated: a nested MailChannels include clears NO_MAILCHANNELS', async () => {
    const resolver = fakeResolver({
      'example.com': {
        TXT: txt('v=spf1 +a +mx +ip4:192.0.2.10 include:_spf.webhostingm.example ~all'),
        A: ['192.0.2.10'],
        MX: [{ exchange: 'example.com', priority: 0 }],
      },
      '_spf.webhostingm.example': { TXT: txt('v=spf1 include:relay.mailchannels.net ~all') },
      'relay.mailchannels.net': { TXT: txt('v=spf1 ip4:23.83.208.1/20 ~all') },
    });
    const zone = buildZone('example.com', [['example.com.', 'TXT', 'v=spf1 +a +mx +ip4:192.0.2.10 include:_spf.webhostingm.example ~all']]);
    const report = await diagnoseDomain({ domain: 'example.com', zone, config, resolver });
    expect(report.findings.filter((f) => f.check === 'spf').map((f) => f.code)).toEqual(['SPF_OK']);
    const without = await diagnoseDomain({ domain: 'example.com', zone, config });
    expect(without.findings.filter((f) => f.check === 'spf').map((f) => f.code)).toEqual(['SPF_NO_MAILCHANNELS']);
  });

  it('when the live SPF record differs from the zone (not yet published), then the zone is judged on its own', async () => {
    const resolver = fakeResolver({
      'example.com': { TXT: txt('v=spf1 include:_spf.webhostingm.example ~all') },
      '_spf.webhostingm.example': { TXT: txt('v=spf1 include:relay.mailchannels.net ~all') },
      'relay.mailchannels.net': { TXT: txt('v=spf1 ip4:23.83.208.1/20 ~all') },
    });
    const zone = buildZone('example.com', [['example.com.', 'TXT', 'v=spf1 +a ~all']]);
    const report = await diagnoseDomain({ domain: 'example.com', zone, config, resolver });
    expect(report.findings.filter((f) => f.check === 'spf').map((f) => f.code)).toEqual(['SPF_NO_MAILCHANNELS']);
  });

  it('when a resolver shows more than 10 lookups, then SPF_TOO_MANY_LOOKUPS with the evaluated count', async () => {
    const includes = Array.from({ length: 11 }, (_, i) => `include:s${i}.example.net`).join(' ');
    const dns: Record<string, Record<string, unknown[]>> = {
      'example.com': { TXT: txt(`v=spf1 ${includes} include:relay.mailchannels.net ~all`) },
    };
    for (let i = 0; i < 11; i++) dns[`s${i}.example.net`] = { TXT: txt('v=spf1 a ~all'), A: ['198.51.100.1'] };
    dns['relay.mailchannels.net'] = { TXT: txt('v=spf1 ip4:23.83.208.1/20 ~all') };
    const zone = buildZone('example.com', [['example.com.', 'TXT', `v=spf1 ${includes} include:relay.mailchannels.net ~all`]]);
    const report = await diagnoseDomain({ domain: 'example.com', zone, config, resolver: fakeResolver(dns) });
    const tooMany = report.findings.filter((f) => f.code === 'SPF_TOO_MANY_LOOKUPS');
    expect(tooMany).toHaveLength(1);
    expect(tooMany[0]?.details?.lookups).toBe(23);
  });

  it("when the server's DKIM key differs, then DKIM_MISMATCH", async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(codes(await diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config, dkimPublicKey: other }))).toContain(
      'DKIM_MISMATCH',
    );
  });

  it('when the domain is a sub-domain, then the report names its parent zone and a relative dname', async () => {
    const report = await diagnoseDomain({ domain: 'shop.example.com', zone: migratedZone(), config });
    expect(report).toMatchObject({ domain: 'shop.example.com', zone: 'example.com' });
    expect(codes(report)).toContain('LOCKDOWN_MISSING');
    expect(report.plan?.add[0]?.dname).toBe('_mailchannels.shop');
  });

  it.each([
    ['a quote', 'ali"ce'],
    ['whitespace', 'ali ce'],
    ['a backslash', 'ali\\ce'],
    ['a control byte', 'ali\u0000ce'],
    ['non-ASCII', 'alicé'],
    ['an over-long name', 'a'.repeat(65)],
  ])('when the user has %s, then UNSAFE_VALUE before anything is planned', async (_, user) => {
    await expect(diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: withTemplate, user })).rejects.toMatchObject({
      code: 'UNSAFE_VALUE',
    });
  });

  it('when the config carries an unsafe auth id, then UNSAFE_VALUE', async () => {
    const bad = { ...config, provider: { ...config.provider, authId: 'web"hostingm' } };
    await expect(diagnoseDomain({ domain: 'example.com', zone: migratedZone(), config: bad })).rejects.toMatchObject({
      code: 'UNSAFE_VALUE',
    });
  });

  it('when the domain is outside the zone, then BAD_INPUT', async () => {
    await expect(diagnoseDomain({ domain: 'other.org', zone: migratedZone(), config })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('when the lockdown record is too odd to rewrite unseen, then no plan and the findings say a person must edit it', async () => {
    const huge = `v=mc1 ${Array.from({ length: 10000 }, (_, i) => `x${i}=y`).join(' ')}`;
    const zone = buildZone('example.com', [['_mailchannels', 'TXT', huge.match(/.{1,255}/g) as string[]]]);
    const report = await diagnoseDomain({ domain: 'example.com', zone, config });
    expect(report.plan).toBeNull();
    expect(report.status).toBe('error');
    const flagged = report.findings.filter((f) => f.check === 'lockdown' && f.severity === 'error');
    expect(flagged.length).toBeGreaterThan(0);
    for (const f of flagged) expect(String(f.details?.manual)).toMatch(/by hand/);
  });
});
