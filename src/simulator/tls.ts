/**
 * A self-signed certificate for the two HTTPS listeners (checklist §10.1). The SAN names loopback so
 * a client can verify it with the PEM as its CA, or pin the SHA-256 fingerprint like the config's
 * `cpanel.fingerprint` (`AA:BB:…`, the form Node's `getPeerCertificate().fingerprint256` gives).
 */
import { X509Certificate } from 'crypto';
import { generate } from 'selfsigned';

export interface SimulatorCertificate {
  certPem: string;
  keyPem: string;
  /** `AA:BB:…`, upper-case hex pairs. */
  fingerprint256: string;
}

const cache = new Map<string, Promise<SimulatorCertificate>>();

/** One certificate per host name and process: RSA key generation is slow and tests start many simulators. */
export function certificateFor(hostname: string): Promise<SimulatorCertificate> {
  let pending = cache.get(hostname);
  if (!pending) {
    pending = createCertificate(hostname);
    cache.set(hostname, pending);
    pending.catch(() => cache.delete(hostname));
  }
  return pending;
}

/**
 * A fresh self-signed server certificate for `hostname`. `loopback: false` leaves 127.0.0.1, ::1 and
 * localhost out of the names, like a real cPanel server's certificate reached through 127.0.0.1 (for
 * host-name verification tests).
 */
export async function createCertificate(hostname: string, options: { loopback?: boolean } = {}): Promise<SimulatorCertificate> {
  const loopback = options.loopback ?? true;
  const pems = await generate([{ name: 'commonName', value: hostname }], {
    // RSA: selfsigned 5.5's EC path fails ("Cannot get schema for 'AlgorithmIdentifier'").
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: hostname },
          ...(loopback
            ? ([
                { type: 2, value: 'localhost' },
                { type: 7, ip: '127.0.0.1' },
                { type: 7, ip: '::1' },
              ] as const)
            : []),
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}
