/**
 * The test-email use case with a recording mail port: what it refuses (changing nothing), the message
 * it builds, and how it words each outcome.
 */
import type { FollowResult } from '../../../src/adapters/mail/followLog';
import type { Submission } from '../../../src/adapters/mail/sendmail';
import type { DomainInfo } from '../../../src/ports';
import { sendTestEmail, validateAddress, type TestEmailDeps } from '../../../src/usecases/testEmail';

const DOMAINS: DomainInfo[] = [
  { domain: 'example.com', user: 'alice', owner: 'root', type: 'main', zone: 'example.com' },
  { domain: 'shop.example.com', user: 'alice', owner: 'root', type: 'sub', zone: 'example.com' },
  { domain: 'bob.example', user: 'bob', owner: 'root', type: 'main', zone: 'bob.example' },
];

function fakeDeps(result: Partial<FollowResult> = {}) {
  const submitted: Submission[] = [];
  const followed: unknown[] = [];
  const deps: TestEmailDeps = {
    accounts: { domainsOfUser: async (user) => DOMAINS.filter((d) => d.user === user) },
    mail: {
      submit: async (s) => {
        submitted.push(s);
      },
      mark: async () => ({ path: '/var/log/exim_mainlog', offset: 42, ino: 1 }),
      follow: async (mark, match, options) => {
        followed.push({ mark, match, options });
        return {
          state: 'unseen',
          timedOut: true,
          eximId: null,
          recipient: null,
          reply: null,
          host: null,
          hostIp: null,
          lines: [],
          ...result,
        };
      },
    },
    relayHost: 'smtp.mailchannels.net',
    provider: 'webhostingm',
    logPath: '/var/log/exim_mainlog',
    clock: { now: () => new Date('2026-11-29T00:38:19Z') },
    token: () => '0123456789abcdef',
  };
  return { deps, submitted, followed };
}

const input = { user: 'alice', from: 'tiff@example.com', to: 'someone@gmail.example' };

