import { appendFileSync, mkdirSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { JsonFileCursorStore, LogCursorStore, MemoryCursorStore, readEximFailures } from '../../../src/adapters/exim';
import { isFixEmailAuthError } from '../../../src/errors';
import { tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

let n = 0;
/** A message that arrives and fails (lockdown) — two lines, a unique id. */
function message(domain: string, opts: { arrival?: boolean; complete?: boolean } = {}): { id: string; sender: string; text: string } {
  n++;
  const id = `1xB${String(n).padStart(3, '0')}-0000${String(n).padStart(2, '0')}-Zz`;
  const sender = `user${n}@${domain}`;
  let text = '';
  if (opts.arrival !== false) text += `2026-11-28 10:00:00 ${id} <= ${sender} U=user${n} P=local S=10\n`;
  text += `2026-11-28 10:00:01 ${id} ** r@gmail.example R=r T=t H=127.0.0.1 [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n`;
  if (opts.complete !== false) text += `2026-11-28 10:00:01 ${id} Completed\n`;
  return { id, sender, text };
}

function newLogDir(name: string): string {
  const dir = join(t.dir, name);
  mkdirSync(dir);
  return join(dir, 'exim_mainlog');
}

async function look(log: string, store: LogCursorStore) {
  const r = await readEximFailures({ log, cursorStore: store });
  return {
    ids: r.failures.map((f) => f.messageId),
    senders: r.failures.map((f) => f.sender),
    bytesRead: r.files.reduce((s, f) => s + f.bytesRead, 0),
    result: r,
  };
}

describe('incremental reading with a cursor store', () => {
  it('when nothing was appended, then the second look reads no bytes and finds nothing new', async () => {
    const log = newLogDir('same');
    const m1 = message('a.example');
    writeFileSync(log, m1.text);
    const store = new MemoryCursorStore();
    expect((await look(log, store)).ids).toEqual([m1.id]);
    const again = await look(log, store);
    expect(again.ids).toEqual([]);
    expect(again.bytesRead).toBe(0);
  });

  it('when lines were appended to a large log, then only the new bytes are read', async () => {
    const log = newLogDir('append');
    const filler = '2026-11-28 09:00:00 1xZZZZ-000000-00 => x@y.example R=r T=t H=h [1.2.3.4] C="250 ok"\n'.repeat(20_000);
    writeFileSync(log, filler);
    const store = new MemoryCursorStore();
    await look(log, store);
    const m = message('b.example');
    appendFileSync(log, m.text);
    const second = await look(log, store);
    expect(second.ids).toEqual([m.id]);
    expect(second.bytesRead).toBe(Buffer.byteLength(m.text));
  });

  it('when the last line is still being written, then it is left for the next look and then read whole', async () => {
    const log = newLogDir('partial');
    const m = message('c.example');
    const cut = m.text.indexOf(' R=r');
    writeFileSync(log, m.text.slice(0, cut));
    const store = new MemoryCursorStore();
    expect((await look(log, store)).ids).toEqual([]);
    appendFileSync(log, m.text.slice(cut));
    const second = await look(log, store);
    expect(second.ids).toEqual([m.id]);
    expect(second.senders).toEqual([m.sender]);
  });

  it('when a message arrived before the last look and fails after it, then its sender is still known (open arrivals persist)', async () => {
    const log = newLogDir('open');
    const store = new MemoryCursorStore();
    const id = '1xC000-000001-Aa';
    writeFileSync(log, `2026-11-28 10:00:00 ${id} <= early@d.example A=dovecot_login:early@d.example P=esmtpa S=1\n`);
    await look(log, store);
    appendFileSync(
      log,
      `2026-11-28 11:00:00 ${id} ** r@x.example R=r T=t: 550 5.7.1 This sender is not authorized to send from d.example.\n`,
    );
    const second = await look(log, store);
    expect(second.result.failures.map((f) => [f.sender, f.authUser])).toEqual([['early@d.example', 'early@d.example']]);
  });

  it('when logrotate renamed the log and started a new one, then the rest of the old file and the new file are read once', async () => {
    const log = newLogDir('rename');
    const store = new MemoryCursorStore();
    const m1 = message('r1.example');
    writeFileSync(log, m1.text);
    expect((await look(log, store)).ids).toEqual([m1.id]);
    const m2 = message('r2.example');
    appendFileSync(log, m2.text); // written before the rotation, not yet seen
    renameSync(log, `${log}-20261128`);
    const m3 = message('r3.example');
    writeFileSync(log, m3.text);
    const second = await look(log, store);
    expect(second.ids).toEqual([m2.id, m3.id]);
    expect((await look(log, store)).ids).toEqual([]);
  });

  it('when the rotated file was also compressed, then it is found by its content and read from the offset', async () => {
    const log = newLogDir('gz');
    const store = new MemoryCursorStore();
    const m1 = message('g1.example');
    writeFileSync(log, m1.text);
    await look(log, store);
    const m2 = message('g2.example');
    appendFileSync(log, m2.text);
    writeFileSync(`${log}-20261128.gz`, gzipSync(readFileSync(log)));
    unlinkSync(log);
    const m3 = message('g3.example');
    writeFileSync(log, m3.text);
    expect((await look(log, store)).ids).toEqual([m2.id, m3.id]);
  });

  it('when two rotations happened between looks, then the newer rotation is read whole too', async () => {
    const log = newLogDir('twice');
    const store = new MemoryCursorStore();
    writeFileSync(log, message('t1.example').text);
    await look(log, store);
    const m2 = message('t2.example');
    appendFileSync(log, m2.text);
    renameSync(log, `${log}-20261127`);
    const m3 = message('t3.example');
    writeFileSync(log, m3.text);
    renameSync(log, `${log}-20261128`);
    const m4 = message('t4.example');
    writeFileSync(log, m4.text);
    expect((await look(log, store)).ids).toEqual([m2.id, m3.id, m4.id]);
  });

  it('when logrotate copied and truncated the log in place (same inode), then the copy supplies the rest', async () => {
    const log = newLogDir('copytruncate');
    const store = new MemoryCursorStore();
    writeFileSync(log, message('c1.example').text);
    await look(log, store);
    const m2 = message('c2.example');
    appendFileSync(log, m2.text);
    writeFileSync(`${log}-20261128`, readFileSync(log));
    truncateSync(log, 0);
    const m3 = message('c3.example');
    appendFileSync(log, m3.text);
    expect((await look(log, store)).ids).toEqual([m2.id, m3.id]);
  });

  it('when the log was truncated and its old content is gone, then it is read from the start with a warning', async () => {
    const log = newLogDir('truncated');
    const store = new MemoryCursorStore();
    writeFileSync(log, message('x1.example').text + message('x2.example').text);
    await look(log, store);
    truncateSync(log, 0);
    const m3 = message('x3.example');
    appendFileSync(log, m3.text);
    const second = await look(log, store);
    expect(second.ids).toEqual([m3.id]);
    expect(second.result.warnings.join()).toMatch(/rotated or truncated/);
  });

  it('when the log was replaced by a different file of the same or larger size, then the new content is read from the start', async () => {
    const log = newLogDir('replaced');
    const store = new MemoryCursorStore();
    writeFileSync(log, message('y1.example').text);
    await look(log, store);
    const m2 = message('y2.example');
    const m3 = message('y3.example');
    writeFileSync(`${log}.new`, m2.text + m3.text);
    renameSync(`${log}.new`, log);
    expect((await look(log, store)).ids).toEqual([m2.id, m3.id]);
  });
});

describe('JsonFileCursorStore', () => {
  it('when a cursor is saved, then a new store on the same file reads it back and the file is private (0600)', async () => {
    const path = join(t.dir, 'state', 'cursors.json');
    const log = newLogDir('json');
    writeFileSync(log, message('j1.example').text);
    await look(log, new JsonFileCursorStore(path));
    const m2 = message('j2.example');
    appendFileSync(log, m2.text);
    expect((await look(log, new JsonFileCursorStore(path))).ids).toEqual([m2.id]);
    const { statSync } = await import('fs');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('when the file is missing, then the store is empty', () => {
    expect(new JsonFileCursorStore(join(t.dir, 'absent.json')).get('x')).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops'],
    ['another layout', '{"version":2,"cursors":{}}'],
    ['a malformed cursor', '{"version":1,"cursors":{"k":{"dev":1}}}'],
  ])('when the file holds %s, then reading it is a BAD_INPUT error telling to delete it', (_what, body) => {
    const path = join(t.dir, `bad-${body.length}.json`);
    writeFileSync(path, body);
    let err: unknown;
    try {
      new JsonFileCursorStore(path).get('k');
    } catch (e) {
      err = e;
    }
    expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
    expect((err as Error).message).toMatch(/delete/);
  });
});
