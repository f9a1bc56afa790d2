/**
 * The self-healing loop over the in-memory cPanel and a real in-memory journal: what each policy
 * repairs and what it leaves, the actor and the undo of an automatic repair, once per domain per
 * hour, a zone edited into block-all between the diagnosis and the write, the owner's notice
 * (deduplicated, opt-out, server-wide off, no contact address) and the admin digest.
 */
import { parseConfig, type ConfigInput } from '../../../src/config';
import type { Notice } from '../../../src/adapters/store';
import { rollbackChange } from '../../../src/usecases/repair';
import { pageLinks } from '../../../src/usecases/autofix/links';
import { createSelfHealing, type SelfHealing } from '../../../src/usecases/autofix/selfHealing';
import { FAST_VERIFY, INCIDENT_ZONE, makeHarness, type Harness } from '../repair/harness';

interface Sent {
  to: readonly string[];
  subject: string;
  text: string;
}

interface Rig {
  h: Harness;
  loop: SelfHealing;
  sent: Sent[];
  contacts: Map<string, string[]>;
}

const LINKS = pageLinks({ cpanelUrl: 'https://host.example.net:2083', whmUrl: 'https://host.example.net:2087' });

function rig(
  policy: Partial<NonNullable<ConfigInput['policy']>> = {},
  notify: Partial<NonNullable<ConfigInput['notify']>> = {},
  zoneText?: string,
): Rig {
  const h = makeHarness(zoneText ? { zoneText } : {});
  const config = parseConfig({ provider: { authId: 'webhostingm' }, policy, notify });
  const sent: Sent[] = [];
  const contacts = new Map([['alice', ['alice@owner.example']]]);
  const loop = createSelfHealing({
    config,
    context: () => h.ctx,
    store: h.store,
    accounts: h.cpanel,
    mailer: { send: async (mail) => void sent.push(mail) },
    contactOf: async (user) => contacts.get(user) ?? [],
    links: LINKS,
    serverName: 'host.example.net',
    verifyOptions: FAST_VERIFY,
    now: () => h.cpanel.now,
  });
  return { h, loop, sent, contacts };
}

const lockdown = (r: Rig) => r.h.cpanel.text('example.com').match(/_mailchannels.*$/m)?.[0];
const later = (r: Rig, ms: number) => (r.h.cpanel.now = new Date(r.h.cpanel.now.getTime() + ms));

