/**
 * DKIM public keys: decoding the `p=` value of a key record and comparing it with the server's key
 * (cPanel keeps it as PEM in /var/cpanel/domain_keys/public/<domain>, cpanel-plugins.md §10.2).
 * Keys are compared as SubjectPublicKeyInfo DER, so PEM vs bare base64, SPKI vs PKCS#1 and line
 * breaks do not matter.
 */
import { createPublicKey, type KeyObject } from 'crypto';
import { FixEmailAuthError } from '../errors';

/** RFC 8463 §4: an Ed25519 `p=` is the raw 32-byte key; this prefix makes it SPKI DER. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type DkimKeyType = 'rsa' | 'ed25519';

/** Strict base64 (RFC 4648 §4) once folding whitespace is removed, as RFC 6376 §3.6.1 allows FWS in p=. */
export function decodeBase64(value: string): Buffer | null {
  const compact = value.replace(/[ \t\r\n]+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

/** The key in a `p=` value, or a plain-English reason it is not one. */
export function publicKeyFromRecord(p: string, type: DkimKeyType): KeyObject | string {
  const der = decodeBase64(p);
  if (der === null) return 'the key (p=) is not valid base64';
  try {
    if (type === 'ed25519') {
      if (der.length !== 32) return 'an Ed25519 key (p=) must be 32 bytes';
      return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
    }
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  } catch {
    return 'the key (p=) is not a valid public key (it may be cut short)';
  }
}

/** The server's key from PEM or bare base64 DER; BAD_INPUT when it is neither. */
export function expectedPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
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

export function sameKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

/** The record value cPanel publishes for a key (cpanel-plugins.md §10.2): `v=DKIM1; k=rsa; p=<base64>;`. */
export function dkimRecordFor(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  if (key.asymmetricKeyType === 'ed25519') return `v=DKIM1; k=ed25519; p=${der.subarray(ED25519_SPKI_PREFIX.length).toString('base64')};`;
  return `v=DKIM1; k=rsa; p=${der.toString('base64')};`;
}
