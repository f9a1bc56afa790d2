/**
 * Self-healing end to end on real parts: the cPanel simulator writing zone files that a real PowerDNS
 * serves, the MailChannels relay double reading `_mailchannels` records from that PowerDNS, a real
 * Exim relaying to it and writing its main log, and the daemon following that log.
 *
 * A domain is made stale, a message bounces, the daemon notices from the log, and — with a policy on —
 * repairs and verifies it, the next message is delivered, the owner's notice and the admin digest go
 * out through Exim, and the metrics show each step. With the policy off nothing changes and the notice
 * says what to click. After a restore (the hook), a stale account is fixed before its first message.
 */
import { mkdirSync, readFileSync } from 'fs';
import { request } from 'http';
import { join } from 'path';
import { parseConfig, type ConfigInput } from '../../../src/config';
import { createDaemon, type Daemon } from '../../../src/daemon';
import { createServices, type Services } from '../../../src/services';
import { as, send } from '../daemon/harness';
import { PROVIDER, startTestRelay, testMessage, type SwitchableRelay } from '../mail/support';
import { startExim, type Exim } from '../../support/exim';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(120_000);

const OLD_RECORD = '_mailchannels\t300\tIN\tTXT\t"v=mc1 auth=oldhost"';
const FROM = 'fix-email-auth@host.example.net';

let stack: Stack;
let relay: SwitchableRelay;
let exim: Exim;

beforeAll(async () => {
  stack = await startStack();
  relay = await startTestRelay(stack.pdns.port);
  exim = await startExim({ relayPort: relay.relay.port, relayUsername: PROVIDER.username, relayPassword: PROVIDER.password });
});
afterAll(async () => {
  await exim?.stop();
  await relay?.stop();
  await stack?.stop();
});

interface Running {
  services: Services;
  daemon: Daemon;
  socket: string;
  metricsSocket: string;
  stop(): Promise<void>;
}

/** The daemon as `serve` runs it, following the harness Exim's main log, with its own journal. */
async function startDaemon(name: string, extra: Partial<ConfigInput>): Promise<Running> {
  const base = JSON.parse(readFileSync(stack.configPath, 'utf8')) as ConfigInput;
  const dir = join(stack.dir, name);
  mkdirSync(dir, { mode: 0o700 });
  const config = parseConfig({
    ...base,
    provider: { authId: 'webhostingm', relayHost: '127.0.0.1' },
    backup: { ...base.backup, policy: 'best-effort' },
    paths: {
      ...base.paths,
      journal: join(dir, 'journal.db'),
      socket: join(dir, 'run', 'd.sock'),
      eximMainlog: exim.mainlog,
      sendmail: exim.sendmailPath,
    },
    follow: { pollMs: 200 },
    notify: {
      from: FROM,
      adminTo: 'hostmaster@host.example.net',
      cpanelUrl: 'https://host.example.net:2083',
      whmUrl: 'https://host.example.net:2087',
    },
    metrics: { socket: join(dir, 'metrics', 'm.sock') },
    ...extra,
  });
  const services = createServices(config, { jetbackup: { env: stack.env } });
  const daemon = createDaemon(services, {
    listen: { socket: config.paths.socket },
    log: (e) => process.env.DEBUG_SELFHEAL && console.log(JSON.stringify(e)),
    selfHeal: true,
  });
  await daemon.listen();
  return {
    services,
    daemon,
    socket: config.paths.socket,
    metricsSocket: config.metrics.socket!,
    stop: async () => {
      await daemon.close();
      services.close();
    },
  };
}

async function makeStale(zone: string): Promise<void> {
  const text = (await stack.sim.zoneText(zone)) ?? '';
  await stack.sim.setZoneText(zone, `${text.replace(/\n*$/, '\n')}${OLD_RECORD}\n`, { reload: true });
}

/** Send as the cPanel user from `from`; resolves with the final log line (`=>` or `**`). */
async function sendAs(user: string, from: string): Promise<string> {
  const message = testMessage(from, 'someone@gmail.example', `mail of ${user}`);
  await exim.submitLocal({ user, envelopeFrom: from, message: message.text });
  const eximId = await exim.waitForArrival(`id=${message.messageId}`);
  return exim.waitForLine(eximId, ['=>', '**', '==']);
}

