/**
 * The incident this project exists for, end to end on real parts (docs/design.md "The problem", issue 8):
 * a migrated account's zone still carries the old host's `_mailchannels` record; its mail goes
 * through a real Exim to the MailChannels relay double, which reads the record from a real PowerDNS
 * serving the cPanel simulator's zone files and rejects with `550 5.7.1`. Then, as support staff
 * would: `bounces` finds the domain in Exim's log, `fix` repairs the record through the cPanel API,
 * PowerDNS serves the new record, the same mail is accepted, `test-email` confirms it; `rollback`
 * puts the old record back and the mail is rejected again. The domain page's "Send a test email"
 * button (the daemon over its Unix socket, as the cPanel bridge calls it) shows both outcomes.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { run } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { parseConfig } from '../../src/config';
import { createDaemon, type Daemon } from '../../src/daemon';
import { createServices, type Services } from '../../src/services';
import { dnsTxtLookup, startRelay, type Relay } from '../../src/simulator/relay';
import { startExim, type Exim } from '../support/exim';
import { queryPowerDns } from '../support/pdns';
import { startStack, type Stack } from '../support/stack';
import { as, send, type Call } from '../integration/daemon/harness';

const PROVIDER = { username: 'webhostingm', password: 'relay-secret-1' };
/** test/fixtures/seed/test.json: alice's addon domain, migrated with `v=mc1 auth=oldhost`. */
const DOMAIN = 'addon.tld';
const FROM = `tiff@${DOMAIN}`;
const TO = 'someone@gmail.example';
/** docs/reference/jetbackup-and-exim.md §2.8, verbatim. */
const LOCKDOWN_FAIL_LINE =
  /^(?<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?:\[\d+\] )?(?<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) \*\* (?<rcpt>\S+)(?: <[^>]+>)?(?: .*?)? ?: SMTP error from remote mail server after (?:pipelined )?end of data: 550[ -]5\.7\.1 This sender is not authorized to send from (?<domain>\S+?)\.?(?=\s|$)/;

