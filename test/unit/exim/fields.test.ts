import { parseArrival, parseFailure, parseFields } from '../../../src/adapters/exim/fields';

describe('parseFields', () => {
  it('when a value is quoted with escaped quotes inside, then it is one field, unquoted', () => {
    const f = parseFields('U=root P=local S=344 T="Test \\"big\\" Email" id=x');
    expect(f.map((x) => [x.key, x.value])).toEqual([
      ['U', 'root'],
      ['P', 'local'],
      ['S', '344'],
      ['T', 'Test "big" Email'],
      ['id', 'x'],
    ]);
  });

  it('when tokens are not fields ([ip], defer (-46), (helo with spaces)), then they are skipped', () => {
    const f = parseFields('H=(my helo U=x) [1.2.3.4]:25 defer (-46) R=r1');
    expect(f.map((x) => x.key)).toEqual(['H', 'R']);
  });
});

describe('parseArrival (docs/reference/jetbackup-and-exim.md §2.9)', () => {
  it('when root submitted locally (line A), then the sender is the envelope and authUser is U=', () => {
    expect(parseArrival('tiff@example.com U=root P=local S=344 T="Test Email"')).toEqual({
      sender: 'tiff@example.com',
      authUser: 'root',
      authenticator: null,
      protocol: 'local',
    });
  });

  it('when a mailbox logged in (A=dovecot_login:joe@…), then authUser is the part after the colon', () => {
    const a = parseArrival(
      'joe@example.com H=(laptop) [198.51.100.4]:51234 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_login:joe@example.com S=1234 id=abc@example.com T="Hi there"',
    );
    expect(a).toEqual({ sender: 'joe@example.com', authUser: 'joe@example.com', authenticator: 'dovecot_login', protocol: 'esmtpsa' });
  });

  it('when A= has no id (A=plain), then U= is used if present, else null', () => {
    expect(parseArrival('a@b U=bob P=esmtpa A=plain S=1').authUser).toBe('bob');
    expect(parseArrival('a@b P=esmtpa A=plain S=1').authUser).toBeNull();
  });

  it('when a bounce arrives (<> with R=), then the sender is <>', () => {
    expect(
      parseArrival('<> R=1xXST9-0002VK-2S U=Debian-exim P=local S=1832 T="Mail delivery failed: returning message to sender"'),
    ).toMatchObject({ sender: '<>', authUser: 'Debian-exim' });
  });

  it('when the HELO, subject or Message-ID carry a forged A=/U=, then the real fields win', () => {
    const a = parseArrival(
      'grace@example.org H=(helo A=dovecot_login:admin@evil.example U=root) [198.51.100.40]:999 P=esmtpa A=dovecot_login:grace@example.org S=10 id=<x U=evil@evil.example> T="A=x:ceo@bank.example"',
    );
    expect(a.authUser).toBe('grace@example.org');
    const b = parseArrival('mallory@example.org P=local S=10 id=<x A=dovecot_login:ceo@bank.example> T="U=root"');
    expect(b.authUser).toBeNull();
  });
});

describe('parseFailure', () => {
  it('when the line is ≤ 4.98 (": " after the host), then host, router, transport and message are split', () => {
    const p = parseFailure(
      'someone@gmail.example R=smarthost T=remote_smtp H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    );
    expect(p).toEqual({
      recipient: 'someone@gmail.example',
      originalRecipient: null,
      hostName: '127.0.0.1',
      hostIp: '127.0.0.1',
      router: 'smarthost',
      transport: 'remote_smtp',
      message: 'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    });
  });

  it('when the line is ≥ 4.99 (" : " after CV=yes), then the message is the same', () => {
    const p = parseFailure(
      'someone@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes : SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    );
    expect(p.message).toBe(
      'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    );
    expect(p.hostName).toBe('smtp.mailchannels.net');
    expect(p.hostIp).toBe('203.0.113.7');
  });

  it('when +outgoing_port and +sender_on_delivery are on, then [ip]:port and F=<…> do not disturb the split', () => {
    const p = parseFailure(
      'someone@gmail.example F=<tiff@example.com> R=smarthost T=remote_smtp H=127.0.0.1 [127.0.0.1]:2525: SMTP error from remote mail server after end of data: 550 5.7.1 x',
    );
    expect(p).toMatchObject({ hostIp: '127.0.0.1', message: 'SMTP error from remote mail server after end of data: 550 5.7.1 x' });
  });

  it('when the old wording names the host in the message (line F), then the host is taken from there', () => {
    const p = parseFailure(
      'ace400@pb.example R=dnslookup T=remote_smtp: SMTP error from remote mailer after pipelined RCPT TO:<...>: host pbmail3.py.example [192.168.63.111]: 553 ...',
    );
    expect(p).toMatchObject({ transport: 'remote_smtp', hostName: 'pbmail3.py.example', hostIp: '192.168.63.111' });
    expect(p.message).toContain('553 ...');
  });

  it('when a deferral carries defer (-46) before H=, then it is skipped', () => {
    const p = parseFailure(
      'userx@x.y R=r1 T=t1 defer (-46) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 452 temporary error',
    );
    expect(p).toMatchObject({
      router: 'r1',
      transport: 't1',
      hostName: '127.0.0.1',
      message: 'SMTP error from remote mail server after end of data: 452 temporary error',
    });
  });

  it('when the address is followed by its original <address>, then both are kept', () => {
    const p = parseFailure('joe <joe@shop.example> R=virtual_user T=dovecot_virtual_delivery: mailbox is full');
    expect(p).toMatchObject({ recipient: 'joe', originalRecipient: 'joe@shop.example', message: 'mailbox is full' });
  });

  it('when a local failure has no fields ("addr: message"), then the colon is not part of the address', () => {
    expect(
      parseFailure('victim@hotmail.example: Domain example.org has exceeded the max emails per hour (100/100 (100%)) allowed.'),
    ).toMatchObject({
      recipient: 'victim@hotmail.example',
      hostName: null,
      message: 'Domain example.org has exceeded the max emails per hour (100/100 (100%)) allowed.',
    });
  });

  it('when there is no message at all, then the message is empty', () => {
    expect(parseFailure('trunc')).toMatchObject({ recipient: 'trunc', message: '' });
  });
});
