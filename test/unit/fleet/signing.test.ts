import {
  generateServerKeys,
  parsePublicKey,
  parseSignedHeader,
  signRequest,
  SIGNATURE_WINDOW_MS,
  verifySignature,
} from '../../../src/fleet/protocol';

describe('fleet request signatures', () => {
  const a = generateServerKeys();
  const b = generateServerKeys();
  const keyA = parsePublicKey(a.publicKey)!;
  const now = 1_800_000_000_000;
  const body = JSON.stringify({ protocol: 1, entries: [{ seq: 1 }] });
  const header = (over: Partial<Parameters<typeof signRequest>[0]> = {}, at = now) =>
    parseSignedHeader(signRequest({ endpoint: 'push', serverId: 7, body, privateKeyPem: a.privateKeyPem, ...over }, at))!;

  it('when a request is signed with the server’s key, then it verifies for that body and endpoint', () => {
    expect(verifySignature(header(), { endpoint: 'push', body, publicKey: keyA }, now)).toBe('valid');
  });

  it('when one byte of the body changes, then the signature no longer verifies', () => {
    expect(verifySignature(header(), { endpoint: 'push', body: body.replace('"seq":1', '"seq":2'), publicKey: keyA }, now)).toBe(
      'bad-signature',
    );
  });

  it('when a push signature is presented for a pull, then it does not verify', () => {
    expect(verifySignature(header(), { endpoint: 'pull', body, publicKey: keyA }, now)).toBe('bad-signature');
  });

  it('when another server signs in this server’s name, then it does not verify with this server’s key', () => {
    const forged = header({ privateKeyPem: b.privateKeyPem });
    expect(forged.serverId).toBe(7);
    expect(verifySignature(forged, { endpoint: 'push', body, publicKey: keyA }, now)).toBe('bad-signature');
  });

  it('when the server id in the header is changed, then the signature no longer verifies', () => {
    const h = header();
    expect(verifySignature({ ...h, serverId: 8 }, { endpoint: 'push', body, publicKey: keyA }, now)).toBe('bad-signature');
  });

  it('when the request was signed outside the clock window, then it is refused as such', () => {
    expect(verifySignature(header({}, now - SIGNATURE_WINDOW_MS - 1000), { endpoint: 'push', body, publicKey: keyA }, now)).toBe(
      'outside-window',
    );
    expect(verifySignature(header({}, now + SIGNATURE_WINDOW_MS + 1000), { endpoint: 'push', body, publicKey: keyA }, now)).toBe(
      'outside-window',
    );
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Bearer abc'],
    ['a missing signature', 'FEA1 server=7,ts=1800000000000,nonce=AAAAAAAAAAAAAAAAAAAAAA'],
    ['a server id of zero', `FEA1 server=0,ts=1800000000000,nonce=AAAAAAAAAAAAAAAAAAAAAA,sig=${'A'.repeat(86)}`],
    ['extra fields', `FEA1 server=7,ts=1800000000000,nonce=AAAAAAAAAAAAAAAAAAAAAA,sig=${'A'.repeat(86)},x=1`],
  ])('when the Authorization header has %s, then it is not parsed at all', (_label, value) => {
    expect(parseSignedHeader(value)).toBeNull();
  });

  it('when a key is not Ed25519, then it is not accepted as a server key', () => {
    expect(parsePublicKey(Buffer.from('not a key').toString('base64'))).toBeNull();
  });
});
