import { writeFileSync } from 'fs';
import { join } from 'path';
import type { EximFailure } from '../../../src/adapters/exim';
import { addressDomain, bounceReportJson, findBounces, isoLocal } from '../../../src/usecases/bounces';
import { explainBounce } from '../../../src/usecases/explain';
import { isFixEmailAuthError } from '../../../src/errors';
import { fixture, tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

describe('findBounces on a cPanel day', () => {
  const log = fixture('cpanel-day.mainlog');

  it('when the JSON contract is taken, then it has exactly events and domains with exactly the contract fields', async () => {
    const json = bounceReportJson(await findBounces({ log, includeRotated: false }));
    expect(Object.keys(json)).toEqual(['events', 'domains']);
    for (const e of json.events)
      expect(Object.keys(e)).toEqual(['messageId', 'time', 'recipient', 'domain', 'class', 'sender', 'authUser']);
    for (const d of json.domains) expect(Object.keys(d)).toEqual(['domain', 'class', 'count', 'lastSeen']);
  });

  it('when classified, then each event gets its class and the domain it is about', async () => {
    const report = await findBounces({ log, includeRotated: false });
    expect(report.events.map((e) => [e.messageId, e.class, e.domain])).toEqual([
      ['1xY0aa-0001Aa-Ab', 'LOCKDOWN_REJECTED', 'shop.example.co.uk'],
      ['1xY1Bc-0000000Ab3c-Xy9Z', 'LOCKDOWN_REJECTED', 'alice-site.example'],
      ['1xY3De-0003De-Fg', 'SPF_REJECTED', 'spf-broken.example'],
      ['1xY4Ef-0004Ef-Gh', 'RECIPIENT_INVALID', 'example.org'],
      ['1xY5Fg-0005Fg-Hi', 'RATE_LIMITED', 'example.org'],
      ['1xY7Gh-0007Gh-Ij', 'RATE_LIMITED', 'example.org'],
      ['1xY8Hi-0008Hi-Jk', 'LOCKDOWN_REJECTED', 'multi.example'],
      ['1xY9Ij-0009Ij-Kl', 'DEFERRED', 'example.org'],
      ['1xYAJk-000AJk-Lm', 'LOCKDOWN_REJECTED', 'old-queue.example'],
      ['1xYBKl-000BKl-Mn', 'OTHER', 'example.org'],
      ['1xYDMn-000DMn-Op', 'OTHER', null],
    ]);
    expect(report.problems).toBe(true);
    expect(report.events[0]).toEqual({
      messageId: '1xY0aa-0001Aa-Ab',
      time: isoLocal(new Date(2026, 10, 28, 0, 5, 14)),
      recipient: 'someone@gmail.example',
      domain: 'shop.example.co.uk',
      class: 'LOCKDOWN_REJECTED',
      sender: 'joe@shop.example.co.uk',
      authUser: 'joe@shop.example.co.uk',
    });
  });

  it('when aggregated, then domains are per domain+class, authentication failures first, with count and last time', async () => {
    const report = await findBounces({ log, includeRotated: false });
    expect(report.domains.map((d) => [d.domain, d.class, d.count])).toEqual([
      ['alice-site.example', 'LOCKDOWN_REJECTED', 1],
      ['multi.example', 'LOCKDOWN_REJECTED', 1],
      ['old-queue.example', 'LOCKDOWN_REJECTED', 1],
      ['shop.example.co.uk', 'LOCKDOWN_REJECTED', 1],
      ['spf-broken.example', 'SPF_REJECTED', 1],
      ['example.org', 'RATE_LIMITED', 2],
      ['example.org', 'RECIPIENT_INVALID', 1],
      ['example.org', 'OTHER', 1],
      ['example.org', 'DEFERRED', 1],
    ]);
    expect(report.domains.find((d) => d.class === 'RATE_LIMITED')?.lastSeen).toBe(isoLocal(new Date(2026, 10, 28, 7, 30, 0)));
  });

  it('when the UI asks for advice, then each domain aggregate carries its fix and the accounts that sent the mail', async () => {
    const report = await findBounces({ log, includeRotated: false, provider: 'webhostingm' });
    const shop = report.advice.find((a) => a.domain === 'shop.example.co.uk');
    expect(shop?.fix).toContain('Fix Email Authorization');
    expect(shop?.explanation).toContain('_mailchannels.shop.example.co.uk');
    expect(shop?.explanation).toContain('webhostingm');
    expect(shop?.authUsers).toEqual(['joe@shop.example.co.uk']);
  });

  it('when aggregated per account, then mailbox logins and local users are told apart, worst class first', async () => {
    const report = await findBounces({ log, includeRotated: false });
    expect(report.accounts.map((a) => [a.authUser, a.kind, a.worstClass, a.domains])).toEqual([
      ['alice', 'local', 'LOCKDOWN_REJECTED', ['alice-site.example']],
      ['erin@multi.example', 'mailbox', 'LOCKDOWN_REJECTED', ['multi.example']],
      ['joe@shop.example.co.uk', 'mailbox', 'LOCKDOWN_REJECTED', ['shop.example.co.uk']],
      ['bob@spf-broken.example', 'mailbox', 'SPF_REJECTED', ['spf-broken.example']],
      ['newsletter@example.org', 'mailbox', 'RATE_LIMITED', ['example.org']],
      ['spammer', 'local', 'RATE_LIMITED', ['example.org']],
      ['carol', 'local', 'RECIPIENT_INVALID', ['example.org']],
      ['grace@example.org', 'mailbox', 'OTHER', ['example.org']],
      ['frank', 'local', 'DEFERRED', ['example.org']],
    ]);
  });

  it("when limited to a user's own domains, then no other domain's events, aggregates or accounts appear", async () => {
    const report = await findBounces({ log, includeRotated: false, onlyDomains: ['Shop.Example.co.uk.', 'spf-broken.example'] });
    expect(report.events.map((e) => e.domain)).toEqual(['shop.example.co.uk', 'spf-broken.example']);
    expect(report.domains.map((d) => d.domain)).toEqual(['shop.example.co.uk', 'spf-broken.example']);
    expect(report.accounts.map((a) => a.authUser)).toEqual(['joe@shop.example.co.uk', 'bob@spf-broken.example']);
  });

  it('when maxEvents is smaller than the events, then the newest are kept and the aggregates still count everything', async () => {
    const report = await findBounces({ log, includeRotated: false, maxEvents: 2 });
    expect(report.events.map((e) => e.messageId)).toEqual(['1xYBKl-000BKl-Mn', '1xYDMn-000DMn-Op']);
    expect(report.omittedEvents).toBe(9);
    expect(report.domains.reduce((s, d) => s + d.count, 0)).toBe(10);
  });
});

describe('findBounces on a real unrouteable-address log (Exim 4.96)', () => {
  it('when Exim could not route the recipient, then it is RECIPIENT_INVALID, and the failed bounce (<>) has no domain', async () => {
    const report = await findBounces({ log: fixture('real', 'exim-4.96-unrouteable.mainlog'), includeRotated: false });
    expect(report.events.map((e) => [e.recipient, e.class, e.domain, e.sender, e.authUser])).toEqual([
      ['nobody@nowhere.invalid', 'RECIPIENT_INVALID', 'example.com', 'tiff@example.com', 'root'],
      ['tiff@example.com', 'RECIPIENT_INVALID', null, '<>', 'Debian-exim'],
    ]);
    expect(report.problems).toBe(false);
  });
});

describe('findBounces: problems flag and injected reader', () => {
  const failure = (message: string, kind: 'failed' | 'deferred' = 'failed'): EximFailure => ({
    messageId: '1xZ000-000000-Aa',
    time: new Date(2026, 10, 28, 10, 0, 0),
    kind,
    recipient: 'r@x.example',
    originalRecipient: null,
    message,
    hostName: null,
    hostIp: null,
    router: null,
    transport: null,
    sender: 'me@mine.example',
    authUser: 'me',
    file: 'fake',
  });
  const reader = (failures: EximFailure[]) => ({
    readFailures: async (o: { onFailure?: (f: EximFailure) => void }) => {
      for (const f of failures) o.onFailure?.(f);
      return { failures: [], files: [], lines: 0, skippedLongLines: 0, evictedArrivals: 0, warnings: [] };
    },
  });

  it('when only deferrals and unknown recipients occur, then there is no authentication problem', async () => {
    const report = await findBounces({ log: 'unused' }, reader([failure('452 busy', 'deferred'), failure('550 5.1.1 user unknown')]));
    expect(report.problems).toBe(false);
  });

  it('when a deferral line has no SMTP code, then it is DEFERRED, not OTHER', async () => {
    const report = await findBounces({ log: 'unused' }, reader([failure('Connection refused', 'deferred')]));
    expect(report.events.map((e) => e.class)).toEqual(['DEFERRED']);
  });

  it('when an SPF rejection occurs, then it is a problem and the domain is the envelope sender domain', async () => {
    const report = await findBounces({ log: 'unused' }, reader([failure('SMTP error: 550 5.7.1 [BFD] Sender prohibited by SPF')]));
    expect(report.problems).toBe(true);
    expect(report.domains).toEqual([
      { domain: 'mine.example', class: 'SPF_REJECTED', count: 1, lastSeen: isoLocal(new Date(2026, 10, 28, 10, 0, 0)) },
    ]);
  });

  it('when the log is missing, then the adapter error reaches the caller as BAD_INPUT', async () => {
    const err = await findBounces({ log: join(t.dir, 'missing') }).catch((e: unknown) => e);
    expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
  });
});

describe('helpers', () => {
  it('when an address has a domain, then it is lower-cased; <> and bare users have none', () => {
    expect(addressDomain('Joe@Example.COM')).toBe('example.com');
    expect(addressDomain('<>')).toBeNull();
    expect(addressDomain('root')).toBeNull();
    expect(addressDomain(null)).toBeNull();
  });

  it('when a time is formatted, then it is ISO 8601 with the local offset and the same instant', () => {
    const d = new Date(2026, 10, 28, 23, 37, 35, 120);
    const iso = isoLocal(d);
    expect(iso).toMatch(/^2026-11-28T23:37:35\.120[+-]\d\d:\d\d$/);
    expect(new Date(iso).getTime()).toBe(d.getTime());
  });
});

describe('explainBounce', () => {
  it('when one Exim log line is pasted, then recipient and message id are shown and the fields do not confuse it', () => {
    const e = explainBounce(
      '2026-11-28 10:22:33 1xXQ0b-00000004Qx2-AbCd ** someone@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes : SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from example.com.',
    );
    expect(e).toMatchObject({
      class: 'LOCKDOWN_REJECTED',
      domain: 'example.com',
      messageId: '1xXQ0b-00000004Qx2-AbCd',
      recipient: 'someone@gmail.example',
      problem: true,
    });
  });

  it('when a deferral line without a code is pasted, then it is DEFERRED with the deferral advice', () => {
    const e = explainBounce(
      '2026-11-28 09:00:05 [9102] 1xY9Ij-0009Ij-Kl == frank@mx.partner.example R=lookuphost T=remote_smtp defer (111): Connection refused',
    );
    expect(e.class).toBe('DEFERRED');
    expect(e.fix).toMatch(/retried/);
  });

  it('when the text is unrelated, then it is OTHER and not a problem', () => {
    expect(explainBounce('hello there')).toMatchObject({ class: 'OTHER', problem: false });
  });

  it('when the text is empty or blank, then BAD_INPUT', () => {
    for (const text of ['', '  \n ']) {
      let err: unknown;
      try {
        explainBounce(text);
      } catch (e) {
        err = e;
      }
      expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
    }
  });
});

describe('findBounces: incremental through the use case', () => {
  it('when called twice with the same cursor store, then the second call reports only new events', async () => {
    const { MemoryCursorStore } = await import('../../../src/adapters/exim');
    const log = join(t.dir, 'inc.mainlog');
    writeFileSync(
      log,
      '2026-11-28 10:00:00 1xZ100-000001-Aa ** r@x.example R=r T=t: 550 5.7.1 This sender is not authorized to send from one.example.\n',
    );
    const store = new MemoryCursorStore();
    expect((await findBounces({ log, cursorStore: store })).events.map((e) => e.domain)).toEqual(['one.example']);
    const { appendFileSync } = await import('fs');
    appendFileSync(
      log,
      '2026-11-28 11:00:00 1xZ100-000002-Aa ** r@x.example R=r T=t: 550 5.7.1 This sender is not authorized to send from two.example.\n',
    );
    expect((await findBounces({ log, cursorStore: store })).events.map((e) => e.domain)).toEqual(['two.example']);
  });
});