describe('policy all-stale', () => {
  it('when a stale record is rejected, then it is repaired as actor autofix, the owner is told with a link, and the change can be undone', async () => {
    const r = rig({ autofix: 'all-stale' });
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome?.kind).toBe('repaired');
    expect(lockdown(r)).toMatch(/"v=mc1 auth=webhostingm"/);
    const change = r.h.store.listChanges({ domain: 'example.com' })[0]!;
    expect(change.actor).toEqual({ kind: 'system', name: 'autofix' });
    expect(change.status).toBe('verified');
    expect(r.h.backups.calls).toEqual(['alice']);

    const notices = r.h.store.notices.openNotices('alice');
    expect(notices.map((n) => [n.kind, n.domain, n.changeId])).toEqual([['repaired', 'example.com', change.id]]);
    expect(notices[0]!.message).toContain('"v=mc1 auth=oldhost"');
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.to).toEqual(['alice@owner.example']);
    expect(r.sent[0]!.subject).toBe('Mail from example.com: fixed automatically');
    expect(r.sent[0]!.text).toContain(LINKS.userDomain('example.com'));
    expect(r.h.store.getScanResult('example.com')?.status).not.toBe('error');

    const undone = await rollbackChange(r.h.ctx, {
      changeId: change.id,
      actor: { kind: 'user', name: 'alice' },
      verifyOptions: FAST_VERIFY,
    });
    expect(undone.status).toBe('verified');
    expect(lockdown(r)).toMatch(/"v=mc1 auth=oldhost"/);
  });

  it('when the record is stale again within the hour, then no second automatic repair is tried; after the hour it is', async () => {
    const r = rig({ autofix: 'all-stale' });
    expect((await r.loop.check('example.com', 'rejection'))?.kind).toBe('repaired');
    const change = r.h.store.listChanges({ domain: 'example.com' })[0]!;
    await rollbackChange(r.h.ctx, { changeId: change.id, actor: { kind: 'user', name: 'alice' }, verifyOptions: FAST_VERIFY });
    later(r, 30 * 60_000);
    expect((await r.loop.check('example.com', 'rejection'))?.kind).toBe('rate-limited');
    expect(r.h.store.listChanges({ domain: 'example.com' }).filter((c) => c.kind === 'repair')).toHaveLength(1);
    later(r, 31 * 60_000);
    expect((await r.loop.check('example.com', 'rejection'))?.kind).toBe('repaired');
  });

  it('when the record is block-all, then it is never changed and the notice says why and what to click', async () => {
    const r = rig({ autofix: 'all-stale' }, {}, INCIDENT_ZONE.replace('v=mc1 auth=oldhost', 'v=mc1'));
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome).toMatchObject({ kind: 'left', reason: 'block-all' });
    expect(r.h.cpanel.writes).toEqual([]);
    const [notice] = r.h.store.notices.openNotices('alice');
    expect(notice?.kind).toBe('needs-action');
    expect(notice?.message).toMatch(/never change such a record automatically/);
    expect(notice?.message).toMatch(/Fix Email Authorization/);
  });

  it.each([
    ['two records', '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"\n_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=otherhost"'],
    ['a value that only matches with another letter case', '_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=WebHostingM"'],
    ['cfid=', '_mailchannels\t3600\tIN\tTXT\t"v=mc1 cfid=example.workers.dev"'],
  ])('when the lockdown is ambiguous (%s), then nothing is changed and the owner is asked to decide', async (_what, records) => {
    const r = rig({ autofix: 'all-stale' }, {}, INCIDENT_ZONE.replace('_mailchannels\t3600\tIN\tTXT\t"v=mc1 auth=oldhost"', records));
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome).toMatchObject({ kind: 'left', reason: 'ambiguous' });
    expect(r.h.cpanel.writes).toEqual([]);
  });

  it('when someone turns the record into block-all between the diagnosis and the write, then the zone is left as they made it', async () => {
    const r = rig({ autofix: 'all-stale' });
    const zones = r.h.ctx.zones;
    let reads = 0;
    r.h.ctx.zones = {
      readZone: async (zone) => {
        // The loop's own diagnosis reads once; before the repair's read, a person edits the record.
        if (++reads === 2) r.h.cpanel.texts.set(zone, r.h.cpanel.text(zone).replace('"v=mc1 auth=oldhost"', '"v=mc1"'));
        return zones.readZone(zone);
      },
      massEdit: (params) => zones.massEdit(params),
    };
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome).toMatchObject({ kind: 'left', reason: 'ambiguous' });
    expect(r.h.cpanel.writes).toEqual([]);
    expect(lockdown(r)).toMatch(/"v=mc1"$/);
  });

  it('when a concurrent edit makes cPanel answer Stale and the re-read shows block-all, then the re-plan is refused and nothing is written', async () => {
    const r = rig({ autofix: 'all-stale' });
    r.h.cpanel.beforeNextWrite = (zone) => {
      r.h.cpanel.texts.set(zone, r.h.cpanel.text(zone).replace('"v=mc1 auth=oldhost"', '"v=mc1"').replace('2024030101', '2024030102'));
    };
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome?.kind).toBe('fine');
    expect(r.h.cpanel.writes).toHaveLength(1);
    expect(lockdown(r)).toMatch(/"v=mc1"$/);
  });
});

describe('policy off and stale-after-migration', () => {
  it('when the policy is off, then nothing is changed and the notice says what to click', async () => {
    const r = rig();
    const outcome = await r.loop.check('example.com', 'rejection');
    expect(outcome).toMatchObject({ kind: 'left', reason: 'policy-off' });
    expect(r.h.cpanel.writes).toEqual([]);
    expect(r.h.store.listChanges({ domain: 'example.com' })).toEqual([]);
    const [notice] = r.h.store.notices.openNotices('alice');
    expect(notice?.message).toMatch(
      /Nothing was changed\. To fix it, log in to cPanel, open Email » Fix Email Authorization, choose example\.com/,
    );
    expect(r.sent[0]?.subject).toBe('Mail from example.com: needs your attention');
  });

  it('when the account was not migrated recently, then stale-after-migration leaves the record; after a restore it repairs it, and the window closes', async () => {
    const r = rig({ autofix: 'stale-after-migration', migrationWindowHours: 24 });
    expect(await r.loop.check('example.com', 'rejection')).toMatchObject({ kind: 'left', reason: 'not-recently-migrated' });
    const outcomes = await r.loop.accountMigrated('alice', 'restore');
    expect(outcomes.map((o) => [o.domain, o.kind])).toEqual([
      ['example.com', 'repaired'],
      ['shop.example.com', 'fine'],
    ]);
    expect(r.h.store.selfHeal.migratedAt('alice')).toEqual(r.h.cpanel.now);

    const later2 = rig({ autofix: 'stale-after-migration', migrationWindowHours: 24 });
    later2.h.store.selfHeal.recordMigration('alice', 'transfer');
    later(later2, 25 * 3_600_000);
    expect(await later2.loop.check('example.com', 'rejection')).toMatchObject({ kind: 'left', reason: 'not-recently-migrated' });
  });
});