describe('the migrated-account incident, end to end', () => {
  let stack: Stack;
  let relay: Relay;
  let lookup: ReturnType<typeof dnsTxtLookup>;
  let exim: Exim;
  let env: NodeJS.ProcessEnv;
  let services: Services;
  let daemon: Daemon;
  let socketPath: string;
  let sent = 0;

  beforeAll(async () => {
    stack = await startStack();
    lookup = dnsTxtLookup({ address: '127.0.0.1', port: stack.pdns.port });
    relay = await startRelay({ accounts: [PROVIDER], lookupTxt: lookup });
    exim = await startExim({ relayPort: relay.port, relayUsername: PROVIDER.username, relayPassword: PROVIDER.password });
    // The stack's config, pointed at this Exim: its log, its sendmail, the relay as it appears in H=.
    const config = JSON.parse(readFileSync(stack.configPath, 'utf8'));
    config.provider = { ...config.provider, relayHost: '127.0.0.1' };
    config.backup = { ...config.backup, policy: 'off' };
    config.paths = { ...config.paths, eximMainlog: exim.mainlog, sendmail: exim.sendmailPath };
    // The harness's Exim runs with -C, so the user cannot write its spool: root submits as a trusted caller.
    config.mail = { submitAs: 'trusted-caller' };
    const configPath = join(stack.dir, 'incident-config.json');
    writeFileSync(configPath, JSON.stringify(config));
    env = { FIX_EMAIL_AUTH_CONFIG: configPath, USER: 'support' };
    socketPath = join(stack.dir, 'daemon.sock');
    services = createServices(parseConfig({ ...config, paths: { ...config.paths, socket: socketPath } }, 'incident config'));
    daemon = createDaemon(services, { listen: { socket: socketPath }, log: () => undefined, shutdownDeadlineMs: 2000 });
    await daemon.listen();
  }, 60_000);
  afterAll(async () => {
    await daemon?.close();
    services?.close();
    await exim?.stop();
    await relay?.stop();
    lookup?.close();
    await stack?.stop();
  });

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: stack.dir };
    const code = await run(args, io);
    return { code, out, err };
  }

  /** alice's mail, as her PHP would send it: local submission as alice; returns its final log line. */
  async function aliceSends(): Promise<string> {
    const messageId = `incident-${++sent}@${DOMAIN}`;
    const message = `From: ${FROM}\nTo: ${TO}\nSubject: Order confirmation\nMessage-ID: <${messageId}>\n\nThank you for your order.\n`;
    await exim.submitLocal({ user: 'alice', envelopeFrom: FROM, message });
    const eximId = await exim.waitForArrival(`id=${messageId}`);
    return exim.waitForLine(eximId, ['=>', '**', '==']);
  }

  /** The domain page's test-email button, as alice through the cPanel bridge. */
  function pressTestEmail(form: Record<string, string>, headers = as('alice'), domain = DOMAIN) {
    const call: Call = { method: 'POST', path: `/domains/${domain}/test-email`, headers, form };
    return send({ socketPath }, call);
  }

  async function servedRecords(): Promise<string[]> {
    const answer = await queryPowerDns(stack.pdns.port, `_mailchannels.${DOMAIN}`, 'TXT', 2000);
    return (answer?.answers ?? [])
      .filter((a) => a.type === 'TXT')
      .map((a) => (a.data as Buffer[]).map((b) => b.toString('latin1')).join(''));
  }

  test('when the old host record is in the zone, then mail bounces with 550 5.7.1; fix makes it flow; rollback makes it bounce again', async () => {
    // 1. The incident: PowerDNS serves the old host's record and MailChannels rejects alice's mail.
    expect(await servedRecords()).toEqual(['v=mc1 auth=oldhost']);
    const bounce = await aliceSends();
    expect(LOCKDOWN_FAIL_LINE.exec(bounce)?.groups).toMatchObject({ rcpt: TO, domain: DOMAIN });
    expect(relay.messages.at(-1)).toMatchObject({
      outcome: 'rejected',
      senderId: 'webhostingm|x-authuser|alice',
      records: ['v=mc1 auth=oldhost'],
    });

    // 2. `bounces` reads Exim's log and names the domain, the class and who sent it.
    const bounces = await cli(['bounces', '--log', exim.mainlog, '--relay-host', '127.0.0.1', '--no-rotated', '--json']);
    expect(bounces.code).toBe(1);
    const report = JSON.parse(bounces.out);
    expect(report.domains).toEqual([{ domain: DOMAIN, class: 'LOCKDOWN_REJECTED', count: 1, lastSeen: expect.any(String) }]);
    expect(report.events[0]).toMatchObject({ recipient: TO, domain: DOMAIN, class: 'LOCKDOWN_REJECTED', sender: FROM, authUser: 'alice' });

    // 3. `fix --yes` repairs the record through the cPanel API (backup off: the journal keeps the old record).
    const fixed = await cli(['fix', DOMAIN, '--yes', '--json']);
    expect(fixed.err).toBe('');
    expect(fixed.code).toBe(0);
    const result = JSON.parse(fixed.out).results[0];
    expect(result).toMatchObject({ domain: DOMAIN, status: 'verified', findingsBefore: expect.arrayContaining(['LOCKDOWN_STALE']) });
    expect(typeof result.changeId).toBe('number');

    // 4. PowerDNS serves the new record at once (the simulator reloads it, as cPanel's RELOADBIND does).
    const served = await servedRecords();
    expect(served).toHaveLength(1);
    expect(served[0]).toMatch(/^v=mc1 (.* )?auth=webhostingm( |$)/);

    // 5. The same mail is now accepted, under alice's sender ID.
    expect(await aliceSends()).toMatch(
      / => someone@gmail\.example R=mailchannels T=mailchannels_smtp H=127\.0\.0\.1 \[127\.0\.0\.1\] A=mailchannels_login C="250 /,
    );
    expect(relay.messages.at(-1)).toMatchObject({
      outcome: 'accepted',
      senderId: 'webhostingm|x-authuser|alice',
      decision: { allowed: true },
    });

    // 6. The last step of the manual procedure: a test email as alice, followed in the log.
    const tested = await cli(['test-email', '--user', 'alice', '--from', FROM, '--to', TO, '--timeout', '20s', '--json']);
    expect(tested.err).toBe('');
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.out)).toMatchObject({
      status: 'delivered',
      viaRelay: true,
      user: 'alice',
      reply: '250 2.0.0 Message accepted for delivery',
    });

    // 6b. The same from the domain page: the button is there, and its answer says "delivered".
    const domainPage = await send({ socketPath }, { path: `/domains/${DOMAIN}`, headers: as('alice') });
    expect(domainPage.body).toContain(`action="/domains/${DOMAIN}/test-email"`);
    const pressed = await pressTestEmail({ from: FROM, to: TO });
    expect(pressed.status).toBe(200);
    expect(pressed.body).toContain('data-test-email-status="delivered"');
    expect(pressed.body).toContain('Delivered: 127.0.0.1 accepted the message from tiff@addon.tld.');

    // 7. Undo: the old record is back, served, and the mail bounces again; test-email says why.
    const undone = await cli(['rollback', String(result.changeId), '--json']);
    expect(undone.code).toBe(0);
    expect(JSON.parse(undone.out).status).toBe('verified');
    expect(await servedRecords()).toEqual(['v=mc1 auth=oldhost']);
    expect(LOCKDOWN_FAIL_LINE.exec(await aliceSends())?.groups?.domain).toBe(DOMAIN);
    const retested = await cli(['test-email', '--user', 'alice', '--from', FROM, '--to', TO, '--timeout', '20s', '--json']);
    expect(retested.code).toBe(1);
    expect(JSON.parse(retested.out)).toMatchObject({ status: 'bounced', verdict: { class: 'LOCKDOWN_REJECTED', domain: DOMAIN } });
    const repressed = await pressTestEmail({ from: FROM, to: TO });
    expect(repressed.body).toContain('data-test-email-status="bounced"');
    expect(repressed.body).toContain('550 5.7.1 This sender is not authorized to send from addon.tld.');
    expect(repressed.body).toContain(`href="/domains/${DOMAIN}">Check and fix ${DOMAIN}</a>`);
  }, 60_000);

  test('when the test-email button gets a foreign domain, a sender at another domain or a hostile address, then it refuses and sends nothing', async () => {
    const before = { log: exim.log(), relayed: relay.messages.length };
    // bob.example belongs to bob: alice gets the same 403 as for a domain that does not exist.
    expect((await pressTestEmail({ from: 'x@bob.example', to: TO }, as('alice'), 'bob.example')).status).toBe(403);
    const otherSender = await pressTestEmail({ from: 'tiff@example.com', to: TO });
    expect(otherSender.status).toBe(400);
    expect(otherSender.body).toContain(`The sender must be an address at ${DOMAIN}`);
    const injected = await pressTestEmail(
      { from: FROM, to: `${TO}\r\nBcc: victim@gmail.example` },
      { ...as('alice'), accept: 'application/json' },
    );
    expect(injected.status).toBe(400);
    expect(injected.json).toEqual({ error: { code: 'BAD_INPUT', message: 'to: the address contains a line break.' } });
    expect((await pressTestEmail({ from: FROM, to: TO }, {})).status).toBe(401);
    expect(exim.log()).toBe(before.log);
    expect(relay.messages.length).toBe(before.relayed);
  });
});
