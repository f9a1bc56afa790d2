/**
 * The mail-log follower and the rejection sink on real files and a real SQLite journal: every
 * rejection line counted exactly once through rotation (rename, copy-and-truncate, compression),
 * truncation, a read that dies half-way and a transaction that dies at the commit; and a burst of
 * 10 000 rejections costing one entry and one diagnosis per domain.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync, readFileSync, unlinkSync, copyFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { createFollower, type Follower } from '../../../src/adapters/follow';
import { readEximFailures } from '../../../src/adapters/exim';
import { openStore, type Store } from '../../../src/adapters/store';
import { createRecheckQueue } from '../../../src/usecases/autofix/recheck';
import { createRejectionSink, type CommittedBatch } from '../../../src/usecases/autofix/sink';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fea-follow-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
/** A message that arrives and is rejected by the relay (lockdown), and completes: three lines. */
function rejected(domain: string, time = '2026-11-28 10:00:01'): string {
  seq++;
  const id = `1xB${String(seq % 1000).padStart(3, '0')}-${String(seq).padStart(6, '0')}-Zz`;
  return (
    `${time} ${id} <= u${seq}@${domain} U=u P=local S=10\n` +
    `${time} ${id} ** r@gmail.example R=mailchannels T=mailchannels_smtp H=smtp.mailchannels.net [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n` +
    `${time} ${id} Completed\n`
  );
}

function delivered(): string {
  seq++;
  const id = `1xD${String(seq % 1000).padStart(3, '0')}-${String(seq).padStart(6, '0')}-Zz`;
  return `2026-11-28 10:00:02 ${id} <= a@ok.example U=a P=local S=10\n2026-11-28 10:00:02 ${id} => b@gmail.example R=r T=t H=h [1.2.3.4] C="250 ok"\n2026-11-28 10:00:02 ${id} Completed\n`;
}

interface Rig {
  store: Store;
  follower: Follower;
  batches: CommittedBatch[];
}

/** A follower over `log` with the journal at `dir/journal.db` (a restart opens it again). */
function rig(log: string, options: { read?: typeof readEximFailures; store?: Store } = {}): Rig {
  const store = options.store ?? openStore(join(dir, 'journal.db'));
  const batches: CommittedBatch[] = [];
  const sink = createRejectionSink({ record: (b) => store.selfHeal.recordRejections(b), committed: (b) => batches.push(b) });
  const follower = createFollower({
    log,
    cursors: store.logCursors,
    transaction: (fn) => store.transaction(fn),
    sink,
    watch: false,
    // The log's lines are from 2026-11-28: a first read starting "now" would skip them, so the
    // follower is told it started before them.
    now: () => Date.parse('2026-11-28T00:00:00'),
    ...(options.read ? { readFailures: options.read } : {}),
  });
  return { store, follower, batches };
}

const lockdownCount = (store: Store) => store.selfHeal.tally().LOCKDOWN_REJECTED ?? 0;

