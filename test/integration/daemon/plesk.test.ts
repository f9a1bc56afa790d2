/**
 * The daemon on a Plesk server (config `panel: "plesk"`): over the root-only socket, the identity the
 * extension's root helper sends is a Plesk login — dots and `@` included — and a customer sees and
 * repairs only the domains of the subscriptions it owns, through the same routes as on cPanel. On a
 * cPanel server the same login is no identity at all.
 */
import { join } from 'path';
import { createDaemon, type Daemon } from '../../../src/daemon';
import { startPanel, type PanelHarness } from '../../support/panels';
import { as, send, type Call } from './harness';

jest.setTimeout(120_000);

const LOGIN = 'jane.doe@example.net';

describe.each(['plesk', 'cpanel'] as const)('the daemon on %s', (kind) => {
  let panel: PanelHarness;
  let daemon: Daemon;
  let call: (c: Call) => ReturnType<typeof send>;
  beforeAll(async () => {
    panel = await startPanel(kind, { config: { backup: { policy: 'off' } } });
    if (panel.plesk) {
      panel.plesk.state.addClient({ login: LOGIN, type: 'customer', owner: 'admin', password: 'jane-pw', name: 'Jane' });
      await panel.plesk.addSubscription('jane.example', LOGIN);
      await panel.plantStale('jane.example', 'v=mc1 auth=oldhost');
    }
    daemon = createDaemon(panel.services, {
      listen: { socket: join(panel.configPath, '..', 'daemon-test.sock') },
      log: () => undefined,
      shutdownDeadlineMs: 2000,
    });
    const { address } = await daemon.listen();
    call = (c) => send({ socketPath: address }, c);
  });
  afterAll(async () => {
    await daemon?.close();
    await panel?.stop();
  });

  if (kind === 'cpanel') {
    test('when a Plesk-shaped login comes over the socket, then it is no identity', async () => {
      expect((await call({ path: '/api/domains', headers: as(LOGIN) })).status).toBe(401);
    });
    return;
  }

  test("when a customer whose login has a dot and an @ asks for its domains, then it gets its subscription's and nobody else's", async () => {
    const mine = await call({ path: '/api/domains', headers: as(LOGIN) });
    expect(mine.status).toBe(200);
    expect(mine.json.domains.map((d: { domain: string }) => d.domain)).toEqual(['jane.example']);
    const alice = await call({ path: '/api/domains', headers: as('alice') });
    expect(alice.json.domains.map((d: { domain: string }) => d.domain)).toEqual(
      expect.arrayContaining(['example.com', 'migrated.example']),
    );
    expect(alice.json.domains.map((d: { domain: string }) => d.domain)).not.toContain('jane.example');
  });

  test("when the customer fixes its own domain, then Plesk's zone is repaired; another customer's domain is refused", async () => {
    const other = await call({ method: 'POST', path: '/api/domains/example.com/fix', headers: as(LOGIN), json: {} });
    expect([403, 404]).toContain(other.status);
    const fixed = await call({ method: 'POST', path: '/api/domains/jane.example/fix', headers: as(LOGIN), json: {} });
    expect(fixed.status).toBeLessThan(300);
    const deadline = Date.now() + 60_000;
    while (!panel.records('jane.example').includes('_mailchannels.jane.example. TXT v=mc1 auth=webhostingm')) {
      if (Date.now() > deadline) throw new Error(`not repaired: ${panel.records('jane.example').join('; ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const change = panel.services.store.listChanges({ domain: 'jane.example' })[0];
    expect(change?.user).toBe(LOGIN);
  });
});
