/** The small things written by hand instead of packages: CSV, cookies, the signed session, mount URLs. */
import { parseCookies, serializeCookie } from '../../../src/daemon/cookies';
import { csvCell, toCsv } from '../../../src/csv';
import { createMount, parseMountTemplate } from '../../../src/daemon/mount';
import { createSessionKeeper, SESSION_TTL_SECONDS } from '../../../src/daemon/session';

describe('CSV', () => {
  it('when a field holds a comma, quote or line break, then it is quoted with quotes doubled (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(['LOCKDOWN_STALE', 'SPF_OK'])).toBe('LOCKDOWN_STALE SPF_OK');
  });

  it('when a value would start a spreadsheet formula, then it is prefixed with a quote', () => {
    for (const value of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx'])
      expect(csvCell(value).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('when rows are written, then there is a header line and CRLF line ends', () => {
    expect(
      toCsv(
        [{ d: 'a.example', n: 1 }],
        [
          { header: 'domain', value: (r) => r.d },
          { header: 'count', value: (r) => r.n },
        ],
      ),
    ).toBe('domain,count\r\na.example,1\r\n');
  });
});

describe('cookies', () => {
  it('when a Cookie header is parsed, then the first of each name wins and junk is skipped', () => {
    const jar = parseCookies('a=1; b="two"; junk; a=3; =x');
    expect([...jar.entries()]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
  });

  it('when a cookie is set, then it is HttpOnly and SameSite=Strict, and a value that could break the header is refused', () => {
    expect(serializeCookie('s', 'abc.DEF-_', { maxAgeSeconds: 60 })).toBe('s=abc.DEF-_; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(() => serializeCookie('s', 'a;b')).toThrow();
    expect(() => serializeCookie('s', 'a\r\nSet-Cookie: x=1')).toThrow();
  });
});

describe('signed session and CSRF token', () => {
  let now = 1_800_000_000;
  const keeper = createSessionKeeper({ secret: Buffer.alloc(32, 7), now: () => now });

  it('when a session is encoded, then it decodes back; any change to it is rejected', () => {
    const session = keeper.newSession({ role: 'user', user: 'alice' });
    const value = keeper.encode(session);
    expect(keeper.decode(value)).toEqual(session);
    const [payload, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ ...session, role: 'admin' })).toString('base64url');
    expect(keeper.decode(`${forged}.${mac}`)).toBeUndefined();
    const flipped = `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`;
    expect(keeper.decode(`${payload}.${flipped}`)).toBeUndefined();
    expect(keeper.decode(`${payload}`)).toBeUndefined();
    expect(createSessionKeeper({ secret: Buffer.alloc(32, 8), now: () => now }).decode(value)).toBeUndefined();
  });

  it('when a session is older than its lifetime, then it is rejected', () => {
    const value = keeper.encode(keeper.newSession({ role: 'user', user: 'alice' }));
    now += SESSION_TTL_SECONDS + 1;
    expect(keeper.decode(value)).toBeUndefined();
  });

  it('when a CSRF token is checked, then only the token of that very session passes', () => {
    const a = keeper.newSession();
    const b = keeper.newSession();
    expect(keeper.checkCsrf(a, keeper.csrfToken(a))).toBe(true);
    expect(keeper.checkCsrf(a, keeper.csrfToken(b))).toBe(false);
    expect(keeper.checkCsrf(a, '')).toBe(false);
    expect(keeper.checkCsrf(a, undefined)).toBe(false);
    expect(keeper.checkCsrf(a, [keeper.csrfToken(a)])).toBe(false);
  });
});

describe('mount URLs', () => {
  it('when there is no template, then routes are used as they are', () => {
    const m = createMount(null);
    expect(m.url('/domains/a.example')).toBe('/domains/a.example');
    expect(m.formGet('/admin/domains')).toEqual({ action: '/admin/domains', hidden: [] });
  });

  it("when the cPanel relay's template is given, then the route travels URL-encoded in its query, and GET forms carry it as a hidden field", () => {
    const m = createMount(parseMountTemplate('index.live.pl?route={route}'));
    expect(m.url('/admin/domains?status=error&code=LOCKDOWN_STALE')).toBe(
      'index.live.pl?route=%2Fadmin%2Fdomains%3Fstatus%3Derror%26code%3DLOCKDOWN_STALE',
    );
    expect(m.formGet('/admin/domains')).toEqual({ action: 'index.live.pl', hidden: [['route', '/admin/domains']] });
    expect(() => m.url('relative')).toThrow();
  });

  it('when a template could lead elsewhere or break out of an attribute, then it is not used', () => {
    for (const bad of [
      'javascript:alert(1)//{route}',
      '//evil.example/{route}',
      'https://evil.example/?r={route}',
      'a"b?route={route}',
      'index.cgi?route=x',
      'a{route}b{route}',
      'x'.repeat(400) + '{route}',
      42,
    ]) {
      expect(parseMountTemplate(bad)).toBeNull();
    }
    expect(parseMountTemplate('/cgi/fix_email_auth/index.cgi?route={route}')).toBe('/cgi/fix_email_auth/index.cgi?route={route}');
  });
});
