/**
 * Tenant isolation end to end on real parts (config `lockdown.mode: tenant`): after the fix, the
 * record of alice's addon.tld lists only alice's senders, and a real Exim relaying to the
 * MailChannels relay double (which reads the record from a real PowerDNS serving the cPanel
 * simulator's zones) shows what that means: alice's own mail and her mailbox are delivered, another
 * account of the same provider sending as addon.tld is rejected, and a new mailbox is rejected until
 * the mailbox hook brings the record in step — then delivered.
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
import { TEST_TOKENS, uapi } from '../support/simulator';
import { startStack, type Stack } from '../support/stack';
import { as, send } from '../integration/daemon/harness';

const PROVIDER = { username: 'webhostingm', password: 'relay-secret-1' };
const DOMAIN = 'addon.tld';
const TO = 'someone@gmail.example';

describe('tenant isolation, end to end', () => {
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
    stack = await startStack({ config: { lockdown: { mode: 'tenant' }, backup: { policy: 'off' } } });
    lookup = dnsTxtLookup({ address: '127.0.0.1', port: stack.pdns.port });
    relay = await startRelay({ accounts: [PROVIDER], lookupTxt: lookup });
    exim = await startExim({
      relayPort: relay.port,
      relayUsername: PROVIDER.username,
      relayPassword: PROVIDER.password,
      mailboxes: { [`joe@${DOMAIN}`]: 'joe-pw', [`ann@${DOMAIN}`]: 'ann-pw' },
      smtpDaemon: true,
    });
    const config = JSON.parse(readFileSync(stack.configPath, 'utf8'));
    const configPath = join(stack.dir, 'tenant-config.json');
    writeFileSync(configPath, JSON.stringify(config));
    env = { FIX_EMAIL_AUTH_CONFIG: configPath, USER: 'support' };
    socketPath = join(stack.dir, 'tenant-daemon.sock');
    services = createServices(parseConfig({ ...config, paths: { ...config.paths, socket: socketPath } }, 'tenant config'));
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

  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env, cwd: stack.dir };
    return { code: await run(args, io), out, err };
  }

  /** Local mail submitted as a cPanel user (PHP's mail()), From: an address at addon.tld. */
  async function localMail(user: string, from: string) {
    const messageId = `tenant-${++sent}@${DOMAIN}`;
    const message = `From: ${from}\nTo: ${TO}\nSubject: hello\nMessage-ID: <${messageId}>\n\nHello.\n`;
    await exim.submitLocal({ user, envelopeFrom: from, message });
    const eximId = await exim.waitForArrival(`id=${messageId}`);
    return { line: await exim.waitForLine(eximId, ['=>', '**', '==']), relayed: relay.messages.at(-1) };
  }

  /** A mailbox's mail over SMTP AUTH (a mail client). */
  async function mailboxMail(login: string, password: string) {
    const messageId = await exim.submitSmtp({ login, password, from: login, to: TO, subject: `from ${login}` });
    const eximId = await exim.waitForArrival(`id=${messageId}`);
    const line = await exim.waitForLine(eximId, ['=>', '**', '==']);
    return { line, relayed: relay.messages.find((m) => m.raw.toString('latin1').includes(messageId)) };
  }

  test('when the record is the tenant’s, then the account’s senders are delivered, another tenant and a new mailbox are rejected until the hook adds it', async () => {
    const fixed = await cli(['fix', DOMAIN, '--yes', '--json']);
    expect(JSON.parse(fixed.out).results[0]).toMatchObject({ status: 'verified' });

    // alice's PHP mail and her mailbox joe: delivered, each under its own sender ID.
    expect((await localMail('alice', `shop@${DOMAIN}`)).line).toMatch(/ => someone@gmail\.example /);
    expect(relay.messages.at(-1)).toMatchObject({
      outcome: 'accepted',
      senderId: 'webhostingm|x-authuser|alice',
      decision: { reason: 'senderid' },
    });
    const joe = await mailboxMail(`joe@${DOMAIN}`, 'joe-pw');
    expect(joe.line).toMatch(/ => someone@gmail\.example /);
    expect(joe.relayed).toMatchObject({ outcome: 'accepted', senderId: `webhostingm|x-authuser|joe@${DOMAIN}` });

    // bob relays through the same provider, but is another tenant: with auth=webhostingm he would pass.
    const bob = await localMail('bob', `ceo@${DOMAIN}`);
    expect(bob.line).toMatch(/\*\* someone@gmail\.example .*550 5\.7\.1 This sender is not authorized to send from addon\.tld\./);
    expect(bob.relayed).toMatchObject({ outcome: 'rejected', accountId: 'webhostingm', senderId: 'webhostingm|x-authuser|bob' });

    // The trade-off: a mailbox created in cPanel is rejected until the record lists it.
    expect(
      (
        await uapi(stack.sim, 'alice', TEST_TOKENS.alice, 'Email/add_pop', [
          ['email', `ann@${DOMAIN}`],
          ['password', 'ann-pw'],
        ])
      ).json.data,
    ).toBe(`ann+${DOMAIN}`);
    expect((await mailboxMail(`ann@${DOMAIN}`, 'ann-pw')).line).toMatch(/\*\* someone@gmail\.example .*550 5\.7\.1/);

    // cPanel's UAPI::Email::add_pop hook → the daemon brings the record in step → ann is delivered.
    const jobsBefore = services.store.listJobs({ limit: 100 }).length;
    const hooked = await send(
      { socketPath },
      {
        method: 'POST',
        path: '/api/hooks/recheck',
        headers: as('cpanel-hook', 'hook'),
        json: { user: 'alice', event: 'mailbox-added', domain: DOMAIN },
      },
    );
    expect(hooked.status).toBe(202);
    for (const until = Date.now() + 20_000; ;) {
      const jobs = services.store.listJobs({ limit: 100 });
      if (jobs.length > jobsBefore && jobs[0]!.status === 'done') break;
      if (Date.now() > until) throw new Error('the hook started no finished job');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ann = await mailboxMail(`ann@${DOMAIN}`, 'ann-pw');
    expect(ann.line).toMatch(/ => someone@gmail\.example /);
    expect(ann.relayed).toMatchObject({ outcome: 'accepted', senderId: `webhostingm|x-authuser|ann@${DOMAIN}` });
    expect((await localMail('bob', `ceo@${DOMAIN}`)).relayed).toMatchObject({ outcome: 'rejected' });
  }, 90_000);
});
