/**
 * Tenant mode on the simulator and a real PowerDNS: the account's mailboxes come from UAPI
 * Email::list_pops (through WHM's uapi_cpanel, as the daemon reads them), a fix writes the record
 * that lists only the account's senders, and the mailbox hooks keep it in step — while a record that
 * is wrong for another reason is left for a person.
 */
import { run } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { createDaemon, type Daemon } from '../../../src/daemon';
import { queryPowerDns } from '../../support/pdns';
import { TEST_TOKENS, uapi } from '../../support/simulator';
import { startStack, type Stack } from '../../support/stack';
import { domainsOutOfStep } from '../../../src/usecases/tenantSync';
import { as, send } from '../daemon/harness';

jest.setTimeout(60_000);

const ALICE = 'webhostingm|x-authuser|alice';
const JOE = 'webhostingm|x-authuser|joe@addon.tld';
const ANN = 'webhostingm|x-authuser|ann@addon.tld';

describe('tenant mode', () => {
  let stack: Stack;
  let daemon: Daemon;
  let socketPath: string;

  beforeAll(async () => {
    stack = await startStack({ config: { lockdown: { mode: 'tenant' }, backup: { policy: 'off' } } });
    socketPath = stack.config.paths.socket;
    daemon = createDaemon(stack.services, { listen: { socket: socketPath }, log: () => undefined, shutdownDeadlineMs: 2000 });
    await daemon.listen();
  });
  afterAll(async () => {
    await daemon?.close();
    await stack?.stop();
  });

  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      env: stack.env,
      cwd: stack.dir,
    };
    const code = await run(args, io);
    return { code, out, err };
  }

  async function served(domain: string): Promise<string[]> {
    const answer = await queryPowerDns(stack.pdns.port, `_mailchannels.${domain}`, 'TXT', 2000);
    return (answer?.answers ?? [])
      .filter((a) => a.type === 'TXT')
      .map((a) => (a.data as Buffer[]).map((b) => b.toString('latin1')).join(''));
  }

  /** What the hook script sends after cPanel's UAPI::Email::add_pop / delete_pop. */
  async function hook(event: string, domain: string) {
    const answer = await send(
      { socketPath },
      {
        method: 'POST',
        path: '/api/hooks/recheck',
        headers: as('cpanel-hook', 'hook'),
        json: { user: 'alice', event, hook: 'test', domain },
      },
    );
    expect(answer.status).toBe(202);
  }

  /** The bulk-fix job a hook started (it runs in the daemon), once it is over. */
  async function hookJobDone(count: number) {
    const until = Date.now() + 20_000;
    for (;;) {
      const jobs = stack.services.store.listJobs({ limit: 20 }).filter((j) => j.kind === 'bulk-fix');
      if (jobs.length >= count && ['done', 'failed'].includes(jobs[0]!.status)) return jobs[0]!;
      if (Date.now() > until) throw new Error(`no finished hook job (${jobs.length})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("when the daemon reads an account's mailboxes, then it gets the logins UAPI Email::list_pops lists, not the main account", async () => {
    expect((await stack.services.cpanel.mailboxesOf('alice')).sort()).toEqual(['info@example.com', 'joe@addon.tld']);
    const listed = await uapi(stack.sim, 'alice', TEST_TOKENS.alice, 'Email/list_pops');
    expect(listed.json.data).toContainEqual({ email: 'alice', login: 'Main Account', suspended_incoming: 0, suspended_login: 0 });
  });

  it('when a stale record is fixed in tenant mode, then the record lists only the account’s senders, and PowerDNS serves it', async () => {
    const diagnosed = JSON.parse((await cli(['diagnose', 'addon.tld', '--json'])).out).domains[0];
    expect(diagnosed.findings.find((f: { code: string }) => f.code === 'LOCKDOWN_STALE').details.recommended).toBe(
      `v=mc1 senderid=${ALICE} senderid=${JOE}`,
    );
    const fixed = await cli(['fix', 'addon.tld', '--yes', '--json']);
    expect(JSON.parse(fixed.out).results[0]).toMatchObject({ status: 'verified', findingsAfter: expect.arrayContaining(['LOCKDOWN_OK']) });
    expect(await served('addon.tld')).toEqual([`v=mc1 senderid=${ALICE} senderid=${JOE}`]);
  });

  it('when alice opens her list in tenant mode, then the page explains the trade-off once, and no row or note claims a shared auth=', async () => {
    const page = await send({ socketPath }, { path: '/', headers: as('alice') });
    expect(page.status).toBe(200);
    expect(page.body.match(/data-note="tenant"/g)).toHaveLength(1);
    expect(page.body).toContain('MailChannels rejects mail from a new mailbox until the record lists it');
    expect(page.body).not.toContain('data-note="shared-auth"');
    expect(page.body).not.toContain('every account that sends through');
    const domain = await send({ socketPath }, { path: '/domains/addon.tld', headers: as('alice') });
    expect(domain.body.match(/data-note="tenant"/g)).toHaveLength(1);
  });

  it('when a mailbox is created and then removed, then the hooks bring the record in step each time, journalled', async () => {
    expect(
      (
        await uapi(stack.sim, 'alice', TEST_TOKENS.alice, 'Email/add_pop', [
          ['email', 'ann'],
          ['domain', 'addon.tld'],
          ['password', 'x1!'],
        ])
      ).json.data,
    ).toBe('ann+addon.tld');
    const before = (await cli(['diagnose', 'addon.tld', '--json'])).out;
    expect(before).toContain('LOCKDOWN_IDENTITY_MISSING');
    await hook('mailbox-added', 'addon.tld');
    expect((await hookJobDone(1)).status).toBe('done');
    expect(await served('addon.tld')).toEqual([`v=mc1 senderid=${ALICE} senderid=${ANN} senderid=${JOE}`]);

    await uapi(stack.sim, 'alice', TEST_TOKENS.alice, 'Email/delete_pop', [['email', 'joe@addon.tld']]);
    await hook('mailbox-removed', 'addon.tld');
    await hookJobDone(2);
    expect(await served('addon.tld')).toEqual([`v=mc1 senderid=${ALICE} senderid=${ANN}`]);
    const history = stack.services.store.listChanges({ domain: 'addon.tld' });
    expect(history.map((c) => [c.kind, c.actor.kind])).toEqual([
      ['repair', 'hook'],
      ['repair', 'hook'],
      ['repair', 'cli'],
    ]);
  });

  it('when a domain’s record is wrong for another reason, then the hooks leave it for a person', async () => {
    await stack.sim.setZoneText(
      'example.com',
      `${(await stack.sim.zoneText('example.com'))!.replace(/\n*$/, '\n')}_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"\n`,
      { reload: true },
    );
    const inspect = { ...stack.services.repairContext(), accounts: stack.services.accounts };
    const all = await domainsOutOfStep(inspect, 'alice');
    expect(all).not.toContain('example.com');
    // alias.tld has no record yet: in tenant mode that is what a hook brings in step.
    expect(all).toContain('alias.tld');
    expect(await domainsOutOfStep(inspect, 'alice', 'example.com')).toEqual([]);
  });
});
