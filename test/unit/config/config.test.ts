import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig, parseConfig, senderIdFor } from '../../../src/config';
import { isFixEmailAuthError } from '../../../src/errors';

function configFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fea-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, content);
  return path;
}

describe('configuration', () => {
  it('when the file holds only the provider id, then every other setting has its default', () => {
    const config = loadConfig({ FIX_EMAIL_AUTH_CONFIG: configFile('{"provider": {"authId": "webhostingm"}}') });
    expect(config.provider.authId).toBe('webhostingm');
    expect(config.dns.ttl).toBe(300);
    expect(config.backup.policy).toBe('best-effort');
    expect(config.paths.namedDir).toBe('/var/named');
    expect(config.cpanel.insecure).toBe(false);
  });

  it('when environment overrides are set, then they win over the file', () => {
    const config = loadConfig({
      FIX_EMAIL_AUTH_CONFIG: configFile('{"provider": {"authId": "webhostingm"}, "paths": {"namedDir": "/srv/named"}}'),
      FIX_EMAIL_AUTH_NAMED_DIR: '/tmp/named-copy',
      FIX_EMAIL_AUTH_USERDOMAINS: '/tmp/userdomains',
    });
    expect(config.paths.namedDir).toBe('/tmp/named-copy');
    expect(config.paths.userdomains).toBe('/tmp/userdomains');
  });

  it.each([
    ['{"provider": {}}', /provider\.authId/],
    ['{"provider": {"authId": "web hostingm"}}', /provider\.authId/],
    ['{"provider": {"authId": "x\\"y"}}', /provider\.authId/],
    ['{"provider": {"authId": "ok", "senderIdTemplate": "ok|x-authuser|nouser"}}', /senderIdTemplate/],
    ['{"provider": {"authId": "ok"}, "backup": {"policy": "sometimes"}}', /backup\.policy/],
    ['{"provider": {"authId": "ok"}, "dns": {"ttl": 5}}', /dns\.ttl/],
    ['not json', /not valid JSON/],
    ['[]', /JSON object/],
  ])('when the file is %s, then loading fails naming the problem', (content, pattern) => {
    let caught: unknown;
    try {
      loadConfig({ FIX_EMAIL_AUTH_CONFIG: configFile(content) });
    } catch (err) {
      caught = err;
    }
    expect(isFixEmailAuthError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(pattern);
  });

  it('when the file is missing and no fallback is given, then the message says how to create it', () => {
    expect(() => loadConfig({ FIX_EMAIL_AUTH_CONFIG: '/nonexistent/config.json' })).toThrow(/authId/);
  });

  it('when a sender-ID template is configured, then {user} is replaced by the cPanel user', () => {
    const config = parseConfig({ provider: { authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' } });
    expect(senderIdFor(config, 'alice')).toBe('webhostingm|x-authuser|alice');
    expect(senderIdFor(config, undefined)).toBeNull();
    expect(senderIdFor(parseConfig({ provider: { authId: 'x' } }), 'alice')).toBeNull();
  });
});

describe('configuration typos', () => {
  it.each([
    ['{"provider": {"authId": "webhostingm"}, "backups": {"policy": "off"}}', /backups/],
    ['{"provider": {"authId": "webhostingm", "authid": "x"}}', /authid/],
    ['{"provider": {"authId": "webhostingm"}, "backup": {"polcy": "off"}}', /polcy/],
  ])('when the file holds an unknown key (%s), then loading fails naming it instead of using a default', (content, key) => {
    expect(() => loadConfig({ FIX_EMAIL_AUTH_CONFIG: configFile(content) })).toThrow(key);
  });
});

describe('self-healing settings', () => {
  const base = { provider: { authId: 'webhostingm' } };

  it('when nothing is said, then autofix is off, the log is followed, notices go out and metrics are off', () => {
    const config = parseConfig(base);
    expect(config.policy.autofix).toBe('off');
    expect(config.follow).toEqual({ enabled: true, pollMs: 1000, recheckSeconds: 60 });
    expect(config.notify).toMatchObject({ owners: true, admin: true, adminTo: 'root', digestMinutes: 60, dedupeHours: 24 });
    expect(config.metrics.socket).toBeUndefined();
    expect(config.metrics.port).toBeUndefined();
  });

  it('when only the older autoFixAfterTransfer is set, then it means stale-after-migration; an explicit autofix wins', () => {
    expect(parseConfig({ ...base, policy: { autoFixAfterTransfer: true } }).policy.autofix).toBe('stale-after-migration');
    expect(parseConfig({ ...base, policy: { autoFixAfterTransfer: true, autofix: 'off' } }).policy.autofix).toBe('off');
    expect(parseConfig({ ...base, policy: { autofix: 'all-stale' } }).policy.autofix).toBe('all-stale');
  });

  it.each([
    [{ policy: { autofix: 'everything' } }, /policy\.autofix/],
    [{ metrics: { host: '0.0.0.0', port: 9100 } }, /metrics\.host/],
    [{ notify: { adminTo: 'root@example.com\nBcc: x@y' } }, /notify\.adminTo/],
    [{ notify: { cpanelUrl: 'http://host:2083' } }, /notify\.cpanelUrl/],
    [{ follow: { pollMs: 1 } }, /follow\.pollMs/],
  ])('when the file says %j, then loading fails naming the key', (extra, key) => {
    expect(() => parseConfig({ ...base, ...extra })).toThrow(key);
  });
});
