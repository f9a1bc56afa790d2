import { chmodSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isTransient } from '../../../src/adapters/cpanel/failures';
import { UapiCliTransport } from '../../../src/adapters/cpanel/uapiCli';
import { WhmCliTransport } from '../../../src/adapters/cpanel/whmCli';
import { UapiApi } from '../../../src/adapters/cpanel/uapiApi';
import { FixEmailAuthError } from '../../../src/errors';

/**
 * A stand-in executable: prints `{"argv": [...]}` unless FAKE_MODE says otherwise, so the tests see
 * exactly the argv array the transport built (no shell in between).
 */
const dir = mkdtempSync(join(tmpdir(), 'cpanel-cli-'));
const fake = join(dir, 'fake-cpanel-cli');
writeFileSync(
  fake,
  `#!${process.execPath}
const argv = process.argv.slice(2);
switch (process.env.FAKE_MODE) {
  case 'sleep': setTimeout(() => {}, 60000); break;
  case 'garbage': process.stdout.write('Usage: whmapi1 ...\\n'); process.stderr.write('boom\\n'); process.exit(2); break;
  case 'json-exit-1': process.stdout.write(JSON.stringify({ metadata: { result: 0, reason: 'x', command: 'c', version: 1 } })); process.exit(1); break;
  case 'wrapped-fail': process.stdout.write(JSON.stringify({ apiversion: 3, func: 'parse_zone', module: 'DNS', result: { status: 0, errors: ['You do not control a DNS zone named “bob.example”.'], data: null, metadata: {}, messages: null, warnings: null } })); break;
  default: process.stdout.write(JSON.stringify({ argv }));
}
`,
);
chmodSync(fake, 0o755);

const settings = (mode?: string, extra: Partial<ConstructorParameters<typeof WhmCliTransport>[0]> = {}) => ({
  binary: fake,
  timeoutMs: 5000,
  env: { ...process.env, FAKE_MODE: mode ?? '' },
  ...extra,
});

const argvOf = (body: unknown) => (body as { argv: string[] }).argv;

async function failure(promise: Promise<unknown>): Promise<FixEmailAuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof FixEmailAuthError)) throw new Error(`expected FixEmailAuthError, got ${String(err)}`);
  return err;
}

describe('whmapi1 (docs/reference/cpanel-api.md §3)', () => {
  it('when called, then argv is <fn> k=v … --output=json, with a JSON value as ONE item, form characters escaped', async () => {
    const add = '{"dname":"_mailchannels","ttl":300,"record_type":"TXT","data":["v=mc1 auth=webhostingm"," +a"]}';
    const answer = await new WhmCliTransport(settings()).callWhm(
      'mass_edit_dns_zone',
      { zone: 'example.com', serial: '2024030101', remove: [3, 4], add: [add] },
      { step: 'apply', write: true },
    );
    expect(answer.httpStatus).toBeNull();
    expect(argvOf(answer.body)).toEqual([
      'mass_edit_dns_zone',
      'zone=example.com',
      'serial=2024030101',
      'remove=3',
      'remove=4',
      `add=${add.replace('+', '%2B')}`,
      '--output=json',
    ]);
  });

  it('when raw values and numbered lists are configured, then they are used as given', async () => {
    const answer = await new WhmCliTransport(settings(undefined, { escaping: 'none', listStyle: 'numbered' })).callWhm(
      'has_local_authority',
      { domain: ['a b', 'c;d'] },
      { step: 'read' },
    );
    expect(argvOf(answer.body)).toEqual(['has_local_authority', 'domain=a b', 'domain-1=c;d', '--output=json']);
  });

  it('when the command never ends, then it is killed and TIMEOUT is raised', async () => {
    const started = Date.now();
    const err = await failure(new WhmCliTransport(settings('sleep', { timeoutMs: 300 })).callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('when the binary does not exist, then a permanent TRANSPORT naming the config key', async () => {
    const err = await failure(
      new WhmCliTransport(settings(undefined, { binary: join(dir, 'missing') })).callWhm('listzones', {}, { step: 'read' }),
    );
    expect([err.code, isTransient(err)]).toEqual(['TRANSPORT', false]);
    expect(err.message).toContain('cpanel.whmapi1');
  });

  it('when the output is not JSON, then TRANSPORT with the exit code, and the stderr kept for the log but out of the message', async () => {
    const err = await failure(new WhmCliTransport(settings('garbage')).callWhm('listzones', {}, { step: 'read' }));
    expect(err.code).toBe('TRANSPORT');
    expect(err.message).toContain('exited with 2');
    expect(err.message).not.toContain('boom');
    expect(err.upstream).toMatchObject({ exitCode: 2, stderr: 'boom\n' });
  });

  it('when the command exits non-zero but printed JSON, then the JSON is the answer', async () => {
    const answer = await new WhmCliTransport(settings('json-exit-1')).callWhm('listzones', {}, { step: 'read' });
    expect(answer.body).toMatchObject({ metadata: { result: 0 } });
  });
});

describe('uapi --user (docs/reference/cpanel-api.md §3, §4.2)', () => {
  it('when called, then argv is --user=U <Module> <fn> k=v … --output=json', async () => {
    const answer = await new UapiCliTransport(settings(), 'alice').callUapi('DNS', 'parse_zone', { zone: 'example.com' }, { step: 'read' });
    expect(argvOf(answer.body)).toEqual(['--user=alice', 'DNS', 'parse_zone', 'zone=example.com', '--output=json']);
  });

  it('when the wrapped answer carries a failure, then the UAPI layer raises it typed', async () => {
    const api = new UapiApi(new UapiCliTransport(settings('wrapped-fail'), 'alice'), { sleep: async () => undefined });
    await expect(api.call('DNS', 'parse_zone', { zone: 'bob.example' }, { step: 'read' })).rejects.toMatchObject({
      code: 'NOT_OWNED',
      message: 'You do not control a DNS zone named “bob.example”.',
    });
  });

  it('when the user name looks like an option, then BAD_INPUT', () => {
    expect(() => new UapiCliTransport(settings(), '--user=root')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