/** Bounded wait for something the daemon does on its own (never a timing assertion). */
async function eventually<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function scrape(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

/** The value of one sample line, e.g. `fix_email_auth_rejections_total{class="LOCKDOWN_REJECTED"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A relayed message's text with quoted-printable undone (RFC 2045 §6.7: soft breaks, =XX). */
const decoded = (raw: Buffer) =>
  raw
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const relayed = (needle: string) => relay.relay.messages.filter((m) => m.raw.toString('latin1').includes(needle));

describe('self-healing with real Exim and the relay double', () => {
  it('when a stale domain bounces under all-stale, then the daemon repairs and verifies it, the next message is delivered, the owner and the admin are told, and the metrics show each step', async () => {
    const d = await startDaemon('all-stale', { policy: { autofix: 'all-stale' } });
    try {
      await makeStale('example.com');
      expect(await sendAs('alice', 'alice@example.com')).toMatch(
        /\*\* someone@gmail\.example .*550 5\.7\.1 This sender is not authorized to send from example\.com/,
      );

      const attempt = await eventually('the automatic repair', () =>
        d.services.store.selfHeal.recentAutofixes(5).find((a) => a.domain === 'example.com' && a.outcome),
      );
      expect(attempt).toMatchObject({ trigger: 'rejection', outcome: 'verified' });
      const change = d.services.store.getChange(attempt.changeId!)!;
      expect(change.actor).toEqual({ kind: 'system', name: 'autofix' });
      expect(change.removed.map((r) => r.data)).toEqual([['v=mc1 auth=oldhost']]);
      expect(stack.jetbackup.invocations().map((i) => i.fn)).toContain('createBackupOnDemand');

      expect(await sendAs('alice', 'alice@example.com')).toMatch(/ => someone@gmail\.example .*C="250/);

      const notice = await eventually('the owner notice mailed', () =>
        d.services.store.notices.openNotices('alice').find((n) => n.mailedAt),
      );
      expect(notice).toMatchObject({
        kind: 'repaired',
        domain: 'example.com',
        changeId: change.id,
        mailTo: 'alice@example.org',
        mailError: null,
      });
      const ownerMail = await eventually(
        'the owner mail at the relay',
        () => relayed('Subject: Mail from example.com: fixed automatically')[0],
      );
      expect(ownerMail.envelope).toEqual({ mailFrom: FROM, rcptTo: ['alice@example.org'] });
      expect(ownerMail.raw.toString('latin1')).toContain('Auto-Submitted: auto-generated');

      const page = await send({ socketPath: d.socket }, { path: '/', headers: as('alice') });
      expect(page.body).toContain(`data-notice="${notice.id}"`);
      expect(page.body).toContain('Fixed automatically');

      const digest = await send(
        { socketPath: d.socket },
        { method: 'POST', path: '/admin/selfheal/digest', headers: { ...as('root', 'admin'), accept: 'application/json' }, json: {} },
      );
      expect(digest.json.digest.counts).toMatchObject({ rejections: 1, repaired: 1, failed: 0 });
      const adminMail = await eventually('the digest at the relay', () =>
        relayed('hostmaster@host.example.net').find((m) => m.raw.toString('latin1').includes('1 repaired')),
      );
      expect(decoded(adminMail.raw)).toContain('https://host.example.net:2087/cgi/fix_email_auth/index.cgi?route=%2Fadmin%2Fselfheal');
      expect(decoded(ownerMail.raw)).toContain(
        'https://host.example.net:2083/frontend/jupiter/fix_email_auth/index.live.pl?route=%2Fdomains%2Fexample.com',
      );

      const metrics = await scrape(d.metricsSocket);
      expect(sample(metrics, 'fix_email_auth_rejections_total{class="LOCKDOWN_REJECTED"}')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_selfheal_checks_total{outcome="repaired",trigger="rejection"}')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_changes{kind="repair",outcome="verified",actor="autofix"}')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_notices_total{kind="repaired"}')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_rejection_detect_delay_seconds_count')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_log_follow_up')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_whm_request_duration_seconds_count{function="mass_edit_dns_zone"}')).toBe(1);
      expect(metrics).toMatch(/^fix_email_auth_domains\{status="ok"\} \d+$/m);
    } finally {
      await d.stop();
    }
  });

  it('when the policy is off, then the stale domain is not changed, its mail keeps bouncing, and the notice says what to click', async () => {
    const d = await startDaemon('off', {});
    try {
      await makeStale('bob.example');
      const before = await stack.sim.zoneText('bob.example');
      expect(await sendAs('bob', 'bob@bob.example')).toContain(' ** ');
      const notice = await eventually('the owner notice', () => d.services.store.notices.openNotices('bob')[0]);
      expect(notice.kind).toBe('needs-action');
      expect(notice.message).toMatch(
        /Nothing was changed\. To fix it, log in to cPanel, open Email » Fix Email Authorization, choose bob\.example/,
      );
      expect(await stack.sim.zoneText('bob.example')).toBe(before);
      expect(d.services.store.listChanges({ domain: 'bob.example' })).toEqual([]);
      expect(await sendAs('bob', 'bob@bob.example')).toContain(' ** ');
      await eventually('the owner mail at the relay', () => relayed('Subject: Mail from bob.example: needs your attention')[0]);
      await eventually('both rejections counted', () => d.services.store.selfHeal.tally().LOCKDOWN_REJECTED === 2);
      const metrics = await scrape(d.metricsSocket);
      expect(sample(metrics, 'fix_email_auth_selfheal_checks_total{outcome="left",trigger="rejection"}')).toBe(1);
      expect(sample(metrics, 'fix_email_auth_rejections_total{class="LOCKDOWN_REJECTED"}')).toBe(2);
    } finally {
      await d.stop();
    }
  });

  it('when an account is restored with a stale record under stale-after-migration, then the hook has it fixed before its owner sends a first message', async () => {
    const d = await startDaemon('migration', { policy: { autofix: 'stale-after-migration' } });
    try {
      await makeStale('resell.example');
      const answer = await send(
        { socketPath: d.socket },
        {
          method: 'POST',
          path: '/api/hooks/recheck',
          headers: as('cpanel-hook', 'hook'),
          json: { user: 'resell', event: 'restore', hook: 'PkgAcct::Restore' },
        },
      );
      expect(answer.status).toBe(202);
      const attempt = await eventually('the repair after the restore', () =>
        d.services.store.selfHeal.recentAutofixes(5).find((a) => a.domain === 'resell.example' && a.outcome),
      );
      expect(attempt).toMatchObject({ trigger: 'migration', outcome: 'verified' });
      expect(await sendAs('resell', 'resell@resell.example')).toMatch(/ => someone@gmail\.example /);
      expect(d.services.store.notices.openNotices('resell')[0]?.kind).toBe('repaired');
      expect(sample(await scrape(d.metricsSocket), 'fix_email_auth_selfheal_checks_total{outcome="repaired",trigger="migration"}')).toBe(1);
    } finally {
      await d.stop();
    }
  });
});
