/**
 * Following one message in an Exim main log that grows while we watch: lines written before the
 * mark are ignored, the arrival is found by its Message-ID (or subject marker), the outcome by the
 * message's own id; rotation restarts reading; the deadline ends the wait.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { followMessage, markLog } from '../../../src/adapters/mail/followLog';

const MATCH = { messageId: 'fea-test-0123456789abcdef@example.com', subjectMarker: '0123456789abcdef' };
const ARRIVAL =
  '2026-11-28 23:37:35 [9630] 1xXRz5-0002X2-2t <= tiff@example.com U=alice P=local S=344 id=fea-test-0123456789abcdef@example.com T="Fix Email Authorization test 0123456789abcdef"';
const OTHER_ARRIVAL = '2026-11-28 23:37:35 [9631] 1xXRz6-0002X3-3u <= bob@example.com U=bob P=local S=300 id=other@example.com T="hello"';
const DELIVERED =
  '2026-11-28 23:37:36 [9632] 1xXRz5-0002X2-2t => someone@gmail.example R=mailchannels T=mailchannels_smtp H=127.0.0.1 [127.0.0.1] A=mailchannels_login C="250 2.0.0 Message accepted for delivery"';
const OTHER_BOUNCE =
  '2026-11-28 23:37:36 [9633] 1xXRz6-0002X3-3u ** x@gmail.example R=mailchannels T=mailchannels_smtp H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.';
const BOUNCED =
  '2026-11-28 23:37:36 [9632] 1xXRz5-0002X2-2t ** someone@gmail.example R=mailchannels T=mailchannels_smtp H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.';
const DEFERRED =
  '2026-11-28 23:37:36 [9632] 1xXRz5-0002X2-2t == someone@gmail.example R=mailchannels T=mailchannels_smtp defer (-46) H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 451 4.4.3 Temporary DNS failure';

describe('followMessage', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-follow-'));
    log = join(dir, 'mainlog');
    writeFileSync(log, '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const later = (fn: () => void, ms = 30) => setTimeout(fn, ms);

  test('when the arrival and a delivery are appended after the mark, then the result is delivered with the relay confirmation', async () => {
    const mark = await markLog(log);
    later(() => appendFileSync(log, `${OTHER_ARRIVAL}\n${ARRIVAL}\n${OTHER_BOUNCE}\n${DELIVERED}\n`));
    const result = await followMessage(mark, MATCH, { timeoutMs: 5000, pollMs: 10 });
    expect(result).toMatchObject({
      state: 'delivered',
      timedOut: false,
      eximId: '1xXRz5-0002X2-2t',
      recipient: 'someone@gmail.example',
      host: '127.0.0.1',
      hostIp: '127.0.0.1',
      reply: '250 2.0.0 Message accepted for delivery',
    });
    expect(result.lines).toEqual([ARRIVAL, DELIVERED]);
  });

  test('when an older run of the same message is in the log before the mark, then it is not taken for this one', async () => {
    writeFileSync(log, `${ARRIVAL}\n${BOUNCED}\n`);
    const mark = await markLog(log);
    const result = await followMessage(mark, MATCH, { timeoutMs: 300, pollMs: 10 });
    expect(result).toMatchObject({ state: 'unseen', timedOut: true, eximId: null });
  });

  test('when a line arrives in two writes, then it is read only once it is complete', async () => {
    const mark = await markLog(log);
    const half = Math.floor(BOUNCED.length / 2);
    appendFileSync(log, `${ARRIVAL}\n${BOUNCED.slice(0, half)}`);
    later(() => appendFileSync(log, `${BOUNCED.slice(half)}\n`), 60);
    const result = await followMessage(mark, MATCH, { timeoutMs: 5000, pollMs: 10 });
    expect(result).toMatchObject({
      state: 'bounced',
      reply: 'SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    });
  });

  test('when the message is only deferred, then we keep waiting and report the deferral when the time is up', async () => {
    const mark = await markLog(log);
    appendFileSync(log, `${ARRIVAL}\n${DEFERRED}\n`);
    const result = await followMessage(mark, MATCH, { timeoutMs: 300, pollMs: 10 });
    expect(result).toMatchObject({ state: 'deferred', timedOut: true, reply: expect.stringContaining('451 4.4.3 Temporary DNS failure') });
  });

  test('when a deferral is followed by a delivery, then the final state is delivered', async () => {
    const mark = await markLog(log);
    appendFileSync(log, `${ARRIVAL}\n${DEFERRED}\n`);
    later(() => appendFileSync(log, `${DELIVERED}\n`), 80);
    const result = await followMessage(mark, MATCH, { timeoutMs: 5000, pollMs: 10 });
    expect(result.state).toBe('delivered');
    expect(result.lines).toHaveLength(3);
  });

  test('when the log selector has no id=, then the subject marker finds the arrival', async () => {
    const mark = await markLog(log);
    appendFileSync(log, `${ARRIVAL.replace(/ id=\S+/, '')}\n${DELIVERED}\n`);
    expect((await followMessage(mark, MATCH, { timeoutMs: 2000, pollMs: 10 })).state).toBe('delivered');
  });

  test('when only the arrival appears, then the result is queued after the deadline', async () => {
    const mark = await markLog(log);
    appendFileSync(log, `${ARRIVAL}\n`);
    expect(await followMessage(mark, MATCH, { timeoutMs: 200, pollMs: 10 })).toMatchObject({
      state: 'queued',
      timedOut: true,
      eximId: '1xXRz5-0002X2-2t',
    });
  });

  test('when the log is rotated after the mark, then the new file is read from its start', async () => {
    appendFileSync(log, `${OTHER_ARRIVAL}\n`.repeat(50));
    const mark = await markLog(log);
    later(() => {
      renameSync(log, `${log}.1`);
      writeFileSync(log, `${ARRIVAL}\n${DELIVERED}\n`);
    });
    expect((await followMessage(mark, MATCH, { timeoutMs: 5000, pollMs: 10 })).state).toBe('delivered');
  });

  test('when the log does not exist yet at mark time, then it is read once it appears', async () => {
    rmSync(log);
    const mark = await markLog(log);
    expect(mark.offset).toBe(0);
    later(() => writeFileSync(log, `${ARRIVAL}\n${BOUNCED}\n`));
    expect((await followMessage(mark, MATCH, { timeoutMs: 5000, pollMs: 10 })).state).toBe('bounced');
  });

  test("when another message's arrival carries our marker only after S= in a forged field, then the id= match still decides", async () => {
    const mark = await markLog(log);
    const forged = OTHER_ARRIVAL.replace('T="hello"', 'T="id=fea-test-0123456789abcdef@example.com"');
    appendFileSync(log, `${forged}\n${OTHER_BOUNCE}\n${ARRIVAL}\n${DELIVERED}\n`);
    const result = await followMessage(mark, MATCH, { timeoutMs: 2000, pollMs: 10 });
    expect(result).toMatchObject({ state: 'delivered', eximId: '1xXRz5-0002X2-2t' });
  });
});
