import { readFileSync } from 'fs';
import { join } from 'path';
import { BounceClass, classifyBounce, lockdownDomain, MAX_BOUNCE_TEXT } from '../../../src/checks/bounce';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/exim/bounces', name), 'utf8');

describe('classifyBounce: MailChannels lockdown (docs/reference/mailchannels.md §7.2 test vectors)', () => {
  const vectors: Array<[string, string]> = [
    ['550 5.7.1 This sender is not authorized to send from example.com.', 'example.com'],
    ['550 5.7.1 This sender is not authorized to send from example.com', 'example.com'],
    ['550 5.7.1 This sender is not authorized to send from xxx.xxx. See https://bit.ly/domain-lockdown. cfid=xxx.workers.dev', 'xxx.xxx'],
    ['550-5.7.1 This sender is not authorized to send from shop.example.co.uk. See …', 'shop.example.co.uk'],
    ['550 5.7.1 This sender is not authorized to send from example_domain.com.', 'example_domain.com'],
  ];
  it.each(vectors)('when the reply is %j, then the class is LOCKDOWN_REJECTED for %s', (text, domain) => {
    const v = classifyBounce(text);
    expect(v.class).toBe('LOCKDOWN_REJECTED');
    expect(v.domain).toBe(domain);
    expect(v.smtpCode).toBe('550');
    expect(v.enhancedCode).toBe('5.7.1');
  });

  it('when the provider KB tail (TLS fields, example_domain.com) is pasted, then the domain keeps its underscore', () => {
    const v = classifyBounce(
      'TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example_domain.com.',
    );
    expect(v).toMatchObject({
      class: 'LOCKDOWN_REJECTED',
      domain: 'example_domain.com',
      reply: '550 5.7.1 This sender is not authorized to send from example_domain.com.',
    });
  });

  it('when the domain is in capitals, then it is lower-cased and the final dot dropped', () => {
    expect(classifyBounce('550 5.7.1 This sender is not authorized to send from Shop.EXAMPLE.com.').domain).toBe('shop.example.com');
  });

  it('when Exim logged a multi-line reply with literal \\n, then the domain stops at the line end and the reply keeps its lines', () => {
    const logged =
      '550-5.7.1 This sender is not authorized to send from multi.example.\\n550-5.7.1 See https://bit.ly/domain-lockdown\\n550 5.7.1 for more information.';
    const v = classifyBounce(logged);
    expect(v.domain).toBe('multi.example');
    expect(v.reply).toBe(
      '550-5.7.1 This sender is not authorized to send from multi.example.\n550-5.7.1 See https://bit.ly/domain-lockdown\n550 5.7.1 for more information.',
    );
  });

  it('when a customer pastes the bounce Exim mails back, then the lockdown and its domain are found', () => {
    const v = classifyBounce(fixture('exim-dsn-lockdown.txt'));
    expect(v.class).toBe('LOCKDOWN_REJECTED');
    expect(v.domain).toBe('example.com');
  });

  it('when the verdict is lockdown, then the explanation names the _mailchannels record and the fix names the button and the command', () => {
    const v = classifyBounce('550 5.7.1 This sender is not authorized to send from example.com.', { provider: 'webhostingm' });
    expect(v.explanation).toContain('_mailchannels.example.com');
    expect(v.explanation).toContain('"webhostingm"');
    expect(v.fix).toContain('Fix Email Authorization');
    expect(v.fix).toContain('fix-email-auth fix example.com');
  });
});

describe('classifyBounce: look-alikes that are not lockdown (docs/reference/mailchannels.md §7.3)', () => {
  it('when MailChannels rejects for SPF ([BFD]), then the class is SPF_REJECTED, not lockdown', () => {
    const v = classifyBounce('550 5.7.1 [BFD] Sender prohibited by SPF');
    expect(v.class).toBe('SPF_REJECTED');
    expect(v.domain).toBeNull();
    expect(lockdownDomain('550 5.7.1 [BFD] Sender prohibited by SPF')).toBeNull();
    expect(v.fix).toContain('include:relay.mailchannels.net');
  });

  it('when a DSN carries the SPF rejection in Diagnostic-Code after a Status line, then it is SPF_REJECTED with the 550 code', () => {
    const v = classifyBounce(fixture('dsn-spf.txt'));
    expect(v).toMatchObject({ class: 'SPF_REJECTED', smtpCode: '550', enhancedCode: '5.7.1' });
  });

  it.each([
    ['550 5.7.1 [ESA] Sender blocked.'],
    ['550 5.7.1 [XYZ] some other policy'],
    ['550 5.7.1 This sender is not allowed to send from example.com.'],
    ['451 4.7.1 This sender is not authorized to send from example.com.'],
    ['550 5.7.2 This sender is not authorized to send from example.com.'],
    ['This sender is not authorized to send from example.com.'],
  ])('when the text is %j, then it is not lockdown', (text) => {
    expect(classifyBounce(text).class).not.toBe('LOCKDOWN_REJECTED');
  });

  it('when Gmail blocks unauthenticated mail (5.7.26), then it is OTHER: it is the receiver, not the _mailchannels record', () => {
    const v = classifyBounce(fixture('gmail-unauthenticated.txt'));
    expect(v.class).toBe('OTHER');
    expect(v.enhancedCode).toBe('5.7.26');
  });
});

