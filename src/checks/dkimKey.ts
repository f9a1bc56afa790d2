/**
 * DKIM public keys: decoding the `p=` value of a key record and comparing it with the server's key
 * (cPanel keeps it as PEM in /var/cpanel/domain_keys/public/<domain>, docs/reference/cpanel-plugins.md §10.2).
 * Keys are compared as SubjectPublicKeyInfo DER, so PEM vs bare base64, SPKI vs PKCS#1 and line
 * breaks do not matter.
 *
 * Speed (a server scan checks tens of thousands of keys): OpenSSL 3 takes ~300 µs to import a key and
 * ~400 µs to export one, which made DKIM most of a scan's time. The usual key — an RSA key in
 * canonical DER SubjectPublicKeyInfo, which is what cPanel writes and publishes — is therefore read by
 * `rsaSpkiBits` below: such bytes are exactly what OpenSSL's own export would give back, and its
 * modulus size is read from the DER. Anything else (PKCS#1, Ed25519, RSA-PSS, non-canonical DER, bad
 * bytes) goes through OpenSSL as before. test/unit/scan/dkimKeyFastPath.test.ts holds both paths
 * to the same answers.
 */
import { createPublicKey, type KeyObject } from 'crypto';
import { FixEmailAuthError } from '../errors';

/** RFC 8463 §4: an Ed25519 `p=` is the raw 32-byte key; this prefix makes it SPKI DER. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type DkimKeyType = 'rsa' | 'ed25519';

/** A public key as the checks need it: its type, SubjectPublicKeyInfo DER, and RSA modulus size. */
export interface DkimPublicKey {
  type: DkimKeyType;
  /** SPKI DER, as OpenSSL exports it. */
  spki: Buffer;
  /** RSA modulus length in bits. */
  bits?: number;
}

/** `rsaEncryption` (RFC 8017 A.1) AlgorithmIdentifier with NULL parameters, DER. */
const RSA_ALGORITHM = Buffer.from('300d06092a864886f70d0101010500', 'hex');

/** A DER length at `pos`: value and where the content starts; null unless minimal (canonical) DER. */
function derLength(der: Buffer, pos: number): { length: number; start: number } | null {
  const first = der[pos];
  if (first === undefined) return null;
  if (first < 0x80) return { length: first, start: pos + 1 };
  const count = first & 0x7f;
  if (count === 0 || count > 3 || der[pos + 1] === 0) return null;
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = der[pos + i];
    if (byte === undefined) return null;
    length = length * 256 + byte;
  }
  if (length < 0x80) return null; // a short length written long is not DER
  return { length, start: pos + 1 + count };
}

/** A positive, minimally encoded DER INTEGER at `pos`: its bit length and end; null otherwise. */
function positiveInteger(der: Buffer, pos: number, end: number): { bits: number; next: number } | null {
  if (der[pos] !== 0x02) return null;
  const len = derLength(der, pos + 1);
  if (!len || len.length === 0 || len.start + len.length > end) return null;
  let i = len.start;
  const last = len.start + len.length;
  if ((der[i] as number) & 0x80) return null; // negative
  if (der[i] === 0) {
    if (len.length === 1) return null; // zero
    if (!((der[i + 1] as number) & 0x80)) return null; // a needless leading zero
    i++;
  }
  const top = der[i] as number;
  return { bits: (last - i - 1) * 8 + (32 - Math.clz32(top)), next: last };
}

/**
 * The modulus size of an RSA key given as canonical DER SubjectPublicKeyInfo (RFC 5280 §4.1,
 * RFC 8017 A.1.1), or null when the bytes are anything else. The checks are exact, so every key
 * accepted here is one OpenSSL accepts and exports byte for byte the same.
 */
