import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { httpsRequest } from '../../../src/adapters/cpanel/httpsRequest';
import { normalizeFingerprint, tlsPolicy, type TlsPolicy } from '../../../src/adapters/cpanel/tls';
import { isTransient } from '../../../src/adapters/cpanel/failures';
import { FixEmailAuthError } from '../../../src/errors';
import { json, startLocalHttps, type LocalHttps } from './localHttps';

let server: LocalHttps;
let dir: string;

beforeAll(async () => {
  server = await startLocalHttps((_req, res) => json(res, { ok: true }));
  dir = mkdtempSync(join(tmpdir(), 'cpanel-tls-'));
});
afterAll(() => server.close());

const get = (tls: TlsPolicy, baseUrl = server.baseUrl) =>
  httpsRequest({
    url: new URL('/json-api/listzones?api.version=1', baseUrl),
    method: 'GET',
    headers: { Authorization: 'whm root:SECRET' },
    timeoutMs: 5000,
    tls,
    step: 'read',
    what: 'WHM listzones',
  });

function otherFingerprint(fp: string): string {
  return (fp.startsWith('00') ? 'FF' : '00') + fp.slice(2);
}

describe('TLS trust (brief §4)', () => {
  it('when nothing is configured, then a self-signed server is refused with a hint, not retried, and gets no request', async () => {
    const before = server.requests.length;
    const err = await get(tlsPolicy({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FixEmailAuthError);
    expect((err as FixEmailAuthError).code).toBe('TRANSPORT');
    expect((err as FixEmailAuthError).message).toMatch(/TLS verification of 127\.0\.0\.1:\d+ failed .*cpanel\.caFile.*cpanel\.fingerprint/);
    expect(isTransient(err)).toBe(false);
    expect(server.requests.length).toBe(before);
  });

  it('when caFile holds the server certificate, then the connection is verified and succeeds', async () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, server.cert.certPem);
    const answer = await get(tlsPolicy({ caFile }));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ok: true });
  });

  it('when caFile is set but the certificate names only the host name, then 127.0.0.1 is refused, while a pin accepts it', async () => {
    const named = await startLocalHttps((_req, res) => json(res, { ok: true }), 'hostname-only');
    try {
      const caFile = join(dir, 'named.pem');
      writeFileSync(caFile, named.cert.certPem);
      const err = await get(tlsPolicy({ caFile }), named.baseUrl).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TRANSPORT', message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
      expect(named.requests).toHaveLength(0);
      expect((await get(tlsPolicy({ fingerprint: named.cert.fingerprint256 }), named.baseUrl)).status).toBe(200);
    } finally {
      await named.close();
    }
  });

  it('when the SHA-256 fingerprint is pinned, then the self-signed server is accepted whatever its chain', async () => {
    const answer = await get(tlsPolicy({ fingerprint: server.cert.fingerprint256.toLowerCase() }));
    expect(answer.status).toBe(200);
  });

  it('when the pin does not match, then the connection is refused before the token is sent, with both fingerprints in the message', async () => {
    const before = server.requests.length;
    const wrong = otherFingerprint(server.cert.fingerprint256);
    const err = (await get(tlsPolicy({ fingerprint: wrong })).catch((e: unknown) => e)) as FixEmailAuthError;
    expect(err.code).toBe('TRANSPORT');
    expect(err.message).toContain(server.cert.fingerprint256);
    expect(err.message).toContain(wrong);
    expect(err.message).toContain('refusing to send the API token');
    expect(isTransient(err)).toBe(false);
    expect(server.requests.length).toBe(before);
  });

  it('when the pin does not match even with a valid caFile, then it is still refused', async () => {
    const caFile = join(dir, 'ca3.pem');
    writeFileSync(caFile, server.cert.certPem);
    const err = await get(tlsPolicy({ caFile, fingerprint: otherFingerprint(server.cert.fingerprint256) })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TRANSPORT', message: expect.stringContaining('pins') });
  });

  it('when insecure is set explicitly, then the server is accepted and the logger warns loudly', async () => {
    const warnings: string[] = [];
    const policy = tlsPolicy({ insecure: true }, { warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING: cpanel\.insecure is true .*NOT verified/);
    expect((await get(policy)).status).toBe(200);
  });

  it('when insecure is not set, then nothing is logged', () => {
    const warnings: string[] = [];
    tlsPolicy({ fingerprint: server.cert.fingerprint256 }, { warn: (m) => warnings.push(m) });
    tlsPolicy({}, { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});

describe('TLS configuration errors', () => {
  it('when the fingerprint is written with or without colons or a prefix, then it normalises to Node’s form', () => {
    const fp = server.cert.fingerprint256;
    expect(normalizeFingerprint(fp.replace(/:/g, '').toLowerCase())).toBe(fp);
    expect(normalizeFingerprint(`sha256:${fp}`)).toBe(fp);
  });

  it('when the fingerprint is not 64 hex digits, then CONFIG_INVALID', () => {
    expect(() => normalizeFingerprint('AA:BB')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('when caFile cannot be read or holds no certificate, then CONFIG_INVALID names the file', () => {
    expect(() => tlsPolicy({ caFile: join(dir, 'missing.pem') })).toThrow(/Cannot read cpanel\.caFile .*missing\.pem/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    expect(() => tlsPolicy({ caFile: junk })).toThrow(/holds no PEM certificate/);
  });
});
