/**
 * Real Exim relaying to the MailChannels relay double, which reads `_mailchannels` records from a
 * real PowerDNS: sender IDs as docs/reference/mailchannels.md §6.2 describes them, the exact rejection text in
 * Exim's log (docs/reference/jetbackup-and-exim.md §2.6 line A), and the temporary failure on DNS trouble.
 */
import { createSocket } from 'dgram';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createTransport } from 'nodemailer';
import { dnsTxtLookup } from '../../../src/simulator/relay';
import { startExim, type Exim } from '../../support/exim';
import { startPowerDns, type PowerDns } from '../../support/pdns';
import { lockdownLine, PROVIDER, startTestRelay, testMessage, writeZoneFile, type SwitchableRelay } from './support';

/** docs/reference/jetbackup-and-exim.md §2.8, verbatim: the `**` line of a lockdown rejection. */
const LOCKDOWN_FAIL_LINE =
  /^(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?:\[\d+\] )?(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) \*\* (?<rcpt>\S+)(?: <[^>]+>)?(?: .*?)? ?: SMTP error from remote mail server after (?:pipelined )?end of data: 550[ -]5\.7\.1 This sender is not authorized to send from (?<domain>\S+?)\.?(?=\s|$)/;

const ZONES: Record<string, string[]> = {
  'bob.example': [lockdownLine('v=mc1 senderid=webhostingm|x-authuser|bob')],
  'shared.example': [lockdownLine('v=mc1 auth=webhostingm')],
  'migrated.example': [lockdownLine('v=mc1 auth=oldhost')],
  'open.example': [],
};