describe('notices', () => {
  it('when the same domain is rejected again and again, then the owner gets one notice per window', async () => {
    const r = rig({}, { dedupeHours: 24 });
    for (let i = 0; i < 5; i++) {
      await r.loop.check('example.com', 'rejection');
      later(r, 3_600_000);
    }
    expect(r.h.store.notices.openNotices('alice')).toHaveLength(1);
    expect(r.sent).toHaveLength(1);
    later(r, 20 * 3_600_000);
    await r.loop.check('example.com', 'rejection');
    expect(r.sent).toHaveLength(2);
  });

  it('when the account turned notice mails off, or the server did, or there is no contact address, then the banner still has it and no mail is sent', async () => {
    const optedOut = rig();
    optedOut.h.store.notices.setOptOut('alice', true, 'user:alice');
    await optedOut.loop.check('example.com', 'rejection');
    expect(optedOut.sent).toEqual([]);
    expect(optedOut.h.store.notices.openNotices('alice')[0]?.mailError).toMatch(/turned notice mails off/);

    const serverOff = rig({}, { owners: false });
    await serverOff.loop.check('example.com', 'rejection');
    expect(serverOff.sent).toEqual([]);
    expect(serverOff.h.store.notices.openNotices('alice')).toHaveLength(1);

    const noContact = rig();
    noContact.contacts.clear();
    await noContact.loop.check('example.com', 'rejection');
    expect(noContact.sent).toEqual([]);
    expect(noContact.h.store.notices.openNotices('alice')[0]?.mailError).toMatch(/no contact email/);
  });

  it('when a user dismisses a notice, then only their own notice can be dismissed', async () => {
    const r = rig();
    await r.loop.check('example.com', 'rejection');
    const [notice] = r.h.store.notices.openNotices('alice') as [Notice];
    expect(r.h.store.notices.dismissNotice(notice.id, 'bob')).toBe(false);
    expect(r.h.store.notices.dismissNotice(notice.id, 'alice')).toBe(true);
    expect(r.h.store.notices.openNotices('alice')).toEqual([]);
  });
});

describe('the admin digest', () => {
  it('when rejections were counted and repairs made, then one digest lists them with links, and the next one has only what is new', async () => {
    const r = rig({ autofix: 'all-stale' });
    const at = r.h.cpanel.now;
    r.h.store.selfHeal.recordRejections({
      byClass: new Map([['LOCKDOWN_REJECTED', 7]]),
      byDomain: new Map([
        ['example.com', { cls: 'LOCKDOWN_REJECTED', count: 6, first: at, last: at }],
        ['elsewhere.example', { cls: 'LOCKDOWN_REJECTED', count: 1, first: at, last: at }],
      ]),
    });
    await r.loop.check('example.com', 'rejection');
    const digest = await r.loop.digest();
    expect(digest?.counts).toEqual({ rejectedDomains: 2, rejections: 7, repaired: 1, failed: 0, needsAction: 0 });
    expect(digest?.mailedTo).toBe('root');
    const mail = r.sent.find((s) => s.to[0] === 'root');
    expect(mail?.subject).toBe('[host.example.net] Mail authentication: 1 repaired, 0 failed, 7 rejections');
    expect(mail?.text).toContain('example.com (account alice): 6 × LOCKDOWN_REJECTED');
    expect(mail?.text).toContain('elsewhere.example (not on this server)');
    expect(mail?.text).toContain(LINKS.adminSelfHeal());
    expect(await r.loop.digest()).toBeNull();
    // Half a year later the digested notice and the old attempt are forgotten; the journal keeps the change.
    later(r, 181 * 86_400_000);
    await r.loop.digest();
    expect(r.h.store.notices.recentNotices(10)).toEqual([]);
    expect(r.h.store.selfHeal.recentAutofixes(10)).toEqual([]);
    expect(r.h.store.listChanges({ domain: 'example.com' })).toHaveLength(1);
  });
});
