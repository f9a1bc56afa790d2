/**
 * Real Postfix (Debian's package, unpacked beside Exim: test/support/postfix.ts) relaying to the
 * MailChannels relay double, which reads `_mailchannels` records from a real PowerDNS — the mail path
 * of a Plesk server with a MailChannels smarthost. Postfix's own log lines then go through the
 * Postfix reader and the same bounce classifier as Exim's.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readPostfixFailures } from '../../../src/adapters/postfix';
import { TxtLookupError } from '../../../src/simulator/relay';
import { findBounces } from '../../../src/usecases/bounces';
import { startPowerDns, type PowerDns } from '../../support/pdns';
import { describeWithPostfix, startPostfix, type Postfix } from '../../support/postfix';
import { lockdownLine, PROVIDER, startTestRelay, writeZoneFile, type SwitchableRelay } from './support';

const ZONES: Record<string, string[]> = {
  'migrated.example': [lockdownLine('v=mc1 auth=oldhost')],
  'shared.example': [lockdownLine('v=mc1 auth=webhostingm')],
  'dnsfail.example': [],
};

describeWithPostfix('Postfix → MailChannels relay double → PowerDNS', () => {
  let zonesDir: string;
  let pdns: PowerDns;
  let relay: SwitchableRelay;
  let postfix: Postfix;

  beforeAll(async () => {
    zonesDir = mkdtempSync(join(tmpdir(), 'fea-postfix-zones-'));
    for (const [zone, lines] of Object.entries(ZONES)) writeZoneFile(zonesDir, zone, lines);
    pdns = await startPowerDns({ zonesDir, zones: Object.keys(ZONES) });
    relay = await startTestRelay(pdns.port);
    postfix = await startPostfix({ relayPort: relay.relay.port, relayUsername: PROVIDER.username, relayPassword: PROVIDER.password });
  }, 60000);
  afterAll(async () => {
    await postfix?.stop();
    await relay?.stop();
    await pdns?.stop();
    if (zonesDir) rmSync(zonesDir, { recursive: true, force: true });
  });

  /** Submit and wait for the delivery line of this message (found through its cleanup message-id line). */
  async function send(from: string) {
    const messageId = await postfix.submit({ from, to: 'someone@gmail.example', subject: `mail from ${from}` });
    const cleanup = await postfix.waitForLine(new RegExp(`message-id=<${messageId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`));
    const queueId = /: ([0-9A-Za-z]+): message-id=/.exec(cleanup)?.[1] as string;
    const line = await postfix.waitForLine(new RegExp(`: ${queueId}: to=<someone@gmail\\.example>.* status=`));
    return { queueId, line };
  }

  test("when the domain's record names another host, then Postfix logs status=bounced with the relay's exact 550 and the reader classifies it as a lockdown rejection", async () => {
    const { queueId, line } = await send('joe@migrated.example');
    expect(line).toMatch(
      / postfix\/smtp\[\d+\]: [0-9A-Za-z]+: to=<someone@gmail\.example>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:\d+, .*dsn=5\.7\.1, status=bounced \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 550 5\.7\.1 This sender is not authorized to send from migrated\.example\. \(in reply to end of DATA command\)\)$/,
    );
    const report = await findBounces({ log: postfix.maillog, relayHost: '127.0.0.1' }, { readFailures: readPostfixFailures });
    const event = report.events.find((e) => e.messageId === queueId);
    expect(event).toMatchObject({
      class: 'LOCKDOWN_REJECTED',
      domain: 'migrated.example',
      sender: 'joe@migrated.example',
      recipient: 'someone@gmail.example',
    });
  });

  test('when the record authorizes the provider, then the message is relayed and no failure is read', async () => {
    const { queueId, line } = await send('ann@shared.example');
    expect(line).toContain('status=sent (250 2.0.0 Message accepted for delivery');
    const { failures } = await readPostfixFailures({ log: postfix.maillog });
    expect(failures.some((f) => f.messageId === queueId)).toBe(false);
  });

  test('when the relay cannot look the record up, then Postfix defers (4xx) and the reader reports a deferral, not a lockdown rejection', async () => {
    relay.setLookup(() => Promise.reject(new TxtLookupError('SERVFAIL', 'injected')));
    try {
      const { queueId, line } = await send('joe@dnsfail.example');
      expect(line).toMatch(/status=deferred \(host 127\.0\.0\.1\[127\.0\.0\.1\] said: 451 4\.4\.3 /);
      const report = await findBounces({ log: postfix.maillog }, { readFailures: readPostfixFailures });
      expect(report.events.find((e) => e.messageId === queueId)?.class).toBe('DEFERRED');
    } finally {
      relay.useDns();
    }
  });
});
