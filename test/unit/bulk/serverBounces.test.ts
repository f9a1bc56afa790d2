/**
 * `bounces --since 24h` on a server: the default log and its rotations (plain and gzip), the journal's
 * SQLite cursors, failures per domain and per cPanel account with the fix; a repeated look reads only
 * the appended bytes yet reports the whole last 24 hours.
 */
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { openStore, type Store } from '../../../src/adapters/store';
import type { CliIO } from '../../../src/cli/io';
import { run } from '../../../src/cli/main';
import { serverBounces } from '../../../src/usecases/bulk';

const NOW = new Date();
let n = 0;

function logTime(hoursAgo: number): string {
  const d = new Date(NOW.getTime() - hoursAgo * 3_600_000);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A message sent by `user` from `sender`, rejected by the relay with MailChannels' lockdown text (or SPF's). */
function rejected(hoursAgo: number, sender: string, kind: 'lockdown' | 'spf' = 'lockdown', user = 'someone'): string {
  n++;
  const id = `1xB${String(n).padStart(3, '0')}-0000${String(n % 100).padStart(2, '0')}-Zz`;
  const domain = sender.split('@')[1]!;
  const reply =
    kind === 'lockdown' ? `550 5.7.1 This sender is not authorized to send from ${domain}.` : '550 5.7.1 [BFD] Sender prohibited by SPF';
  const t = logTime(hoursAgo);
  return (
    `${t} ${id} <= ${sender} U=${user} P=local S=10\n` +
    `${t} ${id} ** r@gmail.example R=mc T=remote_smtp H=smtp.mailchannels.net [127.0.0.1]: SMTP error from remote mail server after end of data: ${reply}\n` +
    `${t} ${id} Completed\n`
  );
}

const filler = (count: number) => `${logTime(30)} 1xZZZZ-000000-00 => x@y.example R=r T=t H=h [1.2.3.4] C="250 ok"\n`.repeat(count);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fea-bounces-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function accounts(domain: string) {
  const map: Record<string, { user: string; owner?: string }> = {
    'bob.example': { user: 'bob', owner: 'resa' },
    'shop.tld': { user: 'bob', owner: 'resa' },
    'carol.example': { user: 'carol' },
  };
  return map[domain];
}

