/**
 * The DKIM key fast path (src/checks/dkimKey.ts `rsaSpkiBits`) reads canonical RSA SPKI DER without
 * OpenSSL, for scan speed. Whatever it accepts, OpenSSL must accept too and export byte for byte the
 * same, with the same modulus size; whatever is not canonical must be left to OpenSSL.
 */
import { createPublicKey, generateKeyPairSync } from 'crypto';
import { expectedPublicKey, publicKeyFromRecord, rsaSpkiBits } from '../../../src/checks/dkimKey';
import { DKIM_KEY, prng } from '../../fixtures/bulk/synthetic';

function openssl(der: Buffer): { spki: Buffer; bits: number | undefined } | null {
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    return { spki: key.export({ type: 'spki', format: 'der' }), bits: key.asymmetricKeyDetails?.modulusLength };
  } catch {
    return null;
  }
}

function der(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

/** SPKI of an RSA key with the given INTEGER contents (hex, as written in DER). */
function spki(modulusHex: string, exponentHex: string): Buffer {
  const int = (h: string) => Buffer.concat([Buffer.from([0x02, h.length / 2]), der(h)]);
  const seq = (body: Buffer) => Buffer.concat([Buffer.from([0x30, body.length]), body]);
  const key = seq(Buffer.concat([int(modulusHex), int(exponentHex)]));
  const bitString = Buffer.concat([Buffer.from([0x03, key.length + 1, 0x00]), key]);
  return seq(Buffer.concat([der('300d06092a864886f70d0101010500'), bitString]));
}

describe('rsaSpkiBits against OpenSSL', () => {
  it.each([512, 1024, 2048])('when a generated %i-bit key is read, then the fast path gives the key and size OpenSSL gives', (bits) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const bytes = publicKey.export({ type: 'spki', format: 'der' });
    expect(rsaSpkiBits(bytes)).toBe(bits);
    expect(openssl(bytes)).toEqual({ spki: bytes, bits });
    const fromRecord = publicKeyFromRecord(bytes.toString('base64'), 'rsa');
    expect(fromRecord).toEqual({ type: 'rsa', spki: bytes, bits });
  });

  it('when the server key is a PUBLIC KEY PEM, then the fast path and OpenSSL agree', () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${DKIM_KEY.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    const fast = expectedPublicKey(pem);
    const slow = createPublicKey(pem);
    expect(fast.spki.equals(slow.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(fast.bits).toBe(slow.asymmetricKeyDetails?.modulusLength);
  });

  it.each([
    ['a tiny modulus and exponent 1', spki('03', '01')],
    ['an even exponent', spki('00c1', '02')],
  ])('when the key has %s (canonical DER), then the fast path accepts it exactly as OpenSSL does', (_what, bytes) => {
    const bits = rsaSpkiBits(bytes);
    expect(bits).not.toBeNull();
    expect(openssl(bytes)).toEqual({ spki: bytes, bits });
  });

  it.each([
    ['a negative modulus', spki('81', '01')],
    ['a needless leading zero', spki('0001', '01')],
    ['a zero modulus', spki('00', '01')],
    ['a trailing byte', Buffer.concat([Buffer.from(DKIM_KEY, 'base64'), Buffer.from([0])])],
    ['a truncated key', Buffer.from(DKIM_KEY, 'base64').subarray(0, 200)],
    ['a PKCS#1 key instead of SPKI', Buffer.from(DKIM_KEY, 'base64').subarray(24)],
  ])('when the bytes hold %s, then the fast path leaves them to OpenSSL', (_what, bytes) => {
    expect(rsaSpkiBits(bytes)).toBeNull();
  });

  it('when any byte of a real key is changed, then every key the fast path accepts is accepted and exported the same by OpenSSL', () => {
    const original = Buffer.from(DKIM_KEY, 'base64');
    const rnd = prng(7);
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const bytes = Buffer.from(original);
      const changes = 1 + Math.floor(rnd() * 3);
      for (let c = 0; c < changes; c++) bytes[Math.floor(rnd() * Math.min(bytes.length, 40))] = Math.floor(rnd() * 256);
      const bits = rsaSpkiBits(bytes);
      if (bits === null) continue;
      accepted++;
      expect(openssl(bytes)).toEqual({ spki: bytes, bits });
    }
    // Changes inside the modulus keep the key valid: the property was really exercised.
    expect(accepted).toBeGreaterThan(100);
  });
});
