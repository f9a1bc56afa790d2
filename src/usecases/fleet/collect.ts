/**
 * Filling the outbox. The triggers of the store (adapters/store/fleet.ts) mark every domain whose
 * scan result was written or removed and every change written; here the marks are turned into
 * entries, a few hundred at a time, each batch in one transaction with the marks it clears (so a
 * crash either leaves the marks or the entries, never neither). Rejections come from the Exim log,
 * after the time of the last one collected.
 */
import type { FleetOutbox } from '../../adapters/store';
import { MAX_ROWS_PER_ENTRY, type NewOutboxEntry, type RejectionRow } from '../../fleet/protocol';
import type { Clock } from '../../ports';
import { changeRowOf, domainRowOf } from './entries';

export const REJECTIONS_MARK = 'rejections_since';

export interface CollectDeps {
  outbox: FleetOutbox;
  transaction<T>(fn: () => T): T;
  clock: Clock;
  /** New rejections since a time (the Exim log, incrementally); absent when the log cannot be read. */
  rejectionsSince?: (since: Date | undefined) => Promise<RejectionRow[]>;
}

export interface Collected {
  domains: number;
  removed: number;
  changes: number;
  rejections: number;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

function enqueue(deps: CollectDeps, entry: NewOutboxEntry): void {
  const { kind, ...body } = entry;
  deps.outbox.enqueue(kind, body, deps.clock.now());
}

export async function collectOutbox(deps: CollectDeps): Promise<Collected> {
  const out: Collected = { domains: 0, removed: 0, changes: 0, rejections: 0 };
  for (;;) {
    const more = deps.transaction(() => {
      const names = deps.outbox.takeDirty('domain', MAX_ROWS_PER_ENTRY);
      if (names.length === 0) return false;
      const rows = deps.outbox.scanRowsFor(names);
      const present = new Set(rows.map((r) => r.domain));
      const gone = names.filter((n) => !present.has(n));
      if (rows.length) enqueue(deps, { kind: 'domains', rows: rows.map(domainRowOf) });
      if (gone.length) enqueue(deps, { kind: 'domains-removed', domains: gone });
      out.domains += rows.length;
      out.removed += gone.length;
      return true;
    });
    if (!more) break;
    await yieldToOthers();
  }
  for (;;) {
    const more = deps.transaction(() => {
      const ids = deps.outbox.takeDirty('change', MAX_ROWS_PER_ENTRY).map(Number);
      if (ids.length === 0) return false;
      const rows = deps.outbox.changeRowsFor(ids);
      if (rows.length) enqueue(deps, { kind: 'changes', rows: rows.map(changeRowOf) });
      out.changes += rows.length;
      return true;
    });
    if (!more) break;
    await yieldToOthers();
  }
  if (deps.rejectionsSince) out.rejections = await collectRejections(deps, deps.rejectionsSince);
  return out;
}

/**
 * Exim logs whole seconds, so more rejections may still arrive with the time of the last one
 * collected: those are read again, and the ones already sent at that second are recognised by their
 * message id and recipient (kept with the mark) instead of being sent twice.
 */
async function collectRejections(deps: CollectDeps, read: NonNullable<CollectDeps['rejectionsSince']>): Promise<number> {
  const mark = deps.outbox.fleetState(REJECTIONS_MARK);
  const sentAtMark = new Set<string>(JSON.parse(deps.outbox.fleetState(`${REJECTIONS_MARK}_keys`) ?? '[]') as string[]);
  const key = (r: RejectionRow) => `${r.messageId}\u0000${r.recipient}`;
  const rows = (await read(mark ? new Date(mark) : undefined)).filter(
    (r) => !mark || r.time > mark || (r.time === mark && !sentAtMark.has(key(r))),
  );
  if (rows.length === 0) return 0;
  const latest = rows.reduce((max, r) => (r.time > max ? r.time : max), mark ?? '');
  const atLatest = rows.filter((r) => r.time === latest).map(key);
  const keys = latest === mark ? [...sentAtMark, ...atLatest] : atLatest;
  deps.transaction(() => {
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_ENTRY)
      enqueue(deps, { kind: 'rejections', rows: rows.slice(i, i + MAX_ROWS_PER_ENTRY) });
    deps.outbox.setFleetState(REJECTIONS_MARK, latest);
    deps.outbox.setFleetState(`${REJECTIONS_MARK}_keys`, JSON.stringify(keys.slice(-5000)));
  });
  return rows.length;
}
