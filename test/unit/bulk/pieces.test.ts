/** The small parts of bulk work: zone locks, selection and order, and the CLI's progress line. */
import { openStore } from '../../../src/adapters/store';
import { eta, formatDuration, createProgress } from '../../../src/cli/progress';
import type { CliIO } from '../../../src/cli/io';
import { STALE_LOCKDOWN_CODES } from '../../../src/checks/findings';
import { selectFromScan, spreadByZone, ZoneLocks } from '../../../src/usecases/bulk';

describe('ZoneLocks', () => {
  it('when two runs ask for the same zone, then the second starts only after the first settles, while another zone runs at once', async () => {
    const locks = new ZoneLocks();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = locks.run('a.example', async () => {
      order.push('a1 start');
      await new Promise<void>((r) => (releaseFirst = r));
      order.push('a1 end');
    });
    const second = locks.run('a.example', async () => {
      order.push('a2 start');
    });
    const other = locks.run('b.example', async () => {
      order.push('b start');
    });
    await other;
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['a1 start', 'b start']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['a1 start', 'b start', 'a1 end', 'a2 start']);
    expect(locks.busy()).toEqual([]);
  });

  it('when a run throws, then the zone is free again for the next one', async () => {
    const locks = new ZoneLocks();
    await expect(locks.run('z', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run('z', async () => 'next')).resolves.toBe('next');
  });
});

describe('selection', () => {
  it('when domains of one zone are listed together, then the job order puts every zone’s first domain before any second one', () => {
    const order = spreadByZone([
      { domain: 'b.example', zone: 'b.example' },
      { domain: 'blog.a.example', zone: 'a.example' },
      { domain: 'a.example', zone: 'a.example' },
      { domain: 'shop.a.example', zone: 'a.example' },
      { domain: 'c.example', zone: 'c.example' },
      { domain: 'a.example', zone: 'a.example' },
    ]);
    expect(order).toEqual(['a.example', 'b.example', 'c.example', 'blog.a.example', 'shop.a.example']);
  });

  it('when --all-stale selects from the last scan, then exactly the stale domains are chosen (block-all only when asked), filtered by account when asked', () => {
    const store = openStore(':memory:');
    try {
      const at = new Date('2026-11-28T12:00:00Z');
      const row = (domain: string, codes: string[], user = 'u1') => ({
        domain,
        zone: domain,
        user,
        owner: 'root',
        status: 'error' as const,
        codes,
        report: {},
        scannedAt: at,
      });
      store.upsertScanResults([
        row('stale.example', ['LOCKDOWN_STALE', 'SPF_OK']),
        row('cfid.example', ['LOCKDOWN_CFID'], 'u2'),
        row('spfonly.example', ['LOCKDOWN_OK', 'SPF_PASS_ALL']),
        row('missing.example', ['LOCKDOWN_MISSING']),
        row('blockall.example', ['LOCKDOWN_BLOCK_ALL']),
        row('blockall-malformed.example', ['LOCKDOWN_BLOCK_ALL', 'LOCKDOWN_MALFORMED']),
        ...STALE_LOCKDOWN_CODES.map((c, i) => row(`e${i}.example`, [c])),
      ]);
      const all = selectFromScan(store, { allStale: true }).map((d) => d.domain);
      expect(all.sort()).toEqual(['cfid.example', 'stale.example', ...STALE_LOCKDOWN_CODES.map((_c, i) => `e${i}.example`)].sort());
      const withBlockAll = selectFromScan(store, { allStale: true, includeBlockAll: true }).map((d) => d.domain);
      expect(withBlockAll.sort()).toEqual([...all, 'blockall.example', 'blockall-malformed.example'].sort());
      expect(selectFromScan(store, { allStale: true, user: 'u2' }).map((d) => d.domain)).toEqual(['cfid.example']);
      expect(selectFromScan(store, { codes: ['LOCKDOWN_MISSING'] }).map((d) => d.domain)).toEqual(['missing.example']);
    } finally {
      store.close();
    }
  });
});

describe('progress', () => {
  function io(tty: boolean): CliIO & { err: () => string } {
    let err = '';
    return {
      stdout: { write: () => true },
      stderr: Object.assign({ write: (s: string) => (err += s) }, tty ? { isTTY: true } : {}),
      env: {},
      cwd: '/',
      err: () => err,
    };
  }

  it('when the rate so far is known, then the time left follows it; durations read as people write them', () => {
    expect(eta(0, 100, 1000)).toBeNull();
    expect(eta(25, 100, 1000)).toBe(3000);
    expect(eta(100, 100, 1000)).toBe(0);
    expect([formatDuration(4_400), formatDuration(125_000), formatDuration(3_725_000)]).toEqual(['4s', '2m05s', '1h02m']);
  });

  it('when stderr is a terminal, then one line is redrawn with a bar and the ETA', () => {
    let t = 0;
    const out = io(true);
    const bar = createProgress(out, { label: 'scan', unit: 'zones', now: () => t, width: 10 });
    t = 1000;
    bar.update(50, 100);
    bar.done('end');
    expect(out.err()).toBe('\rscan [#####.....] 50/100 zones (50%)  ETA 1s\x1b[K\nend\n');
  });

  it('when stderr is not a terminal, then plain lines come at most every few seconds, and the last one always', () => {
    let t = 0;
    const out = io(false);
    const bar = createProgress(out, { label: 'scan', unit: 'zones', now: () => t, plainEveryMs: 5000 });
    for (let done = 1; done <= 100; done++) {
      t = done * 100;
      bar.update(done, 100);
    }
    const lines = out.err().trim().split('\n');
    expect(lines[0]).toBe('scan: 1/100 zones (1%)  ETA 10s');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('scan: 100/100 zones (100%)');
    expect(out.err()).not.toContain('\r');
  });
});
