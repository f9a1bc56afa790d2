import { generateKeyPairSync } from 'crypto';
import { checkDkim } from '../../../src/checks/dkim';
import type { Finding } from '../../../src/checks/findings';
import { buildZone, type RecordSpec } from './zoneBuilder';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const ed = generateKeyPairSync('ed25519').publicKey;
const spkiB64 = (k = rsa) => k.export({ type: 'spki', format: 'der' }).toString('base64');
const pem = (k = rsa) => k.export({ type: 'spki', format: 'pem' }).toString();
/** cPanel's record (docs/reference/cpanel-plugins.md §10.2), split in 255-byte strings as cPanel publishes long keys. */
const cpanelRecord = (k = rsa) => `v=DKIM1; k=rsa; p=${spkiB64(k)};`.match(/.{1,255}/g) as string[];

function dkim(specs: RecordSpec[], expectedPublicKey?: string): Finding[] {
  const zone = buildZone('example.com', specs);
  return checkDkim({ domain: 'example.com', records: zone.records, ...(expectedPublicKey === undefined ? {} : { expectedPublicKey }) });
}
const code = (f: Finding[]) => f.map((x) => x.code);

describe('DKIM check (selector default)', () => {
  it("when cPanel's record with a 2048-bit key is published in several strings, then DKIM_OK", () => {
    expect(code(dkim([['default._domainkey', 'TXT', cpanelRecord()]]))).toEqual(['DKIM_OK']);
  });

  it('when the published key equals the server key given as PEM or bare base64, then DKIM_OK', () => {
    const specs: RecordSpec[] = [['default._domainkey', 'TXT', cpanelRecord()]];
    expect(code(dkim(specs, pem()))).toEqual(['DKIM_OK']);
    expect(code(dkim(specs, spkiB64()))).toEqual(['DKIM_OK']);
  });

  it('when the published key differs from the server key, then DKIM_MISMATCH with the record to publish', () => {
    const f = dkim([['default._domainkey', 'TXT', cpanelRecord(otherRsa)]], pem());
    expect(code(f)).toEqual(['DKIM_MISMATCH']);
    expect(f[0]?.details?.recommended).toBe(`v=DKIM1; k=rsa; p=${spkiB64()};`);
  });

  it('when the key is published as PKCS#1 instead of SPKI, then it is the same key', () => {
    const pkcs1 = rsa.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    expect(code(dkim([['default._domainkey', 'TXT', [`k=rsa; p=${pkcs1}`.slice(0, 255), `k=rsa; p=${pkcs1}`.slice(255)]]], pem()))).toEqual(
      ['DKIM_OK'],
    );
  });

  it('when an Ed25519 key is published (RFC 8463), then it is read and compared', () => {
    const raw = ed.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
    expect(code(dkim([['default._domainkey', 'TXT', `v=DKIM1; k=ed25519; p=${raw}`]], pem(ed)))).toEqual(['DKIM_OK']);
  });

  it('when there is no record at default._domainkey (only at another selector), then DKIM_MISSING', () => {
    expect(code(dkim([['google._domainkey', 'TXT', cpanelRecord()]]))).toEqual(['DKIM_MISSING']);
  });

  it.each<[string, string | string[], RegExp]>([
    ['v not first', `k=rsa; v=DKIM1; p=${spkiB64()}`, /must come first/],
    ['wrong version', `v=DKIM2; p=${spkiB64()}`, /DKIM1/],
    ['no p=', 'v=DKIM1; k=rsa', /missing/],
    ['empty p= (revoked)', 'v=DKIM1; p=', /revoked/],
    ['bad base64', 'v=DKIM1; p=not*base64', /base64/],
    [
      'the cut-down key of the docs/reference/cpanel-api.md fixture',
      ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'IDAQAB;'],
      /base64/,
    ],
    ['a key cut short on a base64 boundary', `v=DKIM1; k=rsa; p=${spkiB64().slice(0, 200)}`, /not a valid public key/],
    ['unknown key type', `v=DKIM1; k=dsa; p=${spkiB64()}`, /key type/],
    ['duplicate tags', `v=DKIM1; p=${spkiB64()}; p=${spkiB64()}`, /more than once/],
    ['a bad tag name', `v=DKIM1; 9x=1; p=${spkiB64()}`, /tag name/],
    ['service type not email', `v=DKIM1; s=other; p=${spkiB64()}`, /service type/],
    [
      'a 512-bit RSA key',
      `v=DKIM1; p=${generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
      /1024/,
    ],
  ])('when the record has %s, then DKIM_MALFORMED saying why', (_, value, why) => {
    const f = dkim([['default._domainkey', 'TXT', Array.isArray(value) ? value : (value.match(/.{1,255}/g) as string[])]], pem());
    expect(code(f)).toEqual(['DKIM_MALFORMED']);
    expect(f[0]?.message).toMatch(why);
  });

  it('when two TXT records are at the selector, then DKIM_MALFORMED listing both', () => {
    const f = dkim([
      ['default._domainkey', 'TXT', cpanelRecord()],
      ['default._domainkey', 'TXT', cpanelRecord(otherRsa)],
    ]);
    expect(code(f)).toEqual(['DKIM_MALFORMED']);
    expect(f[0]?.records.map((r) => r.lineIndex)).toEqual([11, 12]);
  });

  it('when the selector is a CNAME to a provider, then OK but marked unverified', () => {
    const f = dkim([['default._domainkey', 'CNAME', 'default._domainkey.provider.example.']]);
    expect(f[0]).toMatchObject({ code: 'DKIM_OK', details: { unverified: true } });
  });

  it("when the server's key is not a key, then a clear BAD_INPUT error", () => {
    expect(() =>
      dkim([['default._domainkey', 'TXT', cpanelRecord()]], '-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----'),
    ).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => dkim([], 'hello world')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('when the record is hostile (64 KB, control bytes), then DKIM_MALFORMED fast', () => {
    const started = Date.now();
    const f = dkim([['default._domainkey', 'TXT', `v=DKIM1; p=${'A'.repeat(65000)}\u0001`.match(/.{1,255}/g) as string[]]]);
    expect(code(f)).toEqual(['DKIM_MALFORMED']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
