/**
 * One exchange with the fleet controller, always started by the server: settle the local jobs of
 * accepted requests, fill the outbox, push it (oldest first, in bounded pushes, dropping what the
 * controller acknowledges), then — when a pull is due — pull the requests addressed to this server,
 * decide them, and push those decisions at once.
 *
 * A push that fails leaves the outbox as it was: the next exchange sends the same entries again and
 * the controller, which applies each sequence number once, ignores what it already has.
 */
import { MAX_ENTRIES_PER_PUSH, PROTOCOL_VERSION, type OutboxEntry, type ServerInfo } from '../../fleet/protocol';
import type { FleetLink } from '../../adapters/fleet';
import { collectOutbox, REJECTIONS_MARK, type CollectDeps, type Collected } from './collect';
import { handleRequests, settleRequests, type RequestDeps } from './requests';

export const ACKED_SEQ = 'acked_seq';
export const LAST_CONTACT = 'last_contact';
/** Bytes of entries per push (the controller accepts up to 8 MiB). */
export const PUSH_BYTES = 4 * 1024 * 1024;

export interface SyncDeps extends CollectDeps, RequestDeps {
  link: FleetLink;
  info: ServerInfo;
  log?: (entry: Record<string, unknown>) => void;
}

export interface SyncReport {
  collected: Collected;
  pushedEntries: number;
  ackedSeq: number;
  pulled: number;
  accepted: number;
  declined: number;
  settled: number;
  /** The controller's suggested wait before the next pull (when one was made). */
  pollSeconds?: number;
  /** The controller had lost entries it had acknowledged: everything is being sent again. */
  resynced: boolean;
}

/** Send everything again: mark every result and change, re-read the rejections window, re-send every decision. */
function resync(deps: SyncDeps, controllerSeq: number): void {
  deps.outbox.enableFleetFeed();
  deps.transaction(() => {
    deps.outbox.setFleetState(ACKED_SEQ, String(controllerSeq));
    deps.outbox.setFleetState(REJECTIONS_MARK, '1970-01-01T00:00:00.000Z');
    deps.outbox.setFleetState(`${REJECTIONS_MARK}_keys`, '[]');
    for (const request of deps.outbox.allFleetRequests()) deps.outbox.enqueue('request', { outcome: request.outcome }, deps.clock.now());
  });
}

async function pushOutbox(deps: SyncDeps): Promise<{ entries: number; resynced: boolean }> {
  let acked = Number(deps.outbox.fleetState(ACKED_SEQ) ?? 0);
  let entries = 0;
  for (;;) {
    const rows = deps.outbox.pending(acked, MAX_ENTRIES_PER_PUSH, PUSH_BYTES);
    if (rows.length === 0) return { entries, resynced: false };
    const list = rows.map((r) => ({ seq: r.seq, kind: r.kind, ...(r.body as object) }) as OutboxEntry);
    const answer = await deps.link.push({ protocol: PROTOCOL_VERSION, info: deps.info, entries: list });
    if (answer.previousSeq < acked) {
      deps.log?.({
        level: 'warn',
        msg: 'fleet controller lost entries; sending everything again',
        controllerSeq: answer.previousSeq,
        acked,
      });
      resync(deps, answer.previousSeq);
      return { entries, resynced: true };
    }
    deps.transaction(() => {
      deps.outbox.acknowledge(answer.ackedSeq);
      deps.outbox.setFleetState(ACKED_SEQ, String(answer.ackedSeq));
    });
    entries += rows.length;
    if (answer.ackedSeq < rows[rows.length - 1]!.seq) return { entries, resynced: false };
    acked = answer.ackedSeq;
  }
}

export async function syncWithController(deps: SyncDeps, options: { pull: boolean }): Promise<SyncReport> {
  let settled = settleRequests(deps);
  const collected = await collectOutbox(deps);
  const first = await pushOutbox(deps);
  const report: SyncReport = {
    collected,
    pushedEntries: first.entries,
    ackedSeq: 0,
    pulled: 0,
    accepted: 0,
    declined: 0,
    settled,
    resynced: first.resynced,
  };
  if (options.pull) {
    const answer = await deps.link.pull({ protocol: PROTOCOL_VERSION, info: deps.info });
    const handled = await handleRequests(deps, answer.requests);
    settled += settleRequests(deps);
    const second = await pushOutbox(deps);
    Object.assign(report, {
      pulled: answer.requests.length,
      accepted: handled.accepted,
      declined: handled.declined,
      settled,
      pollSeconds: answer.pollSeconds,
      pushedEntries: report.pushedEntries + second.entries,
      resynced: report.resynced || second.resynced,
    });
  }
  deps.outbox.setFleetState(LAST_CONTACT, deps.clock.now().toISOString());
  report.ackedSeq = Number(deps.outbox.fleetState(ACKED_SEQ) ?? 0);
  return report;
}
