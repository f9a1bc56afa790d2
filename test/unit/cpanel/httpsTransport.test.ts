import * as net from 'net';
import { isTransient } from '../../../src/adapters/cpanel/failures';
import { tlsPolicy } from '../../../src/adapters/cpanel/tls';
import { UapiHttpsTransport } from '../../../src/adapters/cpanel/uapiHttps';
import { WhmHttpsTransport } from '../../../src/adapters/cpanel/whmHttps';
import { FixEmailAuthError } from '../../../src/errors';
import { json, startLocalHttps, type Handler, type LocalHttps } from './localHttps';
import * as s from './samples';

let server: LocalHttps;
let handler: Handler = (_req, res) => json(res, s.whmListzones);

beforeAll(async () => {
  server = await startLocalHttps((req, res, socket) => handler(req, res, socket));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  handler = (_req, res) => json(res, s.whmListzones);
});

const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const whm = (timeoutMs = 3000, baseUrl = server.baseUrl) =>
  new WhmHttpsTransport({ baseUrl, user: 'root', token: TOKEN, tls: tlsPolicy({ fingerprint: server.cert.fingerprint256 }), timeoutMs });
const uapi = () =>
  new UapiHttpsTransport({
    baseUrl: server.baseUrl,
    user: 'alice',
    token: TOKEN,
    tls: tlsPolicy({ fingerprint: server.cert.fingerprint256 }),
    timeoutMs: 3000,
  });

async function failure(promise: Promise<unknown>): Promise<FixEmailAuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof FixEmailAuthError)) throw new Error(`expected FixEmailAuthError, got ${String(err)}`);
  return err;
}

