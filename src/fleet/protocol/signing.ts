/**
 * How a server proves a request is its own: every push and pull is signed with the server's Ed25519
 * private key (RFC 8032), which never leaves the server; the controller keeps only the public key.
 * A copy of the controller's database therefore lets nobody speak for a server, and a TLS proxy that
 * logs headers sees nothing reusable: the signature covers the body, a timestamp and a nonce.
 *
 *   Authorization: FEA1 server=<id>,ts=<unix ms>,nonce=<base64url>,sig=<base64url>
 *   signed text:   FEA1 \n <endpoint> \n <server id> \n <ts> \n <nonce> \n <hex SHA-256 of the body>
 *
 * The controller refuses a timestamp outside its window and a nonce it has seen (a replay), and
 * derives which server is speaking from the signature alone: a body never names its server.
 * Node's crypto does the cryptography (https://nodejs.org/api/crypto.html#cryptosignalgorithm-data-key-callback).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'crypto';

export const AUTH_SCHEME = 'FEA1';
/** A request signed more than this far from the controller's clock is refused (and its nonce need not be kept longer). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export type Endpoint = 'push' | 'pull';

export interface SignedHeader {
  serverId: number;
  timestamp: number;
  nonce: string;
  signature: string;
}

export interface ServerKeys {
  /** PKCS#8 PEM of the private key: stays on the server, in a 0600 file. */
  privateKeyPem: string;
  /** SPKI DER, base64: sent once, at enrollment. */
  publicKey: string;
}

export function generateServerKeys(): ServerKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

/** The public key as a KeyObject, or null when the text is not an Ed25519 SPKI key. */
export function parsePublicKey(base64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function bodyDigest(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function signedText(endpoint: Endpoint, serverId: number, timestamp: number, nonce: string, body: string | Buffer): Buffer {
  return Buffer.from([AUTH_SCHEME, endpoint, String(serverId), String(timestamp), nonce, bodyDigest(body)].join('\n'));
}

/** The Authorization header value for one request. */
export function signRequest(
  input: { endpoint: Endpoint; serverId: number; body: string | Buffer; privateKeyPem: string },
  now: number = Date.now(),
  nonce: string = randomBytes(16).toString('base64url'),
): string {
  const key = createPrivateKey(input.privateKeyPem);
  const signature = sign(null, signedText(input.endpoint, input.serverId, now, nonce, input.body), key).toString('base64url');
  return `${AUTH_SCHEME} server=${input.serverId},ts=${now},nonce=${nonce},sig=${signature}`;
}

const HEADER = /^FEA1 server=([1-9][0-9]{0,9}),ts=([0-9]{13}),nonce=([A-Za-z0-9_-]{16,64}),sig=([A-Za-z0-9_-]{80,100})$/;

/** The parts of an Authorization header, or null when it is not one of ours (no partial parsing). */
export function parseSignedHeader(value: string | undefined): SignedHeader | null {
  const m = value === undefined ? null : HEADER.exec(value);
  if (!m) return null;
  return { serverId: Number(m[1]), timestamp: Number(m[2]), nonce: m[3]!, signature: m[4]! };
}

export type SignatureVerdict = 'valid' | 'bad-signature' | 'outside-window';

/** Checks the signature and the clock window; the nonce's freshness is the caller's (it needs shared storage). */
export function verifySignature(
  header: SignedHeader,
  input: { endpoint: Endpoint; body: string | Buffer; publicKey: KeyObject },
  now: number = Date.now(),
): SignatureVerdict {
  const text = signedText(input.endpoint, header.serverId, header.timestamp, header.nonce, input.body);
  let ok: boolean;
  try {
    ok = verify(null, text, input.publicKey, Buffer.from(header.signature, 'base64url'));
  } catch {
    ok = false;
  }
  if (!ok) return 'bad-signature';
  return Math.abs(now - header.timestamp) > SIGNATURE_WINDOW_MS ? 'outside-window' : 'valid';
}

/** One-time enrollment tokens: `fea1_` + 32 random bytes; the controller stores only their SHA-256. */
export function newEnrollmentToken(): string {
  return `fea1_${randomBytes(32).toString('base64url')}`;
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
