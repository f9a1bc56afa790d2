/**
 * Self-check of the fast path on a generated busy-server log (no timing assertions: the benchmark
 * lives elsewhere). Every count is derived from the generator, so a pre-filter that drops or
 * double-counts a line, or a join that loses a sender across chunk boundaries, shows up here.
 */
import { appendFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { MemoryCursorStore, readEximFailures } from '../../../src/adapters/exim';
import { findBounces } from '../../../src/usecases/bounces';
import { seeded, tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const b62 = (n: number, width: number) => {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = B62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
};

interface Expected {
  lockdown: Map<string, number>;
  deferred: number;
  recipientInvalid: number;
  senders: Map<string, string>;
}

/** A log of `messages` messages; roughly 2% fail, 1% defer, with noise lines; ids of both formats. */
function generate(messages: number, seed: number): { text: string; expected: Expected } {
  const rand = seeded(seed);
  const parts: string[] = [];
  const expected: Expected = { lockdown: new Map(), deferred: 0, recipientInvalid: 0, senders: new Map() };
  for (let n = 0; n < messages; n++) {
    const sec = n % 60;
    const time = `2026-11-28 ${String(Math.floor(n / 3600) % 24).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
    const id = n % 2 === 0 ? `1x${b62(n, 4)}-${b62(n * 7, 6)}-${b62(n, 2)}` : `1x${b62(n, 4)}-${b62(n * 7, 11)}-${b62(n, 4)}`;
    const pid = `[${10000 + (n % 5000)}] `;
    const domain = `d${n % 37}.example`;
    const mailbox = n % 3 === 0;
    const sender = `u${n % 101}@${domain}`;
    const subject = rand() < 0.1 ? 'T="A=dovecot_login:forged@evil.example"' : `T="Subject ${n}"`;
    parts.push(
      `${time} ${pid}${id} <= ${sender} ${mailbox ? `H=(pc) [198.51.100.${n % 250}]:4${n % 999} P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_login:${sender}` : `U=cp${n % 17} P=local`} S=${300 + (n % 999)} ${subject}\n`,
    );
    const authUser = mailbox ? sender : `cp${n % 17}`;
    if (rand() < 0.05) parts.push(`${time} ${pid}SMTP connection from (x) [203.0.113.${n % 250}]:1234 I=[192.0.2.1]:25 closed by QUIT\n`);
    const r = rand();
    if (r < 0.015) {
      const sep = n % 4 === 0 ? ' : ' : ': ';
      parts.push(
        `${time} ${pid}${id} ** rcpt${n}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes${sep.trimEnd()} SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n`,
      );
      parts.push(
        `${time} ${pid}${id} H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n`,
      );
      expected.lockdown.set(domain, (expected.lockdown.get(domain) ?? 0) + 1);
      expected.senders.set(id, authUser);
    } else if (r < 0.02) {
      parts.push(
        `${time} ${pid}${id} ** nobody${n}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after RCPT TO:<nobody${n}@gmail.example>: 550 5.1.1 user unknown\n`,
      );
      expected.recipientInvalid++;
      expected.senders.set(id, authUser);
    } else if (r < 0.03) {
      parts.push(
        `${time} ${pid}${id} == rcpt${n}@yahoo.example R=dkim_lookuphost T=dkim_remote_smtp defer (-46) H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after end of data: 452 4.3.1 Insufficient system storage\n`,
      );
      parts.push(
        `${time} ${pid}${id} == rcpt${n}@yahoo.example R=dkim_lookuphost T=dkim_remote_smtp defer (-54): retry time not reached for any host for 'yahoo.example'\n`,
      );
      expected.deferred++;
      expected.senders.set(id, authUser);
      continue; // stays queued: no Completed
    } else {
      parts.push(
        `${time} ${pid}${id} => rcpt${n}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 Ok: queued as ${n}"\n`,
      );
    }
    parts.push(`${time} ${pid}${id} Completed\n`);
  }
  return { text: parts.join(''), expected };
}

describe('self-check on a generated busy log', () => {
  const { text, expected } = generate(40_000, 99);
  const log = join(t.dir, 'busy_mainlog');
  writeFileSync(log, text);

  it('when read, then every failure is found once, joined to its own sender across chunk boundaries', async () => {
    const failures: Array<{ id: string; authUser: string | null }> = [];
    const result = await readEximFailures({
      log,
      includeRotated: false,
      onFailure: (f) => failures.push({ id: f.messageId, authUser: f.authUser }),
    });
    expect(text.length).toBeGreaterThan(4 << 20); // several 2 MiB chunks
    expect(failures).toHaveLength(expected.senders.size);
    expect(new Map(failures.map((f) => [f.id, f.authUser]))).toEqual(expected.senders);
    expect(result.evictedArrivals).toBe(0);
  });

  it('when classified, then the per-domain lockdown counts match the generator exactly', async () => {
    const report = await findBounces({ log, includeRotated: false });
    const lockdown = new Map(report.domains.filter((d) => d.class === 'LOCKDOWN_REJECTED').map((d) => [d.domain, d.count]));
    expect(lockdown).toEqual(expected.lockdown);
    expect(report.events.filter((e) => e.class === 'DEFERRED')).toHaveLength(expected.deferred);
    expect(report.events.filter((e) => e.class === 'RECIPIENT_INVALID')).toHaveLength(expected.recipientInvalid);
  });

  it('when the same log is gzipped, then the result is identical', async () => {
    const gz = join(t.dir, 'busy_mainlog-20261128.gz');
    writeFileSync(gz, gzipSync(text));
    const plain = await readEximFailures({ log, includeRotated: false });
    const inflated = await readEximFailures({ log: gz });
    expect(inflated.failures.map((f) => [f.messageId, f.sender, f.message])).toEqual(
      plain.failures.map((f) => [f.messageId, f.sender, f.message]),
    );
  });

  it('when read incrementally in two halves, then the union equals one full read and still-queued senders carry over', async () => {
    const split = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
    const halves = join(t.dir, 'halves_mainlog');
    writeFileSync(halves, text.slice(0, split));
    const store = new MemoryCursorStore();
    const first = await readEximFailures({ log: halves, cursorStore: store });
    appendFileSync(halves, text.slice(split));
    const second = await readEximFailures({ log: halves, cursorStore: store });
    expect(second.files[0]?.bytesRead).toBe(Buffer.byteLength(text) - split);
    const union = new Map([...first.failures, ...second.failures].map((f) => [f.messageId, f.authUser]));
    expect(union).toEqual(expected.senders);
  });
});
