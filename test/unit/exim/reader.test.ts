import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { readEximFailures } from '../../../src/adapters/exim';
import { isFixEmailAuthError } from '../../../src/errors';
import { fixture, rows, seeded, tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

describe('readEximFailures on the reference lines A–F (docs/reference/jetbackup-and-exim.md §2.6–2.7)', () => {
  it('when every example line is read, then each failure is found once with its sender when the arrival is there', async () => {
    const { rows: r } = await rows({ log: fixture('reference-lines.mainlog'), includeRotated: false });
    expect(r).toEqual([
      // A: failure listed before its arrival (as the reference lists them); joined when the arrival comes
      {
        id: '1xXRz5-0002X2-2t',
        kind: 'failed',
        rcpt: 'someone@gmail.example',
        sender: 'tiff@example.com',
        authUser: 'root',
        host: '127.0.0.1',
      },
      // B: arrival first (cPanel-style SMTP AUTH, §2.9)
      {
        id: '1xXQ0b-0004Qx-2Z',
        kind: 'failed',
        rcpt: 'someone@gmail.example',
        sender: 'joe@example.com',
        authUser: 'joe@example.com',
        host: 'smtp.mailchannels.net',
      },
      // C and D: ≥ 4.99 lines without their arrival
      {
        id: '1xXQ0b-00000004Qx2-AbCd',
        kind: 'failed',
        rcpt: 'someone@gmail.example',
        sender: null,
        authUser: null,
        host: 'smtp.mailchannels.net',
      },
      { id: '1xXRz5-00000002X2a-2tQp', kind: 'failed', rcpt: 'someone@gmail.example', sender: null, authUser: null, host: '127.0.0.1' },
      { id: '10HmbA-000000005vi-0000', kind: 'failed', rcpt: 'd@test.ex', sender: null, authUser: null, host: '127.0.0.1' },
      { id: '10HmbB-000000005vj-0000', kind: 'failed', rcpt: 'f1@test.ex', sender: null, authUser: null, host: '127.0.0.1' },
      { id: '17SXDU-000189-00', kind: 'failed', rcpt: 'ace400@pb.example', sender: null, authUser: null, host: 'pbmail3.py.example' },
      // §2.7 deferral; its flagless per-host twin is not counted
      { id: '10HmbC-000000005vk-0000', kind: 'deferred', rcpt: 'userx@x.y', sender: null, authUser: null, host: '127.0.0.1' },
    ]);
  });

  it('when line A is read, then the message is the SMTP error after the fields', async () => {
    const { result } = await rows({ log: fixture('reference-lines.mainlog'), includeRotated: false });
    const a = result.failures.find((f) => f.messageId === '1xXRz5-0002X2-2t');
    expect(a?.message).toBe(
      'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    );
    expect(a?.time.getTime()).toBe(new Date(2026, 10, 28, 23, 37, 35).getTime());
  });
});

describe('readEximFailures on logs written by a real Exim 4.96', () => {
  it('when the +pid log is read, then every ** and == attempt is found, queue-run retry lines are not', async () => {
    const { rows: r, result } = await rows({ log: fixture('real', 'exim-4.96-pid.mainlog') });
    expect(r.map((x) => [x.id, x.kind, x.rcpt, x.sender, x.authUser])).toEqual([
      ['1xXST9-0002VK-2S', 'failed', 'someone@gmail.example', 'tiff@example.com', 'root'],
      ['1xXSTA-0002Vm-0S', 'failed', 'friend@gmail.example', 'bob@spf.example', 'root'],
      ['1xXSTA-0002Vu-1E', 'failed', 'nouser@gmail.example', 'carol@good.example', 'root'],
      ['1xXSTA-0002Vu-1E', 'deferred', 'ratelimit@gmail.example', 'carol@good.example', 'root'],
      ['1xXSTA-0002W2-21', 'failed', 'multi@gmail.example', 'dave@good.example', 'root'],
      ['1xXSTA-0002WA-2n', 'deferred', 'tempfail@gmail.example', 'erin@good.example', 'root'],
      ['1xXSTC-0002Wi-0W', 'failed', 'x@gmail.example', 'joe@shop.example.co.uk', 'joe@shop.example.co.uk'],
      ['1xXSTC-0002Wl-0Z', 'failed', 'nouser@gmail.example', 'sam@good.example', 'sam@good.example'],
      ['1xXSTZ-0002by-1b', 'failed', 'rcpt@multi.test', 'dave@good.example', 'root'],
      ['1xXSTZ-0002c6-2B', 'failed', 'rcpt@tls.test', 'tiff@example.com', 'root'],
    ]);
    expect(result.failures.find((f) => f.recipient === 'rcpt@multi.test')?.message).toContain(
      '550-5.7.1 This sender is not authorized to send from multi.example.\\n550-5.7.1 See',
    );
  });

  it('when the +millisec log_timezone log is read, then times carry the logged offset and milliseconds', async () => {
    const { result } = await rows({ log: fixture('real', 'exim-4.96-millisec-tz.mainlog') });
    expect(result.failures.map((f) => [f.messageId, f.time.toISOString(), f.hostIp, f.sender])).toEqual([
      ['1xXSTZ-0002cE-31', '2026-11-29T00:09:06.051Z', '127.0.0.1', 'tiff@example.com'],
      ['1xXSTa-0002cM-0Z', '2026-11-29T00:09:06.298Z', '127.0.0.1', 'tiff@example.com'],
      ['1xXSTa-0002cU-1M', '2026-11-29T00:09:06.536Z', '127.0.0.1', 'erin@good.example'],
    ]);
  });
});

describe('readEximFailures on a cPanel day', () => {
  const log = fixture('cpanel-day.mainlog');

  it('when read without filters, then 11 failures are found with forged identities ignored', async () => {
    const { rows: r } = await rows({ log, includeRotated: false });
    expect(r.map((x) => [x.id, x.rcpt, x.authUser])).toEqual([
      ['1xY0aa-0001Aa-Ab', 'someone@gmail.example', 'joe@shop.example.co.uk'],
      ['1xY1Bc-0000000Ab3c-Xy9Z', 'buyer@yahoo.example', 'alice'],
      ['1xY3De-0003De-Fg', 'partner@outlook.example', 'bob@spf-broken.example'],
      ['1xY4Ef-0004Ef-Gh', 'nobody@gmail.example', 'carol'],
      ['1xY5Fg-0005Fg-Hi', 'reader@gmail.example', 'newsletter@example.org'],
      ['1xY7Gh-0007Gh-Ij', 'victim@hotmail.example', 'spammer'],
      ['1xY8Hi-0008Hi-Jk', 'client@gmail.example', 'erin@multi.example'],
      ['1xY9Ij-0009Ij-Kl', 'frank@mx.partner.example', 'frank'],
      ['1xYAJk-000AJk-Lm', 'lost@gmail.example', null],
      ['1xYBKl-000BKl-Mn', 'someone@yahoo.example', 'grace@example.org'],
      ['1xYDMn-000DMn-Op', 'trunc', null],
    ]);
  });

  it('when a relay host is given, then failures without that H= (local limits, other MX) are left out', async () => {
    const { rows: r } = await rows({ log, includeRotated: false, relayHost: 'SMTP.MailChannels.net.' });
    expect(r.map((x) => x.id)).toEqual([
      '1xY0aa-0001Aa-Ab',
      '1xY1Bc-0000000Ab3c-Xy9Z',
      '1xY3De-0003De-Fg',
      '1xY4Ef-0004Ef-Gh',
      '1xY5Fg-0005Fg-Hi',
      '1xY8Hi-0008Hi-Jk',
      '1xYAJk-000AJk-Lm',
      '1xYBKl-000BKl-Mn',
    ]);
  });

  it('when the relay is given as an IP, then the bracketed address matches', async () => {
    const { rows: r } = await rows({ log, includeRotated: false, relayHost: '203.0.113.8' });
    expect(r.map((x) => x.id)).toEqual(['1xY1Bc-0000000Ab3c-Xy9Z']);
  });

  it('when since is given, then only failures logged at or after it count (arrivals before it still give the sender)', async () => {
    const { rows: r } = await rows({ log, includeRotated: false, since: new Date(2026, 10, 28, 8, 45, 11, 1) });
    expect(r.map((x) => [x.id, x.authUser])).toEqual([
      ['1xY8Hi-0008Hi-Jk', 'erin@multi.example'],
      ['1xY9Ij-0009Ij-Kl', 'frank'],
      ['1xYAJk-000AJk-Lm', null],
      ['1xYBKl-000BKl-Mn', 'grace@example.org'],
      ['1xYDMn-000DMn-Op', null],
    ]);
  });

  it('when the log has CRLF line ends, then the result is the same', async () => {
    const { rows: expected } = await rows({ log, includeRotated: false });
    const crlf = join(t.dir, 'crlf.mainlog');
    const { readFileSync } = await import('fs');
    writeFileSync(crlf, readFileSync(log, 'utf8').replace(/\n/g, '\r\n'));
    expect((await rows({ log: crlf, includeRotated: false })).rows).toEqual(expected);
  });
});

describe('readEximFailures: memory bounds', () => {
  it('when more messages are open than the limit, then the oldest arrivals are evicted and counted, never the newest', async () => {
    const log = join(t.dir, 'many-open.mainlog');
    let text = '';
    for (let i = 0; i < 50; i++)
      text += `2026-11-28 10:00:00 1xY0aa-0000${String(i).padStart(2, '0')}-Ab <= u${i}@example.org U=u${i} P=local S=1\n`;
    text += '2026-11-28 10:00:01 1xY0aa-000000-Ab ** a@gmail.example R=r T=t: 550 5.1.1 user unknown\n';
    text += '2026-11-28 10:00:01 1xY0aa-000049-Ab ** a@gmail.example R=r T=t: 550 5.1.1 user unknown\n';
    writeFileSync(log, text);
    const result = await readEximFailures({ log, includeRotated: false, limits: { maxOpenMessages: 10 } });
    expect(result.evictedArrivals).toBe(40);
    expect(result.failures.map((f) => [f.messageId, f.sender])).toEqual([
      ['1xY0aa-000049-Ab', 'u49@example.org'],
      ['1xY0aa-000000-Ab', null],
    ]);
  });

  it('when the recent-arrival ring spills into the table, then the limit counts both and the newest keep their senders', async () => {
    const log = join(t.dir, 'ring-spill.mainlog');
    const id = (i: number) => `1xY1aa-${String(i).padStart(6, '0')}-Ab`;
    let text = '';
    for (let i = 0; i < 1000; i++) text += `2026-11-28 10:00:00 ${id(i)} <= u${i}@example.org U=u${i} P=local S=1\n`;
    for (const i of [0, 699, 700, 935, 936, 999])
      text += `2026-11-28 10:00:01 ${id(i)} ** a@gmail.example R=r T=t: 550 5.1.1 user unknown\n`;
    writeFileSync(log, text);
    const result = await readEximFailures({ log, includeRotated: false, limits: { maxOpenMessages: 300 } });
    expect(result.evictedArrivals).toBe(700);
    expect(result.failures.map((f) => [f.messageId, f.sender])).toEqual([
      [id(700), 'u700@example.org'],
      [id(935), 'u935@example.org'],
      [id(936), 'u936@example.org'],
      [id(999), 'u999@example.org'],
      [id(0), null],
      [id(699), null],
    ]);
  });

  it('when a failure waits for its arrival longer than the window, then it is emitted without a sender (bounded waiting)', async () => {
    const log = join(t.dir, 'orphan.mainlog');
    const orphan = '2026-11-28 10:00:00 1xY2aa-000000-Ab ** a@gmail.example R=r T=t: 550 5.1.1 user unknown\n';
    let text = orphan;
    for (let i = 1; i <= 2500; i++)
      text += `2026-11-28 10:00:01 1xY2aa-${String(i).padStart(6, '0')}-Ab <= u${i}@example.org U=u${i} P=local S=1\n`;
    text += '2026-11-28 10:00:02 1xY2aa-000000-Ab <= late@example.org U=late P=local S=1\n';
    writeFileSync(log, text);
    const result = await readEximFailures({ log, includeRotated: false });
    expect(result.failures.map((f) => [f.messageId, f.sender])).toEqual([['1xY2aa-000000-Ab', null]]);
  });

  it('when Completed passes, then the arrival is dropped: a later failure with the same id has no sender', async () => {
    const log = join(t.dir, 'completed.mainlog');
    writeFileSync(
      log,
      '2026-11-28 10:00:00 1xY0aa-0001Aa-Ab <= a@example.org U=a P=local S=1\n2026-11-28 10:00:01 1xY0aa-0001Aa-Ab Completed\n2026-11-28 10:00:02 1xY0aa-0001Aa-Ab ** x@gmail.example R=r T=t: 550 5.1.1 user unknown\n',
    );
    const result = await readEximFailures({ log, includeRotated: false });
    expect(result.failures.map((f) => f.sender)).toEqual([null]);
  });
});

describe('readEximFailures: rotated and compressed files', () => {
  it('when the log has dated and numbered rotations, some gzipped, then all are read oldest first and joins cross files', async () => {
    const dir = join(t.dir, 'rot');
    mkdirSync(dir);
    const main = join(dir, 'exim_mainlog');
    const arrival = '2026-11-26 23:59:59 1xA000-0000A1-Aa <= old@example.org U=old P=local S=1\n';
    const fail = (day: string, id: string) =>
      `2026-11-${day} 10:00:00 ${id} ** r@gmail.example R=r T=t H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from d${day}.example.\n`;
    writeFileSync(`${main}-20261125.gz`, gzipSync(fail('25', '1xA000-0000A0-Aa')));
    writeFileSync(`${main}-20261126`, arrival);
    writeFileSync(`${main}-20261127.gz`, gzipSync(fail('27', '1xA000-0000A1-Aa')));
    writeFileSync(main, fail('28', '1xA000-0000A2-Aa'));
    writeFileSync(`${main}-notes.txt`, fail('29', '1xA000-0000A3-Aa'));
    const result = await readEximFailures({ log: main });
    expect(result.files.map((f) => f.path.slice(dir.length + 1))).toEqual([
      'exim_mainlog-20261125.gz',
      'exim_mainlog-20261126',
      'exim_mainlog-20261127.gz',
      'exim_mainlog',
    ]);
    expect(result.failures.map((f) => [f.message.slice(-12), f.sender])).toEqual([
      ['d25.example.', null],
      ['d27.example.', 'old@example.org'],
      ['d28.example.', null],
    ]);
  });

  it('when rotations are numbered, then .3 is older than .2 is older than .1', async () => {
    const dir = join(t.dir, 'num');
    mkdirSync(dir);
    const main = join(dir, 'mainlog');
    for (const [name, day] of [
      ['.3.gz', '25'],
      ['.2', '26'],
      ['.1', '27'],
      ['', '28'],
    ] as const) {
      const body = `2026-11-${day} 10:00:00 1xA000-000B${day}-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown\n`;
      writeFileSync(main + name, name.endsWith('.gz') ? gzipSync(body) : body);
    }
    const result = await readEximFailures({ log: main });
    expect(result.failures.map((f) => f.messageId)).toEqual([
      '1xA000-000B25-Aa',
      '1xA000-000B26-Aa',
      '1xA000-000B27-Aa',
      '1xA000-000B28-Aa',
    ]);
  });

  it('when a rotated .gz is corrupt, then it is skipped with a warning and the others are still read', async () => {
    const dir = join(t.dir, 'corrupt');
    mkdirSync(dir);
    const main = join(dir, 'exim_mainlog');
    writeFileSync(`${main}-20261127.gz`, Buffer.from('not gzip at all'));
    writeFileSync(main, '2026-11-28 10:00:00 1xA000-0000C1-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown\n');
    const result = await readEximFailures({ log: main });
    expect(result.failures).toHaveLength(1);
    expect(result.warnings.join('\n')).toMatch(/exim_mainlog-20261127\.gz.*gzip/);
  });

  it('when since is long after a rotation was last written, then that rotation is not even opened', async () => {
    const dir = join(t.dir, 'since-skip');
    mkdirSync(dir);
    const main = join(dir, 'exim_mainlog');
    writeFileSync(`${main}-20200101`, '2020-01-01 10:00:00 1xA000-0000D1-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown\n');
    const { utimesSync } = await import('fs');
    utimesSync(`${main}-20200101`, new Date(2020, 0, 1), new Date(2020, 0, 1));
    writeFileSync(main, '');
    const result = await readEximFailures({ log: main, since: new Date(2026, 0, 1) });
    expect(result.files.map((f) => f.path)).toEqual([main]);
  });

  it('when the given log is itself a .gz file, then it is inflated and read alone', async () => {
    const gz = join(t.dir, 'single.mainlog.gz');
    writeFileSync(
      gz,
      gzipSync(
        '2026-11-28 10:00:00 1xA000-0000E1-Aa <= s@example.org U=s P=local S=1\n2026-11-28 10:00:01 1xA000-0000E1-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown\n',
      ),
    );
    const result = await readEximFailures({ log: gz });
    expect(result.failures.map((f) => f.sender)).toEqual(['s@example.org']);
  });
});

describe('readEximFailures: bad input', () => {
  it('when the log does not exist, then BAD_INPUT names the file', async () => {
    const err = await readEximFailures({ log: join(t.dir, 'nope.log') }).catch((e: unknown) => e);
    expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
    expect((err as Error).message).toMatch(/nope\.log: no such file/);
  });

  it('when the log is a directory, then BAD_INPUT', async () => {
    const err = await readEximFailures({ log: t.dir }).catch((e: unknown) => e);
    expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
  });

  it('when the file is random bytes with a 10 MB line and NULs, then nothing is found, nothing throws, the long line is counted', async () => {
    const rand = seeded(42);
    const junk = Buffer.alloc(3 << 20);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
    const good = Buffer.from('2026-11-28 10:00:00 1xA000-0000F1-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown\n');
    const long = Buffer.alloc(10 << 20, 0x41);
    const log = join(t.dir, 'junk.mainlog');
    writeFileSync(
      log,
      Buffer.concat([junk, Buffer.from('\n'), long, Buffer.from('\n'), good, Buffer.alloc(100, 0), Buffer.from('\n'), good]),
    );
    const result = await readEximFailures({ log, includeRotated: false });
    expect(result.failures.map((f) => f.messageId)).toEqual(['1xA000-0000F1-Aa', '1xA000-0000F1-Aa']);
    expect(result.skippedLongLines).toBeGreaterThanOrEqual(1);
  });

  it('when the file is empty or has no final newline, then the last line is still read', async () => {
    const empty = join(t.dir, 'empty.mainlog');
    writeFileSync(empty, '');
    expect((await readEximFailures({ log: empty, includeRotated: false })).failures).toEqual([]);
    const noNl = join(t.dir, 'nonl.mainlog');
    writeFileSync(noNl, '2026-11-28 10:00:00 1xA000-0000G1-Aa ** r@x.example R=r T=t: 550 5.1.1 unknown');
    expect((await readEximFailures({ log: noNl, includeRotated: false })).failures).toHaveLength(1);
  });
});