describe('serverBounces', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(join(dir, 'journal.db'));
  });
  afterEach(() => store.close());

  it('when the log has rotations, then the last 24 h are grouped per domain and per cPanel account with the fix each needs', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(`${log}-20261126.gz`, gzipSync(rejected(60, 'old@bob.example') + rejected(20, 'a@bob.example')));
    writeFileSync(`${log}-20261127`, rejected(10, 'b@news.bob.example') + rejected(9, 'c@carol.example', 'spf'));
    writeFileSync(log, rejected(2, 'd@shop.tld') + rejected(1, 'e@elsewhere.example'));
    const report = await serverBounces({
      log,
      since: new Date(NOW.getTime() - 24 * 3_600_000),
      accountOf: accounts,
      provider: 'webhostingm',
      now: NOW,
      cursorStore: store.logCursors,
    });
    expect(report.files).toHaveLength(3);
    expect(report.domains.map((d) => [d.domain, d.class, d.count])).toEqual([
      ['bob.example', 'LOCKDOWN_REJECTED', 1],
      ['elsewhere.example', 'LOCKDOWN_REJECTED', 1],
      ['news.bob.example', 'LOCKDOWN_REJECTED', 1],
      ['shop.tld', 'LOCKDOWN_REJECTED', 1],
      ['carol.example', 'SPF_REJECTED', 1],
    ]);
    const bob = report.byCpanelAccount.find((a) => a.user === 'bob')!;
    expect(bob).toMatchObject({ owner: 'resa', worstClass: 'LOCKDOWN_REJECTED', counts: { LOCKDOWN_REJECTED: 3 } });
    // The sub-domain's mail belongs to the account of its parent.
    expect(bob.domains.map((d) => d.domain).sort()).toEqual(['bob.example', 'news.bob.example', 'shop.tld']);
    expect(bob.command).toBe('fix-email-auth fix bob.example news.bob.example shop.tld');
    expect(report.byCpanelAccount.find((a) => a.user === 'carol')).toMatchObject({
      worstClass: 'SPF_REJECTED',
      command: 'fix-email-auth diagnose carol.example',
    });
    expect(report.byCpanelAccount.map((a) => a.user)).toEqual(['bob', 'carol']);
    expect(report.unowned).toEqual(['elsewhere.example']);
  });

  it('when the same look is repeated after the log grew, then only the appended bytes are read and the report still covers the whole 24 h', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, filler(2000) + rejected(5, 'a@bob.example') + rejected(3, 'b@carol.example'));
    const since = () => new Date(NOW.getTime() - 24 * 3_600_000);
    const first = await serverBounces({ log, since: since(), now: NOW, cursorStore: store.logCursors });
    expect(first.incremental).toBe(false);
    expect(first.bytesRead).toBe(statSync(log).size);

    const appended = rejected(0.5, 'c@bob.example');
    appendFileSync(log, appended);
    const second = await serverBounces({ log, since: since(), now: NOW, cursorStore: store.logCursors });
    expect(second.incremental).toBe(true);
    expect(second.bytesRead).toBe(Buffer.byteLength(appended));
    expect(second.domains.map((d) => [d.domain, d.count])).toEqual([
      ['bob.example', 2],
      ['carol.example', 1],
    ]);
    expect(second.events.map((e) => e.sender).sort()).toEqual(['a@bob.example', 'b@carol.example', 'c@bob.example']);

    const third = await serverBounces({ log, since: since(), now: NOW, cursorStore: store.logCursors });
    expect(third.bytesRead).toBe(0);
    expect(third.events).toHaveLength(3);
  });

  it('when logrotate moved the log between two looks, then the rest of the old file and the new file are read once, nothing twice', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected(5, 'a@bob.example'));
    const since = new Date(NOW.getTime() - 24 * 3_600_000);
    await serverBounces({ log, since, now: NOW, cursorStore: store.logCursors });
    appendFileSync(log, rejected(4, 'b@bob.example'));
    renameSync(log, `${log}-20261128`);
    writeFileSync(log, rejected(1, 'c@bob.example'));
    const after = await serverBounces({ log, since, now: NOW, cursorStore: store.logCursors });
    expect(after.incremental).toBe(true);
    expect(after.events.map((e) => e.sender).sort()).toEqual(['a@bob.example', 'b@bob.example', 'c@bob.example']);
  });

  it('when --since reaches before what is remembered, then everything is read again (and the report is complete)', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected(24 * 20, 'old@bob.example') + rejected(2, 'new@bob.example'));
    await serverBounces({ log, since: new Date(NOW.getTime() - 24 * 3_600_000), now: NOW, cursorStore: store.logCursors });
    const month = await serverBounces({
      log,
      since: new Date(NOW.getTime() - 30 * 24 * 3_600_000),
      now: NOW,
      cursorStore: store.logCursors,
    });
    expect(month.incremental).toBe(false);
    expect(month.bytesRead).toBe(statSync(log).size);
    expect(month.events.map((e) => e.sender).sort()).toEqual(['new@bob.example', 'old@bob.example']);
  });

  it('when a relay filter is given on a repeated look, then remembered failures are filtered the same way as new ones', async () => {
    const log = join(dir, 'exim_mainlog');
    writeFileSync(log, rejected(3, 'a@bob.example'));
    const since = new Date(NOW.getTime() - 24 * 3_600_000);
    await serverBounces({ log, since, now: NOW, cursorStore: store.logCursors });
    const other = await serverBounces({ log, since, now: NOW, cursorStore: store.logCursors, relayHost: 'mx.other.example' });
    expect(other.incremental).toBe(true);
    expect(other.events).toEqual([]);
    const mc = await serverBounces({ log, since, now: NOW, cursorStore: store.logCursors, relayHost: 'smtp.mailchannels.net' });
    expect(mc.events).toHaveLength(1);
  });
});

describe('fix-email-auth bounces on a server', () => {
  it('when run twice with --since 24h over the default log, then the second run says it read only the new part, and accounts are listed with their fix', async () => {
    const log = join(dir, 'exim_mainlog');
    const journal = join(dir, 'state', 'journal.db');
    mkdirSync(join(dir, 'state'));
    openStore(journal).close(); // the daemon's journal, as on an installed server
    writeFileSync(join(dir, 'userdomains'), 'bob.example: bob\ncarol.example: carol\n*: nobody\n');
    writeFileSync(log, filler(500) + rejected(3, 'a@bob.example'));
    const env = {
      FIX_EMAIL_AUTH_CONFIG: join(dir, 'none.json'),
      FIX_EMAIL_AUTH_EXIM_LOG: log,
      FIX_EMAIL_AUTH_JOURNAL: journal,
      FIX_EMAIL_AUTH_USERDOMAINS: join(dir, 'userdomains'),
    };
    const cli = (): CliIO & { out: () => string } => {
      let out = '';
      return { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env, cwd: dir, out: () => out };
    };
    const first = cli();
    expect(await run(['bounces', '--since', '24h'], first)).toBe(1);
    expect(first.out()).toMatch(/\(read [\d.]+ KiB\)\n$/);
    appendFileSync(log, rejected(1, 'b@carol.example'));
    const second = cli();
    expect(await run(['bounces', '--since', '24h'], second)).toBe(1);
    expect(second.out()).toMatch(/only what was added since the last look/);
    expect(second.out()).toMatch(/bob\.example\s+LOCKDOWN_REJECTED\s+1/);
    expect(second.out()).toMatch(/carol\.example\s+LOCKDOWN_REJECTED\s+1/);
    expect(second.out()).toContain('Per cPanel account:');
    expect(second.out()).toContain('→  fix-email-auth fix carol.example');
    const json = cli();
    expect(await run(['bounces', '--since', '24h', '--json'], json)).toBe(1);
    expect(Object.keys(JSON.parse(json.out()))).toEqual(['events', 'domains']);
  });
});