describe('classifyBounce: the other classes', () => {
  const cases: Array<[string, BounceClass]> = [
    ['550 5.1.1 <nobody@gmail.example>: Recipient address rejected: User unknown in virtual mailbox table', 'RECIPIENT_INVALID'],
    ['550-5.1.1 The email account that you tried to reach does not exist.', 'RECIPIENT_INVALID'],
    ['550 No such user here', 'RECIPIENT_INVALID'],
    ['553 5.1.2 bad destination system address', 'RECIPIENT_INVALID'],
    ['Unrouteable address', 'RECIPIENT_INVALID'],
    ['Domain example.org has exceeded the max emails per hour (100/100 (100%)) allowed.  Message discarded.', 'RATE_LIMITED'],
    ['Domain example.org has exceeded the max defers and failures per hour (5/5 (100%)) allowed.', 'RATE_LIMITED'],
    ['451 4.7.1 Rate limit exceeded, try again later', 'RATE_LIMITED'],
    ['421 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.', 'RATE_LIMITED'],
    ['452 4.5.3 Too many recipients', 'RATE_LIMITED'],
    ['452 4.3.1 Insufficient system storage', 'DEFERRED'],
    ['451 Temporary local problem - please try later', 'DEFERRED'],
    ['450 4.2.1 The user you are trying to contact is receiving mail too quickly', 'DEFERRED'],
    ['450 4.1.1 <x@y>: Recipient address rejected: User unknown', 'DEFERRED'],
    ['500 oops', 'OTHER'],
    ['550 we really do not like you', 'OTHER'],
    ['554 5.7.1 rejected: spam content', 'OTHER'],
    ['', 'OTHER'],
  ];
  it.each(cases)('when the text is %j, then the class is %s', (text, cls) => {
    expect(classifyBounce(text).class).toBe(cls);
  });

  it('when a temporary reply names the user unknown, then it stays DEFERRED: only a 5xx proves the address does not exist', () => {
    expect(classifyBounce('450 4.1.1 user unknown (try again)').class).toBe('DEFERRED');
  });

  it('when numbers appear in addresses, ports or the time, then they are not taken for the SMTP code', () => {
    const v = classifyBounce(
      '2026-11-28 23:37:35 host 192.168.63.111 port :2525 user 550x@example.com: 421 4.7.0 Try again later, closing connection.',
    );
    expect(v.smtpCode).toBe('421');
    expect(v.enhancedCode).toBe('4.7.0');
    expect(v.class).toBe('DEFERRED');
  });

  it('when the reply has a basic code only, then the enhanced code may follow in parentheses (#5.1.1)', () => {
    const v = classifyBounce('550 Requested action not taken: mailbox unavailable (#5.1.1)');
    expect(v).toMatchObject({ smtpCode: '550', enhancedCode: '5.1.1', class: 'RECIPIENT_INVALID' });
  });

  it('when every class is produced, then each has a plain-English explanation and fix', () => {
    const texts = [
      '550 5.7.1 This sender is not authorized to send from a.example',
      '550 5.7.1 [BFD] Sender prohibited by SPF',
      '550 5.1.1 user unknown',
      '451 4.7.1 rate limit',
      '452 busy',
      'nonsense',
    ];
    const seen = new Set<BounceClass>();
    for (const t of texts) {
      const v = classifyBounce(t);
      seen.add(v.class);
      expect(v.explanation.length).toBeGreaterThan(20);
      expect(v.fix.length).toBeGreaterThan(20);
    }
    expect(seen.size).toBe(6);
  });
});

describe('classifyBounce: hostile input', () => {
  it('when the text is megabytes long, then only the first 64 KiB is looked at and it returns promptly', () => {
    const huge = `${'x'.repeat(MAX_BOUNCE_TEXT)}550 5.7.1 This sender is not authorized to send from late.example.`;
    expect(classifyBounce(huge.repeat(50)).class).toBe('OTHER');
  });

  it('when the text holds control characters and random bytes, then it is OTHER without throwing', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    expect(() => classifyBounce(bytes)).not.toThrow();
  });
});
