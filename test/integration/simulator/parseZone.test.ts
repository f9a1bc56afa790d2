/**
 * Contract: reading a zone (docs/reference/cpanel-api.md §5). The reference fixture zone (§5.5) must come back
 * item for item, byte for byte, through UAPI `DNS::parse_zone` and WHM `parse_dns_zone`.
 */
import { startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';
import { REFERENCE_FULL_ITEMS } from '../../fixtures/reference/parseZone';

/** The full §5.5 answer: the reference's trimmed items plus the three it omits (lines 1, 12, 14). */
const FIXTURE_ITEMS = REFERENCE_FULL_ITEMS;

describe('parse_zone / parse_dns_zone', () => {
  let started: StartedSimulator;
  beforeAll(async () => {
    started = await startTestSimulator({ xidSeed: 7 });
  });
  afterAll(() => started.stop());

  test('when alice reads the reference fixture zone over UAPI, then the answer is the reference JSON exactly', async () => {
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']]);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.json).toEqual({
      status: 1,
      errors: null,
      messages: null,
      warnings: null,
      metadata: { transformed: 1 },
      data: FIXTURE_ITEMS,
    });
    // Key order of the envelope follows the documented sample.
    expect(Object.keys(answer.json)).toEqual(['status', 'errors', 'messages', 'warnings', 'metadata', 'data']);
  });

  test('when root reads the fixture over WHM, then the same items come under data.payload with an OK metadata block', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'parse_dns_zone', [['zone', 'example.com']]);
    expect(answer.json).toEqual({
      metadata: { command: 'parse_dns_zone', reason: 'OK', result: 1, version: 1 },
      data: { payload: FIXTURE_ITEMS },
    });
  });

  test('when a user asks for a zone that is not theirs, then UAPI answers “You do not control …” with data null', async () => {
    const answer = await uapi(started.sim, 'bob', T.bob, 'DNS/parse_zone', [['zone', 'example.com']]);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      status: 0,
      errors: ['You do not control a DNS zone named “example.com”.'],
      messages: null,
      warnings: null,
      metadata: {},
      data: null,
    });
  });

  test('when a user asks for a sub-domain, then it has no zone of its own (sub-domains live in the parent zone)', async () => {
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'shop.example.com']]);
    expect(answer.json.errors).toEqual(['You do not control a DNS zone named “shop.example.com”.']);
  });

  test('when an addon or parked zone of the user is asked for, then it is served', async () => {
    for (const zone of ['addon.tld', 'alias.tld']) {
      const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', zone]]);
      expect(answer.json.status).toBe(1);
    }
  });

  test('when the zone argument is missing or empty, then cPanel’s argument errors come back', async () => {
    const missing = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone');
    expect(missing.json.errors).toEqual(['Provide the “zone” argument.']);
    const empty = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', '']]);
    expect(empty.json.errors).toEqual(['The “zone” argument cannot be empty.']);
  });

  test('when WHM is asked for an unknown zone, then the failure carries an XID and omits data', async () => {
    const answer = await whm(started.sim, 'root', T.root, 'parse_dns_zone', [['zone', 'nope.example']]);
    expect(answer.json.metadata.result).toBe(0);
    expect(answer.json.metadata.reason).toMatch(
      /^API failure: \(XID [a-z0-9]{6}\) This system does not have a domain named “nope\.example”\.$/,
    );
    expect(answer.json).not.toHaveProperty('data');
  });

  test('when a reseller asks for a zone of an account it does not own, then WHM refuses it like an unknown zone', async () => {
    const answer = await whm(started.sim, 'resell', T.resell, 'parse_dns_zone', [['zone', 'example.com']]);
    expect(answer.json.metadata.result).toBe(0);
    expect(answer.json.metadata.reason).toContain('This system does not have a domain named “example.com”.');
    const own = await whm(started.sim, 'resell', T.resell, 'parse_dns_zone', [['zone', 'bob.example']]);
    expect(own.json.metadata.result).toBe(1);
  });

  test('when a test writes the zone file directly, then the next read serves the new file (files are the truth)', async () => {
    const original = (await started.sim.zoneText('addon.tld')) as string;
    await started.sim.setZoneText('addon.tld', original.replace('v=mc1 auth=oldhost', 'v=mc1 auth=restored'));
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'addon.tld']]);
    const txts = answer.json.data
      .filter((item: any) => item.record_type === 'TXT')
      .map((item: any) => Buffer.from(item.data_b64[0], 'base64').toString('latin1'));
    expect(txts).toContain('v=mc1 auth=restored');
    expect(txts).not.toContain('v=mc1 auth=oldhost');
  });

  test('when a zone holds bytes that are not UTF-8, then parse_zone returns them unchanged in base64', async () => {
    const original = (await started.sim.zoneText('alias.tld')) as string;
    await started.sim.setZoneText('alias.tld', `${original}latin\t14400\tIN\tTXT\t"caf\xe9"\n`);
    const answer = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'alias.tld']]);
    const item = answer.json.data.find((i: any) => i.type === 'record' && Buffer.from(i.dname_b64, 'base64').toString() === 'latin');
    expect(Buffer.from(item.data_b64[0], 'base64')).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });
});
