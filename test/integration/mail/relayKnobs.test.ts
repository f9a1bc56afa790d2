/**
 * The relay double's knobs, spoken to directly over SMTP (nodemailer with AUTH), with an in-memory
 * TXT map instead of DNS: which domain is checked, a message without X-AuthUser, rejection wording,
 * injected temporary failures, wrong credentials.
 */
import { createTransport } from 'nodemailer';
import { startRelay, type Relay, type RelayOptions } from '../../../src/simulator/relay';

const RECORDS: Record<string, string[][]> = {
  '_mailchannels.locked.example': [['v=mc1 senderid=webhostingm|x-authuser|bob']],
  '_mailchannels.open.example': [],
};

async function withRelay(
  options: Partial<RelayOptions>,
  fn: (relay: Relay, send: (mail: Record<string, unknown>, auth?: { user: string; pass: string }) => Promise<unknown>) => Promise<void>,
) {
  const relay = await startRelay({
    accounts: [{ username: 'webhostingm', password: 'pw' }],
    lookupTxt: async (name) => RECORDS[name] ?? [],
    ...options,
  });
  const send = async (mail: Record<string, unknown>, auth = { user: 'webhostingm', pass: 'pw' }) => {
    const transport = createTransport({ host: '127.0.0.1', port: relay.port, secure: false, ignoreTLS: true, auth });
    try {
      return await transport.sendMail({ text: 'x', to: 'y@gmail.example', ...mail });
    } finally {
      transport.close();
    }
  };
  try {
    await fn(relay, send);
  } finally {
    await relay.stop();
  }
}

describe('relay double knobs', () => {
  test('when From: and the envelope sender differ, then the From: domain is checked by default and the envelope domain with the knob', async () => {
    const mail = {
      from: 'x@locked.example',
      envelope: { from: 'x@open.example', to: 'y@gmail.example' },
      headers: { 'X-AuthUser': 'joe' },
    };
    await withRelay({}, async (relay, send) => {
      await expect(send(mail)).rejects.toMatchObject({
        responseCode: 550,
        response: '550 5.7.1 This sender is not authorized to send from locked.example.',
      });
      expect(relay.messages[0]?.checkedDomain).toBe('locked.example');
    });
    await withRelay({ checkDomainOf: 'envelope' }, async (relay, send) => {
      await send(mail);
      expect(relay.messages[0]).toMatchObject({ checkedDomain: 'open.example', outcome: 'accepted' });
    });
  });

  test('when a message has no X-AuthUser, then it has no sender ID by default, is refused with the reject knob, and gets the account id with the third knob', async () => {
    await withRelay({}, async (relay, send) => {
      await expect(send({ from: 'x@locked.example' })).rejects.toMatchObject({ responseCode: 550 });
      expect(relay.messages[0]).toMatchObject({ authUser: null, senderId: null });
    });
    await withRelay({ missingAuthUser: 'reject' }, async (relay, send) => {
      await expect(send({ from: 'x@open.example' })).rejects.toMatchObject({ response: '550 5.7.1 Missing X-AuthUser header.' });
    });
    await withRelay({ missingAuthUser: 'use-account-id' }, async (relay, send) => {
      await send({ from: 'x@open.example' });
      expect(relay.messages[0]?.senderId).toBe('webhostingm|x-authuser|webhostingm');
    });
  });

  test('when the rejection variant is set, then the 550 text has no period, or the link', async () => {
    await withRelay({ rejection: 'no-period' }, async (_relay, send) => {
      await expect(send({ from: 'x@locked.example' })).rejects.toMatchObject({
        response: '550 5.7.1 This sender is not authorized to send from locked.example',
      });
    });
    await withRelay({ rejection: 'link' }, async (_relay, send) => {
      await expect(send({ from: 'x@locked.example' })).rejects.toMatchObject({
        response: '550 5.7.1 This sender is not authorized to send from locked.example. See https://bit.ly/domain-lockdown.',
      });
    });
  });

  test('when a temporary failure is injected, then every message gets it until it is cleared', async () => {
    await withRelay({}, async (relay, send) => {
      relay.setTemporaryFailure('451 4.7.1 Try again later');
      await expect(send({ from: 'x@open.example' })).rejects.toMatchObject({ responseCode: 451, response: '451 4.7.1 Try again later' });
      relay.setTemporaryFailure(null);
      await send({ from: 'x@open.example' });
      expect(relay.messages.map((m) => m.outcome)).toEqual(['deferred', 'accepted']);
      expect(() => relay.setTemporaryFailure('550 not temporary')).toThrow(/temporary failure must look like/);
    });
  });

  test('when the login is wrong, then AUTH fails with 535 and nothing is recorded', async () => {
    await withRelay({}, async (relay, send) => {
      await expect(send({ from: 'x@open.example' }, { user: 'webhostingm', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 535 });
      expect(relay.messages).toEqual([]);
    });
  });
});