export function rsaSpkiBits(der: Buffer): number | null {
  if (der[0] !== 0x30) return null;
  const outer = derLength(der, 1);
  if (!outer || outer.start + outer.length !== der.length) return null;
  let pos = outer.start;
  if (!der.subarray(pos, pos + RSA_ALGORITHM.length).equals(RSA_ALGORITHM)) return null;
  pos += RSA_ALGORITHM.length;
  if (der[pos] !== 0x03) return null;
  const bitString = derLength(der, pos + 1);
  if (!bitString || bitString.start + bitString.length !== der.length || der[bitString.start] !== 0x00) return null;
  pos = bitString.start + 1;
  if (der[pos] !== 0x30) return null;
  const key = derLength(der, pos + 1);
  if (!key || key.start + key.length !== der.length) return null;
  const modulus = positiveInteger(der, key.start, der.length);
  if (!modulus) return null;
  const exponent = positiveInteger(der, modulus.next, der.length);
  if (!exponent || exponent.next !== der.length) return null;
  return modulus.bits;
}

function fromKeyObject(key: KeyObject): DkimPublicKey {
  const type: DkimKeyType = key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa';
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return { type, spki: key.export({ type: 'spki', format: 'der' }), ...(bits !== undefined ? { bits } : {}) };
}

/** An RSA key from its SPKI DER without OpenSSL, when the bytes allow it (see the header). */
function fastRsa(der: Buffer): DkimPublicKey | null {
  const bits = rsaSpkiBits(der);
  return bits === null ? null : { type: 'rsa', spki: der, bits };
}

/** Strict base64 (RFC 4648 §4) once folding whitespace is removed, as RFC 6376 §3.6.1 allows FWS in p=. */
export function decodeBase64(value: string): Buffer | null {
  const compact = value.replace(/[ \t\r\n]+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/** The key in a `p=` value, or a plain-English reason it is not one. */
export function publicKeyFromRecord(p: string, type: DkimKeyType): DkimPublicKey | string {
  const der = decodeBase64(p);
  if (der === null) return 'the key (p=) is not valid base64';
  try {
    if (type === 'ed25519') {
      if (der.length !== 32) return 'an Ed25519 key (p=) must be 32 bytes';
      return fromKeyObject(createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' }));
    }
    const fast = fastRsa(der);
    if (fast) return fast;
    try {
      return fromKeyObject(createPublicKey({ key: der, format: 'der', type: 'spki' }));
    } catch {
      return fromKeyObject(createPublicKey({ key: der, format: 'der', type: 'pkcs1' }));
    }
  } catch {
    return 'the key (p=) is not a valid public key (it may be cut short)';
  }
}

/** The body of a `PUBLIC KEY` PEM block holding nothing else, as DER; null for any other text. */
function plainSpkiPem(text: string): Buffer | null {
  const match = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n-----END PUBLIC KEY-----$/.exec(text);
  return match ? decodeBase64(match[1] as string) : null;
}

/** The server's key from PEM or bare base64 DER; BAD_INPUT when it is neither. */
export function expectedPublicKey(text: string): DkimPublicKey {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      const der = plainSpkiPem(trimmed);
      return (der && fastRsa(der)) ?? fromKeyObject(createPublicKey(trimmed));
    }
  } catch (cause) {
    throw new FixEmailAuthError('BAD_INPUT', 'The server’s DKIM public key file does not hold a valid PEM public key.', { cause });
  }
  const der = decodeBase64(trimmed);
  if (der !== null && der.length > 0) {
    const key = publicKeyFromRecord(trimmed, der.length === 32 ? 'ed25519' : 'rsa');
    if (typeof key !== 'string') return key;
  }
  throw new FixEmailAuthError('BAD_INPUT', 'The server’s DKIM public key is neither PEM nor base64 of a public key.');
}

export function sameKey(a: DkimPublicKey, b: DkimPublicKey): boolean {
  return a.spki.equals(b.spki);
}

/** The record value cPanel publishes for a key (docs/reference/cpanel-plugins.md §10.2): `v=DKIM1; k=rsa; p=<base64>;`. */
export function dkimRecordFor(key: DkimPublicKey): string {
  if (key.type === 'ed25519') return `v=DKIM1; k=ed25519; p=${key.spki.subarray(ED25519_SPKI_PREFIX.length).toString('base64')};`;
  return `v=DKIM1; k=rsa; p=${key.spki.toString('base64')};`;
}