describe('sendTestEmail', () => {
  test('when the input is valid, then one message is submitted as the user with the envelope sender, and followed from the mark taken before', async () => {
    const { deps, submitted, followed } = fakeDeps({
      state: 'delivered',
      timedOut: false,
      eximId: '1xXRz5-0002X2-2t',
      reply: '250 2.0.0 Message accepted for delivery',
      host: 'smtp.mailchannels.net',
      hostIp: '203.0.113.7',
    });
    const result = await sendTestEmail(deps, { ...input, timeoutMs: 5000 });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.user).toBe('alice');
    expect(submitted[0]?.envelopeFrom).toBe('tiff@example.com');
    expect(submitted[0]?.message).toBe(
      [
        'From: tiff@example.com',
        'To: someone@gmail.example',
        'Subject: Fix Email Authorization test 0123456789abcdef',
        'Date: Sun, 29 Nov 2026 00:38:19 +0000',
        'Message-ID: <fea-test-0123456789abcdef@example.com>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=us-ascii',
        'Content-Transfer-Encoding: 7bit',
        'Auto-Submitted: auto-generated',
        '',
        'This is a test message from Fix Email Authorization, sent as the cPanel user alice',
        'to check that mail from tiff@example.com is accepted by the outgoing relay.',
        '',
        'You can delete it.',
        '',
      ].join('\n'),
    );
    expect(followed).toEqual([
      {
        mark: { path: '/var/log/exim_mainlog', offset: 42, ino: 1 },
        match: { messageId: 'fea-test-0123456789abcdef@example.com', subjectMarker: '0123456789abcdef' },
        options: { timeoutMs: 5000 },
      },
    ]);
    expect(result).toMatchObject({ status: 'delivered', viaRelay: true, verdict: null, advice: null, eximId: '1xXRz5-0002X2-2t' });
    expect(result.summary).toBe(
      'Delivered: smtp.mailchannels.net accepted the message from tiff@example.com. The server answered: "250 2.0.0 Message accepted for delivery".',
    );
  });

  test('when the relay rejects with the lockdown 550, then the result says so in plain words with the fix', async () => {
    const reply = 'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.';
    const { deps } = fakeDeps({
      state: 'bounced',
      timedOut: false,
      eximId: '1xXRz5-0002X2-2t',
      reply,
      host: 'smtp.mailchannels.net',
      hostIp: '203.0.113.7',
    });
    const result = await sendTestEmail(deps, input);
    expect(result.status).toBe('bounced');
    expect(result.verdict).toMatchObject({ class: 'LOCKDOWN_REJECTED', domain: 'example.com', smtpCode: '550', enhancedCode: '5.7.1' });
    expect(result.reply).toBe('550 5.7.1 This sender is not authorized to send from example.com.');
    expect(result.summary).toContain(
      'Rejected: the message from tiff@example.com was refused by smtp.mailchannels.net. The server answered: "550 5.7.1 This sender is not authorized to send from example.com.".',
    );
    expect(result.summary).toContain(
      '_mailchannels.example.com TXT record (Domain Lockdown) does not authorize this server\'s MailChannels account "webhostingm"',
    );
    expect(result.advice).toContain('fix-email-auth fix example.com');
  });

  test('when the message is only deferred by the deadline, then the status is deferred with a DEFERRED class', async () => {
    const { deps } = fakeDeps({
      state: 'deferred',
      timedOut: true,
      eximId: 'x',
      reply: 'SMTP error from remote mail server after end of data: 451 4.4.3 Temporary DNS failure',
      host: 'smtp.mailchannels.net',
    });
    const result = await sendTestEmail(deps, input);
    expect(result).toMatchObject({ status: 'deferred', timedOut: true, verdict: { class: 'DEFERRED' } });
    expect(result.summary).toMatch(/^Delayed: /);
  });

  test('when the message went to another host than the relay, then it is not reported as a lockdown result', async () => {
    const { deps } = fakeDeps({
      state: 'delivered',
      timedOut: false,
      eximId: 'x',
      reply: '250 OK',
      host: 'mx.gmail.example',
      hostIp: '198.51.100.1',
    });
    const result = await sendTestEmail(deps, input);
    expect(result).toMatchObject({ status: 'delivered', viaRelay: false });
    expect(result.summary).toContain('not through smtp.mailchannels.net');
  });

  test('when nothing shows up in the log, then the result names the log to check', async () => {
    const { deps } = fakeDeps();
    const result = await sendTestEmail(deps, { ...input, timeoutMs: 2000 });
    expect(result.status).toBe('not-in-log');
    expect(result.summary).toBe('The message was handed to the mail server, but it did not show up in /var/log/exim_mainlog within 2 s.');
  });

  test.each([
    [
      'a From domain of another user',
      { from: 'bob@bob.example' },
      'NOT_OWNED',
      /bob\.example is not a domain of alice; send from an address of one of alice's domains \(example\.com, shop\.example\.com\)/,
    ],
    ['a From domain nobody has', { from: 'x@elsewhere.example' }, 'NOT_OWNED', /elsewhere\.example is not a domain of alice/],
    ['a user without domains', { user: 'nobody' }, 'UNKNOWN_DOMAIN', /"nobody" has no domains/],
    [
      'a header injection in From',
      { from: 'tiff@example.com\r\nBcc: victim@gmail.example' },
      'BAD_INPUT',
      /from: the address contains a line break/,
    ],
    ['a header injection in To', { to: 'x@gmail.example\nSubject: spam' }, 'BAD_INPUT', /to: the address contains a line break/],
    ['a quoted local part', { from: '"tiff"@example.com' }, 'BAD_INPUT', /contains a quote/],
    ['a display name', { to: 'Someone <someone@gmail.example>' }, 'BAD_INPUT', /contains a space/],
    ['a list of recipients', { to: 'a@gmail.example,b@gmail.example' }, 'BAD_INPUT', /without a name, brackets or a list/],
    ['an option-looking sender', { from: '-oQ@example.com' }, 'BAD_INPUT', /before "@"/],
    ['a too long address', { to: `${'a'.repeat(60)}@${'b'.repeat(200)}.example` }, 'BAD_INPUT', /longer than 254/],
    ['a too long local part', { from: `${'a'.repeat(65)}@example.com` }, 'BAD_INPUT', /before "@"/],
    ['two @ signs', { to: 'a@b@gmail.example' }, 'BAD_INPUT', /not of the form/],
    ['a bad user name', { user: 'alice;rm' }, 'BAD_INPUT', /user: a cPanel user name/],
    ['a timeout over ten minutes', { timeoutMs: 3_600_000 }, 'BAD_INPUT', /timeout/],
  ])('when the input has %s, then it is refused and nothing is sent', async (_what, change, code, message) => {
    const { deps, submitted } = fakeDeps();
    const marked = jest.spyOn(deps.mail, 'mark');
    await expect(sendTestEmail(deps, { ...input, ...change })).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
    expect(submitted).toEqual([]);
    expect(marked).not.toHaveBeenCalled();
  });

  test('when an address has upper-case letters in its domain, then the domain is compared in lower case and kept so', async () => {
    expect(validateAddress('Tiff.O+news@Example.COM', 'from')).toEqual({
      address: 'Tiff.O+news@example.com',
      local: 'Tiff.O+news',
      domain: 'example.com',
    });
    const { deps, submitted } = fakeDeps();
    await sendTestEmail(deps, { ...input, from: 'tiff@EXAMPLE.com' });
    expect(submitted[0]?.envelopeFrom).toBe('tiff@example.com');
  });
});