describe('WHM API 1 over HTTPS (docs/reference/cpanel-api.md §1, §2)', () => {
  it('when a read is made, then it is a GET on /json-api/<fn> with api.version=1 and the whm token header', async () => {
    const answer = await whm().callWhm('parse_dns_zone', { zone: 'example.com' }, { step: 'read' });
    expect(answer).toEqual({ httpStatus: 200, body: s.whmListzones });
    const [req] = server.requests;
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe('/json-api/parse_dns_zone?api.version=1&zone=example.com');
    expect(req?.headers.authorization).toBe(`whm root:${TOKEN}`);
  });

  it('when a write is made, then it is a POST form carrying api.version and every list item', async () => {
    await whm().callWhm(
      'mass_edit_dns_zone',
      { zone: 'example.com', serial: '2024030101', remove: [17, 18], add: ['{"dname":"a b"}'] },
      { step: 'apply', write: true },
    );
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/json-api/mass_edit_dns_zone');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(req?.body)]).toEqual([
      ['api.version', '1'],
      ['zone', 'example.com'],
      ['serial', '2024030101'],
      ['remove', '17'],
      ['remove', '18'],
      ['add', '{"dname":"a b"}'],
    ]);
  });

  it('when a read would make a very long query string, then it is POSTed instead', async () => {
    const domains = Array.from({ length: 200 }, (_, i) => `domain-number-${i}.example`);
    await whm().callWhm('has_local_authority', { domain: domains }, { step: 'read' });
    expect(server.requests[0]?.method).toBe('POST');
    expect(new URLSearchParams(server.requests[0]?.body).getAll('domain')).toEqual(domains);
  });

  it('when the base URL has a path prefix (a proxy), then it is kept', async () => {
    await whm(3000, `${server.baseUrl}/whm/`).callWhm('listzones', {}, { step: 'read' });
    expect(server.requests[0]?.url).toBe('/whm/json-api/listzones?api.version=1');
  });

  it.each([401, 403])('when the server answers %i with a non-JSON body, then AUTHENTICATION with the body in upstream', async (status) => {
    handler = (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/html' });
      res.end('<html>Access denied</html>');
    };
    const err = await failure(whm().callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('AUTHENTICATION');
    expect(err.upstream).toEqual({ httpStatus: status, body: '<html>Access denied</html>' });
    expect(err.message).not.toContain(TOKEN);
  });

  it('when the server answers 500, then a transient TRANSPORT', async () => {
    handler = (_req, res) => {
      res.writeHead(500);
      res.end('Internal Server Error');
    };
    const err = await failure(whm().callWhm('listzones', {}, { step: 'read' }));
    expect([err.code, isTransient(err)]).toEqual(['TRANSPORT', true]);
  });

  it('when the server answers 404, then a permanent TRANSPORT (wrong URL or port)', async () => {
    handler = (_req, res) => {
      res.writeHead(404);
      res.end('nope');
    };
    const err = await failure(whm().callWhm('listzones', {}, { step: 'read' }));
    expect([err.code, isTransient(err)]).toEqual(['TRANSPORT', false]);
  });

  it('when a 200 body is not JSON, then TRANSPORT', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>cpsrvd restarting</html>');
    };
    const err = await failure(whm().callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('TRANSPORT');
    expect(err.message).toContain('not JSON');
  });

  it('when the server never answers, then TIMEOUT after the deadline', async () => {
    handler = () => undefined;
    const started = Date.now();
    const err = await failure(whm(300).callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('when the server drops the connection, then a transient TRANSPORT', async () => {
    handler = (_req, _res, socket) => socket.destroy();
    const err = await failure(whm().callWhm('listzones', {}, { step: 'read' }));
    expect([err.code, isTransient(err)]).toEqual(['TRANSPORT', true]);
  });

  it('when the body is cut short, then TRANSPORT rather than half a JSON document', async () => {
    handler = (_req, res, socket) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"metadata":');
      setTimeout(() => socket.destroy(), 20);
    };
    expect((await failure(whm().callWhm('listzones', {}, { step: 'read' }))).code).toBe('TRANSPORT');
  });

  it('when nothing listens on the port, then a transient TRANSPORT naming ECONNREFUSED', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await failure(whm(3000, `https://127.0.0.1:${port}`).callWhm('listzones', {}, { step: 'read' }));
    expect([err.code, isTransient(err)]).toEqual(['TRANSPORT', true]);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('when the URL is plain http, then CONFIG_INVALID: the token never travels in clear text', async () => {
    const err = await failure(whm(3000, 'http://127.0.0.1:2086').callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('CONFIG_INVALID');
  });

  it('when a function name would change the path, then BAD_INPUT before any request', async () => {
    await expect(whm().callWhm('../execute/x', {}, { step: 'read' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('UAPI over HTTPS with a cPanel token (docs/reference/cpanel-api.md §1, §2)', () => {
  it('when a read is made, then GET /execute/<Module>/<fn> with the cpanel token header and no api.version', async () => {
    handler = (_req, res) => json(res, s.parseZoneFixture);
    const answer = await uapi().callUapi('DNS', 'parse_zone', { zone: 'example.com' }, { step: 'read' });
    expect(answer.body).toEqual(s.parseZoneFixture);
    expect(server.requests[0]?.url).toBe('/execute/DNS/parse_zone?zone=example.com');
    expect(server.requests[0]?.headers.authorization).toBe(`cpanel alice:${TOKEN}`);
  });

  it('when a write is made, then POST form to /execute/DNS/mass_edit_zone', async () => {
    handler = (_req, res) => json(res, s.uapiMassEditOk);
    await uapi().callUapi('DNS', 'mass_edit_zone', { zone: 'example.com', serial: '1', remove: [3] }, { step: 'apply', write: true });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/execute/DNS/mass_edit_zone',
      body: 'zone=example.com&serial=1&remove=3',
    });
  });

  it('when the user name is not a cPanel user name, then BAD_INPUT', () => {
    expect(
      () => new UapiHttpsTransport({ baseUrl: server.baseUrl, user: '--help', token: TOKEN, tls: tlsPolicy({}), timeoutMs: 1 }),
    ).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
