/**
 * The server's domain map between pages (whmAccounts.ts): pages reuse it while fresh and share one
 * fetch; a change's ownership check always reads it anew; pages never wait on such a fetch (it runs in
 * another tenant's share); `invalidate` forgets it, also when a fetch was under way.
 */
import { withCallScope } from '../../../src/adapters/cpanel/callScope';
import { WhmAccounts } from '../../../src/adapters/cpanel/whmAccounts';
import { WhmApi } from '../../../src/adapters/cpanel/whmApi';
import * as s from './samples';
import { noSleep, ScriptedWhm } from './scripted';

const listzones = {
  metadata: { command: 'listzones', reason: 'OK', result: 1, version: 1 },
  data: { zone: [{ domain: 'alice.example' }] },
};

function setup() {
  let now = 1_000;
  let gate: Promise<void> = Promise.resolve();
  const whm = new ScriptedWhm({
    get_domain_info: [s.getDomainInfoSample],
    listaccts: [s.listacctsSample],
    listzones: [listzones],
  });
  // get_domain_info answers when the test opens the gate.
  const transport = {
    description: whm.description,
    callWhm: async (fn: string, params: never, options: never) => {
      if (fn === 'get_domain_info') await gate;
      return whm.callWhm(fn, params, options);
    },
  };
  const accounts = new WhmAccounts(new WhmApi(transport, { sleep: noSleep }), { cacheMs: 20_000, now: () => now });
  const page = () => withCallScope({ key: 'user:alice', cachedDomainMapOk: true }, () => accounts.listDomains());
  const change = () => withCallScope({ key: 'user:bob' }, () => accounts.findDomain('alice.example'));
  const fetches = () => whm.calls.filter((c) => c.name === 'get_domain_info').length;
  return {
    accounts,
    page,
    change,
    fetches,
    advance: (ms: number) => (now += ms),
    hold: () => {
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => open();
    },
  };
}

test('when pages follow each other, then one fetch serves them until it is older than the cache time', async () => {
  const t = setup();
  await Promise.all([t.page(), t.page(), t.page()]);
  expect(t.fetches()).toBe(1);
  t.advance(19_000);
  await t.page();
  expect(t.fetches()).toBe(1);
  t.advance(2_000);
  await t.page();
  expect(t.fetches()).toBe(2);
});

test('when a change checks ownership, then it fetches anew; a page meanwhile does not wait for that fetch and then gets the newer map', async () => {
  const t = setup();
  await t.page();
  const open = t.hold();
  let changeDone = false;
  const change = t.change().then(() => (changeDone = true));
  expect((await t.page()).map((d) => d.domain)).toContain('alice.example');
  expect(changeDone).toBe(false);
  open();
  await change;
  expect(t.fetches()).toBe(2);
  await t.page();
  expect(t.fetches()).toBe(2);
});

test('when the map is invalidated while a page fetch runs, then that fetch does not become the cached map', async () => {
  const t = setup();
  const open = t.hold();
  const first = t.page();
  t.accounts.invalidate();
  open();
  await first;
  await t.page();
  expect(t.fetches()).toBe(2);
});
