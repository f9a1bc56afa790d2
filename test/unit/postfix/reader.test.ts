/**
 * The Postfix log reader on a fixture in the reference's line shapes (docs/reference/plesk.md §8):
 * failures and deferrals joined to sender and SASL login by queue id, the three timestamp forms,
 * rotations (gzip), `since` and the relay filter, incremental reads, and the same classifier the
 * Exim path uses (findBounces with the Postfix reader).
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { MemoryCursorStore } from '../../../src/adapters/exim/cursor';
import { parsePostfixLine, readPostfixFailures } from '../../../src/adapters/postfix';
import { findBounces } from '../../../src/usecases/bounces';

const FIXTURE = join(__dirname, '../../fixtures/postfix/maillog');

describe('Postfix log reader', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-postfix-log-'));
    log = join(dir, 'maillog');
    copyFileSync(FIXTURE, log);
    utimesSync(log, new Date(2026, 10, 28, 12), new Date(2026, 10, 28, 12));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('when a relay bounce follows its message, then the failure carries queue id, recipient, relay, reply, sender and SASL login', async () => {
    const { failures } = await readPostfixFailures({ log });
    expect(failures[0]).toMatchObject({
      messageId: '4F3A12345',
      kind: 'failed',
      recipient: 'rcpt@example.net',
      hostName: 'relay.mailchannels.net',
      hostIp: '23.83.209.1',
      sender: 'joe@migrated.example',
      authUser: 'joe@migrated.example',
      message:
        'host relay.mailchannels.net[23.83.209.1] said: 550 5.7.1 This sender is not authorized to send from migrated.example. (in reply to end of DATA command)',
    });
    expect(failures[0]?.time).toEqual(new Date(2026, 10, 28, 10, 0, 3));
    expect(failures.map((f) => [f.messageId, f.kind, f.recipient, f.originalRecipient])).toEqual([
      ['4F3A12345', 'failed', 'rcpt@example.net', null],
      ['6B7C8D9E0F', 'deferred', 'b@example.org', 'alias@example.com'],
      ['7C8D9E0F1A', 'failed', 'c@gmail.example', null],
    ]);
    expect(failures[1]?.authUser).toBe('uid 10012');
  });

  test('when the relay filter and since are given, then only that relay and that time on count', async () => {
    const { failures } = await readPostfixFailures({ log, relayHost: 'relay.mailchannels.net', since: new Date(2026, 10, 28, 10, 1) });
    expect(failures.map((f) => f.messageId)).toEqual(['6B7C8D9E0F']);
  });

  test('when lines use RFC 3339 or zero-padded days, then they parse to the same instants', () => {
    const year = () => 2026;
    const rfc = parsePostfixLine(
      '2026-11-28T10:00:03.123456+01:00 plesk postfix/smtp[1]: 4F3A12345: to=<a@b>, relay=none, delay=0, dsn=5.0.0, status=bounced (x)',
      year,
    );
    const padded = parsePostfixLine('Nov 08 10:00:03 plesk postfix/smtp[1]: 4F3A12345: removed', year);
    const spaced = parsePostfixLine('Nov  8 10:00:03 plesk postfix-out/smtp[1]: 4F3A12345: removed', year);
    expect(rfc?.time.toISOString()).toBe('2026-11-28T09:00:03.123Z');
    expect(padded?.time).toEqual(new Date(2026, 10, 8, 10, 0, 3));
    expect(spaced?.time).toEqual(padded?.time);
    expect(parsePostfixLine('Nov  8 10:00:03 plesk postfix/smtpd[1]: NOQUEUE: reject: RCPT from x', year)).toBeNull();
  });

  test('when the log was rotated and compressed, then the rotation is read first, inflated', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n');
    writeFileSync(join(dir, 'maillog-20261127.gz'), gzipSync(lines.slice(0, 7).join('\n') + '\n'));
    writeFileSync(log, lines.slice(7).join('\n'));
    const { failures, files } = await readPostfixFailures({ log });
    expect(files.map((f) => f.path)).toEqual([join(dir, 'maillog-20261127.gz'), log]);
    expect(failures.map((f) => f.messageId)).toEqual(['4F3A12345', '6B7C8D9E0F', '7C8D9E0F1A']);
  });

  test('when read again with a cursor, then only appended lines are read and a sender seen before still joins', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n');
    writeFileSync(log, lines.slice(0, 4).join('\n') + '\n');
    const store = new MemoryCursorStore();
    expect((await readPostfixFailures({ log, cursorStore: store })).failures).toEqual([]);
    appendFileSync(log, lines.slice(4).join('\n'));
    const second = await readPostfixFailures({ log, cursorStore: store });
    expect(second.files[0]?.from).toBeGreaterThan(0);
    expect(second.failures.map((f) => [f.messageId, f.sender])).toEqual([
      ['4F3A12345', 'joe@migrated.example'],
      ['6B7C8D9E0F', 'shop@example.com'],
      ['7C8D9E0F1A', null],
    ]);
    expect((await readPostfixFailures({ log, cursorStore: store })).failures).toEqual([]);
  });

  test("when Postfix's log goes through findBounces, then the classifier sees the lockdown rejection, the rate limit and the unknown recipient", async () => {
    const report = await findBounces({ log, provider: 'webhostingm' }, { readFailures: readPostfixFailures });
    expect(report.domains.map((d) => [d.domain, d.class])).toEqual([
      ['migrated.example', 'LOCKDOWN_REJECTED'],
      ['example.com', 'RATE_LIMITED'],
    ]);
    expect(report.events.map((e) => e.class)).toEqual(['LOCKDOWN_REJECTED', 'RATE_LIMITED', 'RECIPIENT_INVALID']);
    expect(report.problems).toBe(true);
    expect(report.accounts.find((a) => a.authUser === 'joe@migrated.example')?.worstClass).toBe('LOCKDOWN_REJECTED');
  });
});
