/**
 * How we trust the cPanel/WHM server's certificate (config `cpanel.caFile`,
 * `cpanel.fingerprint`, `cpanel.insecure`).
 *
 * - Default: Node's normal verification against the system CA store, host name included.
 * - `caFile`: trust that PEM (the server's self-signed certificate or its CA) instead of the store.
 * - `fingerprint`: pin the SHA-256 fingerprint of the server certificate. A cPanel server usually has
 *   a self-signed certificate for its host name while we connect to 127.0.0.1, so neither the chain nor
 *   the name can verify; the pin is the identity. Node calls `checkServerIdentity` only when the chain
 *   verified (tls `onConnectSecure`), so for a self-signed certificate we compare
 *   `getPeerCertificate().fingerprint256` on `secureConnect`, before the HTTP request (and its
 *   Authorization header) is written to the socket. With `caFile` as well, the chain must verify too.
 * - `insecure`: no verification at all. Only when set explicitly, and logged loudly every time a
 *   policy is built, because the API token then goes to whoever answers.
 */
import { readFileSync } from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import type { Step } from '../../errors';
import { FixEmailAuthError } from '../../errors';
import { cpanelError } from './failures';
import type { CpanelLogger } from './types';

export interface TlsSettings {
  caFile?: string;
  fingerprint?: string;
  insecure?: boolean;
}

export interface TlsPolicy {
  /** PEM text trusted instead of the system store. */
  ca?: string;
  /** Pinned SHA-256 fingerprint in Node's `fingerprint256` form: upper-case hex pairs joined by `:`. */
  fingerprint?: string;
  insecure: boolean;
}

/** `aa:bb:…`, `AABB…` or `sha256:AA:BB…` → `AA:BB:…`; anything else is a configuration error. */
export function normalizeFingerprint(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha-?256[:=/]?/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new FixEmailAuthError(
      'CONFIG_INVALID',
      `cpanel.fingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed), got “${text}”`,
      {
        step: 'config',
      },
    );
  }
  return hex.match(/../g)!.join(':');
}

export function tlsPolicy(settings: TlsSettings, logger?: CpanelLogger): TlsPolicy {
  const policy: TlsPolicy = { insecure: settings.insecure === true };
  if (settings.caFile) {
    try {
      policy.ca = readFileSync(settings.caFile, 'utf8');
    } catch (err) {
      throw new FixEmailAuthError('CONFIG_INVALID', `Cannot read cpanel.caFile ${settings.caFile}: ${(err as Error).message}`, {
        step: 'config',
        cause: err,
      });
    }
    if (!policy.ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new FixEmailAuthError('CONFIG_INVALID', `cpanel.caFile ${settings.caFile} holds no PEM certificate`, { step: 'config' });
    }
  }
  if (settings.fingerprint) policy.fingerprint = normalizeFingerprint(settings.fingerprint);
  if (policy.insecure && !policy.fingerprint) {
    const warn = logger?.warn.bind(logger) ?? ((m: string) => process.stderr.write(`${m}\n`));
    warn(
      'WARNING: cpanel.insecure is true — the cPanel/WHM TLS certificate is NOT verified, so anyone on the network path can ' +
        'impersonate the server and read the API token. Set cpanel.fingerprint (SHA-256 of the server certificate) or cpanel.caFile instead.',
    );
  }
  return policy;
}

export interface TlsTarget {
  host: string;
  port: number;
  step: Step;
}

/** Node's verification codes that mean "this certificate is not trusted", worth a hint in the message. */
const HINT = 'set cpanel.caFile to the server certificate (or its CA) or pin it with cpanel.fingerprint';

/**
 * Open a TLS connection under the policy; `done` gets the socket only once the server is verified
 * (nothing has been written to it yet). The socket is returned at once so a deadline can destroy it.
 */
export function openVerifiedSocket(
  policy: TlsPolicy,
  target: TlsTarget,
  done: (err: Error | null, socket?: tls.TLSSocket) => void,
): tls.TLSSocket {
  const pinned = policy.fingerprint !== undefined;
  const options: tls.ConnectionOptions = {
    host: target.host,
    port: target.port,
    rejectUnauthorized: !policy.insecure && !(pinned && policy.ca === undefined),
  };
  if (!net.isIP(target.host)) options.servername = target.host;
  if (policy.ca !== undefined) options.ca = policy.ca;
  // With a pin, the pin is the server's identity: the host name in the certificate does not matter.
  if (pinned) options.checkServerIdentity = () => undefined;

  let settled = false;
  const finish = (err: Error | null) => {
    if (settled) return;
    settled = true;
    if (err) {
      socket.destroy();
      done(err);
    } else done(null, socket);
  };
  const socket = tls.connect(options);
  socket.once('secureConnect', () => {
    if (!pinned) return finish(null);
    const actual = socket.getPeerCertificate().fingerprint256;
    if (actual === policy.fingerprint) return finish(null);
    finish(
      cpanelError(
        'TRANSPORT',
        `TLS certificate of ${target.host}:${target.port} has SHA-256 fingerprint ${actual ?? '(none)'} but cpanel.fingerprint pins ${policy.fingerprint}: ` +
          'refusing to send the API token (a different server answered, or its certificate was renewed — check and update the pin).',
        { step: target.step, retryable: false, upstream: { host: target.host, port: target.port, fingerprint256: actual } },
      ),
    );
  });
  socket.once('error', (err: NodeJS.ErrnoException) => {
    if (isCertificateError(err)) {
      finish(
        cpanelError('TRANSPORT', `TLS verification of ${target.host}:${target.port} failed (${err.code}: ${err.message}); ${HINT}.`, {
          step: target.step,
          retryable: false,
          cause: err,
          upstream: { host: target.host, port: target.port, code: err.code },
        }),
      );
    } else finish(err);
  });
  return socket;
}

function isCertificateError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return code.startsWith('ERR_TLS_CERT') || /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|LEAF_SIGNATURE/.test(code);
}