describe('Exim → MailChannels relay double → PowerDNS', () => {
  let zonesDir: string;
  let pdns: PowerDns;
  let relay: SwitchableRelay;
  let exim: Exim;

  beforeAll(async () => {
    zonesDir = mkdtempSync(join(tmpdir(), 'fea-mail-zones-'));
    for (const [zone, lines] of Object.entries(ZONES)) writeZoneFile(zonesDir, zone, lines);
    pdns = await startPowerDns({ zonesDir, zones: Object.keys(ZONES) });
    relay = await startTestRelay(pdns.port);
    exim = await startExim({
      relayPort: relay.relay.port,
      relayUsername: PROVIDER.username,
      relayPassword: PROVIDER.password,
      mailboxes: { 'joe@bob.example': 'joe-pw', 'joe@shared.example': 'joe-pw' },
      smtpDaemon: true,
    });
  });
  afterAll(async () => {
    await exim?.stop();
    await relay?.stop();
    await pdns?.stop();
    if (zonesDir) rmSync(zonesDir, { recursive: true, force: true });
  });

  /** Local submission as `user`; returns its Exim id and the final line (`=>`, `**` or `==`). */
  async function sendLocal(user: string, from: string, extraHeaders: string[] = []) {
    const message = testMessage(from, 'someone@gmail.example', `local mail of ${user}`, extraHeaders);
    await exim.submitLocal({ user, envelopeFrom: from, message: message.text });
    const eximId = await exim.waitForArrival(`id=${message.messageId}`);
    const line = await exim.waitForLine(eximId, ['=>', '**', '==']);
    const relayed = relay.relay.messages.find((m) => m.raw.toString('latin1').includes(message.messageId));
    return { eximId, line, relayed };
  }

  async function sendMailbox(login: string) {
    const messageId = await exim.submitSmtp({
      login,
      password: 'joe-pw',
      from: login,
      to: 'someone@gmail.example',
      subject: `mailbox mail of ${login}`,
    });
    const eximId = await exim.waitForArrival(`id=${messageId}`);
    const line = await exim.waitForLine(eximId, ['=>', '**', '==']);
    const arrival = await exim.waitForLine(eximId, ['<=']);
    const relayed = relay.relay.messages.find((m) => m.raw.toString('latin1').includes(messageId));
    return { eximId, line, arrival, relayed };
  }

  test("when bob's domain is locked to senderid=webhostingm|x-authuser|bob, then bob's local mail is delivered with bob's sender ID", async () => {
    const { line, relayed } = await sendLocal('bob', 'bob@bob.example');
    expect(line).toMatch(
      / => someone@gmail\.example R=mailchannels T=mailchannels_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\] A=mailchannels_login C="250 2\.0\.0 Message accepted for delivery"/,
    );
    expect(relayed).toMatchObject({
      outcome: 'accepted',
      accountId: 'webhostingm',
      authUser: 'bob',
      senderId: 'webhostingm|x-authuser|bob',
      checkedDomain: 'bob.example',
    });
    expect(relayed?.decision).toEqual({ allowed: true, reason: 'senderid', field: 'senderid=webhostingm|x-authuser|bob' });
    const raw = relayed?.raw.toString('latin1') ?? '';
    expect(raw).toContain('X-MailChannels-SenderId: webhostingm|x-authuser|bob\r\n');
    expect(raw).toContain('X-MailChannels-Auth-Id: webhostingm\r\n');
  });

  test("when a mailbox of bob's domain logs in over SMTP, then its sender ID is the login and the senderid-locked record rejects it with the exact 550 text", async () => {
    const { line, arrival, relayed } = await sendMailbox('joe@bob.example');
    expect(arrival).toMatch(/ <= joe@bob\.example H=\S+ \[127\.0\.0\.1\] P=esmtpa A=dovecot_login:joe@bob\.example S=/);
    expect(
      line.endsWith(
        ': SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from bob.example.',
      ),
    ).toBe(true);
    expect(LOCKDOWN_FAIL_LINE.exec(line)?.groups?.domain).toBe('bob.example');
    expect(relayed).toMatchObject({ outcome: 'rejected', authUser: 'joe@bob.example', senderId: 'webhostingm|x-authuser|joe@bob.example' });
  });

  test('when the record is auth=webhostingm, then both the local user and a mailbox login are delivered (auth= admits the whole account)', async () => {
    const local = await sendLocal('carol', 'carol@shared.example');
    const mailbox = await sendMailbox('joe@shared.example');
    expect(local.line).toContain(' => someone@gmail.example ');
    expect(mailbox.line).toContain(' => someone@gmail.example ');
    expect(local.relayed?.decision).toMatchObject({ allowed: true, reason: 'auth' });
    expect(mailbox.relayed?.decision).toMatchObject({ allowed: true, reason: 'auth' });
  });

  test("when a migrated zone still carries the old host's record, then Exim logs the ** line of the reference (line A shape)", async () => {
    const { eximId, line } = await sendLocal('dave', 'dave@migrated.example');
    const match = LOCKDOWN_FAIL_LINE.exec(line);
    expect(match?.groups).toMatchObject({ id: eximId, rcpt: 'someone@gmail.example', domain: 'migrated.example' });
    expect(line).toMatch(/\*\* someone@gmail\.example R=mailchannels T=mailchannels_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\]: SMTP error/);
    expect(await exim.waitForLine(eximId, ['<='])).toMatch(/ <= dave@migrated\.example U=dave P=local S=\d+ id=/);
  });

  test('when the domain has no _mailchannels record, then the mail is delivered (no record, no restriction)', async () => {
    const { line, relayed } = await sendLocal('erin', 'erin@open.example');
    expect(line).toContain(' => someone@gmail.example ');
    expect(relayed?.decision).toEqual({ allowed: true, reason: 'no-record' });
  });

  test("when alice forges an X-AuthUser: bob header in her message, then the relay uses the one Exim added (alice's) and bob's record still rejects her", async () => {
    const { line, relayed } = await sendLocal('alice', 'bob@bob.example', ['X-AuthUser: bob']);
    expect(line).toContain('550 5.7.1 This sender is not authorized to send from bob.example.');
    expect(relayed?.senderId).toBe('webhostingm|x-authuser|alice');
  });

  test('when the DNS lookup fails, then the relay answers 451 and Exim defers (==) instead of bouncing', async () => {
    // A DNS server that receives every query and never answers: the lookup times out.
    const blackHole = createSocket('udp4');
    await new Promise<void>((resolve) => blackHole.bind(0, '127.0.0.1', () => resolve()));
    const silent = dnsTxtLookup({ address: '127.0.0.1', port: blackHole.address().port, timeoutMs: 200, retries: 0 });
    relay.setLookup(silent);
    try {
      const { line, relayed } = await sendLocal('bob', 'bob@bob.example');
      expect(line).toMatch(
        / == someone@gmail\.example R=mailchannels T=mailchannels_smtp defer \(-\d+\) H=127\.0\.0\.1 \[127\.0\.0\.1\]: SMTP error from remote mail server after end of data: 451 4\.4\.3 Temporary DNS failure checking Domain Lockdown for bob\.example/,
      );
      expect(relayed?.outcome).toBe('deferred');
    } finally {
      relay.useDns();
      silent.close();
      blackHole.close();
    }
  });

  test("when the transport appends @hostname to a bare login (docs/reference/mailchannels.md §9's second form), then bob's ID becomes bob@host.example.net and bob's record no longer admits him", async () => {
    const appending = await startExim({
      relayPort: relay.relay.port,
      relayUsername: PROVIDER.username,
      relayPassword: PROVIDER.password,
      xAuthUser: 'appendHostname',
    });
    try {
      const message = testMessage('bob@bob.example', 'someone@gmail.example', 'bob with the appending header form');
      await appending.submitLocal({ user: 'bob', envelopeFrom: 'bob@bob.example', message: message.text });
      const line = await appending.waitForLine(await appending.waitForArrival(`id=${message.messageId}`), ['=>', '**', '==']);
      expect(line).toContain('550 5.7.1 This sender is not authorized to send from bob.example.');
      const relayed = relay.relay.messages.find((m) => m.raw.toString('latin1').includes(message.messageId));
      expect(relayed?.senderId).toBe('webhostingm|x-authuser|bob@host.example.net');
    } finally {
      await appending.stop();
    }
  });

  test('when a client does not authenticate, then the relay refuses the mail', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: relay.relay.port, secure: false, ignoreTLS: true });
    try {
      await expect(transport.sendMail({ from: 'x@open.example', to: 'y@gmail.example', text: 'x' })).rejects.toMatchObject({
        responseCode: 530,
      });
    } finally {
      transport.close();
    }
  });
});
