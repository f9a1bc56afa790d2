import { copyFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Readable } from 'stream';
import { run } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { fixture, tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

/**
 * Fake CliIO; no config file unless one is written (FIX_EMAIL_AUTH_CONFIG points into the temp dir),
 * and a journal of its own, never the machine's /var/lib/fix-email-auth.
 */
function fakeIO(env: NodeJS.ProcessEnv = {}, stdin?: string): CliIO & { out: () => string; err: () => string; stdin?: Readable } {
  let out = '';
  let err = '';
  const io: CliIO & { out: () => string; err: () => string; stdin?: Readable } = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { FIX_EMAIL_AUTH_CONFIG: join(t.dir, 'no-config.json'), FIX_EMAIL_AUTH_JOURNAL: join(t.dir, 'journal.db'), ...env },
    cwd: t.dir,
    out: () => out,
    err: () => err,
  };
  if (stdin !== undefined) io.stdin = Readable.from([Buffer.from(stdin)]);
  return io;
}

describe('fix-email-auth bounces', () => {
  it('when the log has lockdown rejections, then the human report lists each domain with class, count, last seen and the fix, and exits 1', async () => {
    const io = fakeIO();
    const code = await run(['bounces', '--log', fixture('cpanel-day.mainlog'), '--no-rotated'], io);
    expect(code).toBe(1);
    const out = io.out();
    expect(out).toMatch(/shop\.example\.co\.uk\s+LOCKDOWN_REJECTED\s+1\s+2026-11-28 00:05:14/);
    expect(out).toMatch(/spf-broken\.example\s+SPF_REJECTED\s+1/);
    expect(out).toContain('fix: Click "Fix Email Authorization"');
    expect(out).toContain('Per sending account:');
    expect(io.err()).toBe('');
  });

  it('when --json is given, then stdout is exactly the {events, domains} contract', async () => {
    const io = fakeIO();
    const code = await run(['bounces', '--log', fixture('reference-lines.mainlog'), '--json', '--no-rotated'], io);
    expect(code).toBe(1);
    const json = JSON.parse(io.out());
    expect(Object.keys(json)).toEqual(['events', 'domains']);
    expect(json.domains).toEqual([
      {
        domain: 'example.com',
        class: 'LOCKDOWN_REJECTED',
        count: 4,
        lastSeen: expect.stringMatching(/^2026-11-28T23:37:35[+-]\d\d:\d\d$/),
      },
    ]);
    expect(json.events.find((e: { messageId: string }) => e.messageId === '1xXRz5-0002X2-2t')).toEqual({
      messageId: '1xXRz5-0002X2-2t',
      time: expect.stringMatching(/^2026-11-28T23:37:35/),
      recipient: 'someone@gmail.example',
      domain: 'example.com',
      class: 'LOCKDOWN_REJECTED',
      sender: 'tiff@example.com',
      authUser: 'root',
    });
  });

  it('when the relay host filter leaves only deliverability noise, then it exits 0', async () => {
    const io = fakeIO();
    expect(await run(['bounces', '--log', fixture('cpanel-day.mainlog'), '--relay-host', 'mx.partner.example', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ events: [], domains: [] });
  });

  it('when --since excludes every failure, then it says so and exits 0', async () => {
    const io = fakeIO();
    expect(await run(['bounces', '--log', fixture('cpanel-day.mainlog'), '--since', '2030-01-01'], io)).toBe(0);
    expect(io.out()).toContain('No failed or deferred deliveries found.');
  });

  it('when --since is not a duration or date, then it exits 2 with the accepted forms', async () => {
    const io = fakeIO();
    expect(await run(['bounces', '--log', fixture('cpanel-day.mainlog'), '--since', 'last tuesday'], io)).toBe(2);
    expect(io.err()).toMatch(/Invalid --since "last tuesday".*24h/);
  });

  it('when the log file is missing, then it exits 2 naming it', async () => {
    const io = fakeIO();
    expect(await run(['bounces', '--log', join(t.dir, 'absent_mainlog')], io)).toBe(2);
    expect(io.err()).toMatch(/absent_mainlog: no such file/);
  });

  it('when --log is omitted and there is no config file, then FIX_EMAIL_AUTH_EXIM_LOG (or the default path) is used', async () => {
    const log = join(t.dir, 'env_mainlog');
    copyFileSync(fixture('real', 'exim-4.96-pid.mainlog'), log);
    const io = fakeIO({ FIX_EMAIL_AUTH_EXIM_LOG: log });
    expect(await run(['bounces', '--json'], io)).toBe(1);
    expect(JSON.parse(io.out()).events).toHaveLength(10);
  });

  it('when --log is omitted and a config file names the log, then that path is used (and named when missing)', async () => {
    const config = join(t.dir, 'config-paths.json');
    writeFileSync(
      config,
      JSON.stringify({ provider: { authId: 'webhostingm' }, paths: { eximMainlog: join(t.dir, 'configured_mainlog') } }),
    );
    const io = fakeIO({ FIX_EMAIL_AUTH_CONFIG: config });
    expect(await run(['bounces'], io)).toBe(2);
    expect(io.err()).toContain('configured_mainlog: no such file');
  });

  it('when --log is given, then a broken config file does not stop the offline command', async () => {
    const config = join(t.dir, 'broken.json');
    writeFileSync(config, '{not json');
    const io = fakeIO({ FIX_EMAIL_AUTH_CONFIG: config });
    expect(await run(['bounces', '--log', fixture('real', 'exim-4.96-millisec-tz.mainlog'), '--json'], io)).toBe(1);
  });
});

describe('fix-email-auth explain', () => {
  it('when given a lockdown bounce as an argument, then it explains the _mailchannels record and exits 1', async () => {
    const io = fakeIO();
    expect(await run(['explain', '550 5.7.1 This sender is not authorized to send from Example.com.'], io)).toBe(1);
    expect(io.out()).toContain('Class:   LOCKDOWN_REJECTED (550 5.7.1)');
    expect(io.out()).toContain('Domain:  example.com');
    expect(io.out()).toContain('_mailchannels.example.com');
  });

  it('when the words are not quoted, then they are joined into one text', async () => {
    const io = fakeIO();
    expect(await run(['explain', '550', '5.7.1', '[BFD]', 'Sender', 'prohibited', 'by', 'SPF', '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ class: 'SPF_REJECTED', smtpCode: '550', enhancedCode: '5.7.1', problem: true });
  });

  it('when the argument is -, then the bounce is read from stdin', async () => {
    const io = fakeIO(
      {},
      `Delivery failed:\n  SMTP error from remote mail server after RCPT TO:<x@y>:\n  550 5.1.1 <x@y>: Recipient address rejected: User unknown\n`,
    );
    expect(await run(['explain', '-'], io)).toBe(1);
    expect(io.out()).toContain('Class:   RECIPIENT_INVALID');
  });

  it('when the text is not a recognised failure, then it exits 0', async () => {
    const io = fakeIO();
    expect(await run(['explain', 'all good here'], io)).toBe(0);
    expect(io.out()).toContain('Class:   OTHER');
  });

  it('when stdin is empty, then it exits 2', async () => {
    const io = fakeIO({}, '   ');
    expect(await run(['explain', '-'], io)).toBe(2);
    expect(io.err()).toMatch(/No bounce text/);
  });

  it('when a config file names the provider, then the explanation names its MailChannels account', async () => {
    const config = join(t.dir, 'config-explain.json');
    writeFileSync(config, JSON.stringify({ provider: { authId: 'webhostingm' } }));
    const io = fakeIO({ FIX_EMAIL_AUTH_CONFIG: config });
    await run(['explain', '550 5.7.1 This sender is not authorized to send from example.com.'], io);
    expect(io.out()).toContain('MailChannels account "webhostingm"');
  });

  it('when no text is given at all, then it exits 2', async () => {
    expect(await run(['explain'], fakeIO())).toBe(2);
  });
});
