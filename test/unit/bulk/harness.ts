/**
 * A small server for bulk tests: the generated zones of test/fixtures/bulk/synthetic.js in the
 * in-memory cPanel (real line editor, Stale on a changed serial, write faults), a journal (in memory
 * or on disk, so a second "process" can recover it), and call counters on everything bulk economises.
 */
import type { BackupPolicy } from '../../../src/adapters/jetbackup/policy';
import { openStore, type Store } from '../../../src/adapters/store';
import type { DomainInfo, ZoneStore } from '../../../src/ports';
import { registerServerJobs } from '../../../src/usecases/bulk';
import { createJobRunner, registerChangeJobs, type JobRunner } from '../../../src/usecases/jobs';
import type { RepairContext } from '../../../src/usecases/repair';
import { accountAt, zonesOf, type SyntheticOptions } from '../../fixtures/bulk/synthetic';
import { makeHarness, type Harness } from '../repair/harness';

export interface BulkHarness extends Harness {
  /** Zone name → its generated text before any change. */
  original: Map<string, string>;
  staleDomains: string[];
  calls: { listDomains: number; findDomain: number; localAuthority: number; massEdit: number };
  /** Most writes in flight at once for one zone, and overall. */
  maxInFlightPerZone: () => number;
  maxInFlight: () => number;
  context: () => RepairContext;
  runnerOn(store: Store): JobRunner;
}

const tick = () => new Promise((r) => setTimeout(r, 1));

export function bulkHarness(options: { server?: SyntheticOptions; policy?: BackupPolicy; store?: Store } = {}): BulkHarness {
  const h = makeHarness({ policy: options.policy ?? 'off' });
  const server = { accounts: 20, staleEvery: 2, ...options.server };
  const original = new Map<string, string>();
  const staleDomains: string[] = [];
  for (const zone of zonesOf(server)) {
    h.cpanel.addZone(zone.name, zone.text);
    original.set(zone.name, zone.text);
    if (zone.stale) staleDomains.push(...zone.lockdownDomains);
  }
  for (let i = 0; i < (server.accounts ?? 20); i++) {
    const a = accountAt(i, server);
    h.cpanel.addDomain({ domain: a.domain, user: a.user, owner: a.owner, zone: a.domain });
    for (const addon of a.addons) h.cpanel.addDomain({ domain: addon, user: a.user, owner: a.owner, zone: addon, type: 'addon' });
    for (const sub of a.subs) h.cpanel.addDomain({ domain: sub, user: a.user, owner: a.owner, zone: a.domain, type: 'sub' });
  }
  const calls = { listDomains: 0, findDomain: 0, localAuthority: 0, massEdit: 0 };
  const inFlight = new Map<string, number>();
  let perZone = 0;
  let overall = 0;
  let now = 0;
  const cpanel = h.cpanel;
  const zones: ZoneStore = {
    readZone: (zone) => cpanel.readZone(zone),
    async massEdit(params) {
      calls.massEdit++;
      inFlight.set(params.zone, (inFlight.get(params.zone) ?? 0) + 1);
      now++;
      perZone = Math.max(perZone, inFlight.get(params.zone)!);
      overall = Math.max(overall, now);
      try {
        // Leave room for another worker to reach the same zone, were it not locked.
        await tick();
        return await cpanel.massEdit(params);
      } finally {
        inFlight.set(params.zone, inFlight.get(params.zone)! - 1);
        now--;
      }
    },
  };
  const accounts = {
    listDomains: async (): Promise<DomainInfo[]> => (calls.listDomains++, cpanel.listDomains()),
    domainsOfUser: (user: string) => cpanel.domainsOfUser(user),
    findDomain: async (domain: string) => (calls.findDomain++, cpanel.findDomain(domain)),
    localAuthority: async (domains: string[]) => (calls.localAuthority++, cpanel.localAuthority(domains)),
  };
  const store = options.store ?? h.store;
  const context = (): RepairContext => ({ ...h.ctx, zones, accounts, journal: store });
  return {
    ...h,
    store,
    original,
    staleDomains,
    calls,
    maxInFlightPerZone: () => perZone,
    maxInFlight: () => overall,
    context,
    runnerOn(s: Store) {
      const runner = createJobRunner({ queue: s });
      const ctx = () => ({ ...context(), journal: s });
      registerChangeJobs(runner, { context: ctx, scans: s });
      registerServerJobs(runner, {
        bulk: { context: ctx, accounts, queue: s, journal: s, scans: s },
        scan: {
          context: async () => {
            throw new Error('no scan in these tests');
          },
        },
      });
      return runner;
    },
  };
}

/** Store on disk, for tests where a second process recovers the first one's work. */
export function fileStore(path: string, runnerId: string, now: () => Date): Store {
  return openStore(path, { runnerId, clock: now });
}