describe('following the main log', () => {
  it('when lines are appended between looks, then each rejection is counted once and only the new bytes are read', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('a.example') + delivered());
    const r = rig(log);
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(1);
    appendFileSync(log, rejected('b.example') + rejected('a.example'));
    await r.follower.poll();
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(3);
    expect(r.batches.flatMap((b) => b.domains).sort()).toEqual(['a.example', 'a.example', 'b.example']);
    expect(r.follower.status().lagBytes).toBe(0);
    expect(r.store.selfHeal.rejectedDomains().map((d) => [d.domain, d.rejections, d.pending])).toEqual(
      expect.arrayContaining([
        ['a.example', 2, true],
        ['b.example', 1, true],
      ]),
    );
  });

  it('when a daemon starts with no cursor, then what the log held before it started is not counted', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('old.example', '2026-11-27 09:00:00'));
    const r = rig(log);
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(0);
    appendFileSync(log, rejected('new.example'));
    await r.follower.poll();
    expect(r.batches.flatMap((b) => b.domains)).toEqual(['new.example']);
  });

  it('when logrotate renames the log while it is followed (and later compresses it), then the lines written before and after are each counted once', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('a.example'));
    const r = rig(log);
    await r.follower.poll();
    // Written after our look, then the file is rotated away with these lines unread.
    appendFileSync(log, rejected('b.example'));
    renameSync(log, `${log}-20261128`);
    writeFileSync(log, rejected('c.example'));
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(3);
    // The rotation compressed: nothing is read twice.
    writeFileSync(`${log}-20261128.gz`, gzipSync(readFileSync(`${log}-20261128`)));
    unlinkSync(`${log}-20261128`);
    appendFileSync(log, rejected('d.example'));
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(4);
    expect(r.batches.flatMap((b) => b.domains)).toEqual(['a.example', 'b.example', 'c.example', 'd.example']);
  });

  it('when logrotate copies and truncates the log (copytruncate), then nothing is lost or counted twice', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('a.example'));
    const r = rig(log);
    await r.follower.poll();
    appendFileSync(log, rejected('b.example'));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, rejected('c.example') + rejected('c.example'));
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(4);
    expect(r.store.selfHeal.rejectedDomains().find((d) => d.domain === 'c.example')?.rejections).toBe(2);
  });

  it('when the log is truncated with no copy kept, then the new lines are counted, the old ones are not counted again, and a warning says what happened', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('a.example') + rejected('a.example') + delivered());
    const r = rig(log);
    await r.follower.poll();
    truncateSync(log, 0);
    appendFileSync(log, rejected('z.example'));
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(3);
    expect(r.follower.status().warnings.join(' ')).toMatch(/rotated or truncated/);
  });

  it('when a read dies half-way (a restart mid-follow), then the next daemon counts every line exactly once', async () => {
    const log = join(dir, 'exim_mainlog');
    let text = '';
    for (let i = 0; i < 300; i++) text += i % 3 === 0 ? delivered() : rejected(`d${i % 7}.example`);
    writeFileSync(log, text);
    const expected = 200;
    // The first daemon dies after handing 120 failures to the sink, before its cursor is saved.
    let handed = 0;
    const dying: typeof readEximFailures = (o) =>
      readEximFailures({
        ...o,
        onFailure: (f) => {
          if (++handed > 120) throw new Error('killed (test)');
          o.onFailure?.(f);
        },
      });
    const first = rig(log, { read: dying });
    await first.follower.poll();
    expect(first.follower.status().lastError).toMatch(/killed/);
    expect(lockdownCount(first.store)).toBe(0);
    first.store.close();

    const second = rig(log);
    await second.follower.poll();
    expect(lockdownCount(second.store)).toBe(expected);
    await second.follower.poll();
    expect(lockdownCount(second.store)).toBe(expected);
  });

  it('when one read fails half-way and the same follower reads again, then what the failed read had gathered is not counted twice', async () => {
    const log = join(dir, 'exim_mainlog');
    let text = '';
    for (let i = 0; i < 90; i++) text += rejected(`d${i % 4}.example`);
    writeFileSync(log, text);
    let handed = 0;
    const flaky: typeof readEximFailures = (o) =>
      readEximFailures({
        ...o,
        onFailure: (f) => {
          if (++handed === 50) throw new Error('EIO (test)');
          o.onFailure?.(f);
        },
      });
    const r = rig(log, { read: flaky });
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(0);
    await r.follower.poll();
    expect(lockdownCount(r.store)).toBe(90);
    expect(r.store.selfHeal.rejectedDomains().reduce((sum, d) => sum + d.rejections, 0)).toBe(90);
  });

  it('when the daemon dies inside the commit (after the counts, before the cursor), then neither is kept and the lines are counted once later', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected('a.example') + rejected('b.example'));
    const store = openStore(join(dir, 'journal.db'));
    const cursors = store.logCursors;
    let failNext = true;
    const crashing = {
      ...store,
      logCursors: {
        get: (k: string) => cursors.get(k),
        set: (k: string, c: Parameters<typeof cursors.set>[1]) => {
          if (failNext) {
            failNext = false;
            throw new Error('power cut (test)');
          }
          cursors.set(k, c);
        },
      },
    } as Store;
    const r = rig(log, { store: crashing });
    await r.follower.poll();
    expect(lockdownCount(store)).toBe(0);
    expect(r.batches).toEqual([]);
    await r.follower.poll();
    expect(lockdownCount(store)).toBe(2);
    store.close();
  });
});

describe('a burst of rejections', () => {
  it('when 10 000 rejections from five domains arrive within a minute, then each domain is one entry and is diagnosed once', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, '');
    const r = rig(log);
    const runs = new Map<string, number>();
    const queue = createRecheckQueue({
      minIntervalMs: 60_000,
      run: async (domain) => {
        runs.set(domain, (runs.get(domain) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    const domains = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'];
    await r.follower.poll();
    for (let chunk = 0; chunk < 10; chunk++) {
      let text = '';
      for (let i = 0; i < 1000; i++) {
        const second = String(Math.floor((chunk * 1000 + i) / 170)).padStart(2, '0');
        text += rejected(domains[i % 5]!, `2026-11-28 10:00:${second}`);
      }
      appendFileSync(log, text);
      await r.follower.poll();
      for (const batch of r.batches.splice(0)) {
        expect(batch.domains.length).toBeLessThanOrEqual(5);
        for (const d of batch.domains) queue.add(d);
      }
    }
    await queue.idle();
    expect(lockdownCount(r.store)).toBe(10_000);
    expect(Object.fromEntries(runs)).toEqual(Object.fromEntries(domains.map((d) => [d, 1])));
    expect(queue.stats.runs).toBe(5);
    expect(r.store.selfHeal.rejectedDomains().map((d) => d.rejections)).toEqual([2000, 2000, 2000, 2000, 2000]);
  });
});
