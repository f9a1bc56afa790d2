/** Shared fixtures for the store tests: temp dirs, a stepping clock, records of a realistic change. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { MassEditParams, ZoneRecord } from '../../../src/zone/model';
import { openStore, type NewChange, type Store } from '../../../src/adapters/store';

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fea-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh journal file for each test of the suite: opened before it (then `ready` gets the store and
 * its path), closed and deleted after it.
 */
export function useTempStore(options: Parameters<typeof openStore>[1], ready: (store: Store, path: string) => void): void {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  beforeEach(() => {
    tmp = makeTempDir();
    const path = join(tmp.dir, 'journal.db');
    store = openStore(path, options);
    ready(store, path);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });
}

/** A clock that moves one second per reading, so every timestamp differs and order is visible. */
export function steppingClock(start = '2024-06-01T12:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

/** The stale record of a migrated domain, as parse_zone reports it. */
export function staleLockdownRecord(overrides: Partial<ZoneRecord> = {}): ZoneRecord {
  return {
    lineIndex: 21,
    dname: '_mailchannels',
    name: '_mailchannels.example.com.',
    ttl: 14400,
    type: 'TXT',
    data: ['v=mc1 auth=oldhost'],
    ...overrides,
  };
}

export function repairPlan(serial = '2024060101', zone = 'example.com'): MassEditParams {
  return {
    zone,
    serial,
    remove: [],
    edit: [{ line_index: 21, dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    add: [],
  };
}

export function newRepair(overrides: Partial<NewChange> = {}): NewChange {
  const serial = overrides.serialBefore ?? '2024060101';
  return {
    actor: { kind: 'user', name: 'exampleuser' },
    domain: 'example.com',
    zone: 'example.com',
    user: 'exampleuser',
    serialBefore: serial,
    removed: [staleLockdownRecord()],
    added: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'], lineIndex: 21 }],
    plan: repairPlan(serial),
    ...overrides,
  };
}
