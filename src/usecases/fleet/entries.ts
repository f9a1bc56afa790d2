/**
 * The server's rows as the fleet protocol carries them (src/fleet/protocol/wire.ts): a scan result
 * keeps its status, codes and the non-ok findings in words (the records stay on the server); a
 * change its id, status and the lockdown values before and after; a rejection the `bounces --json`
 * event fields.
 */
import type { ChangeRowForFleet, ScanRowForFleet } from '../../adapters/store';
import type { ChangeRow, DomainRow, RejectionRow } from '../../fleet/protocol';
import type { BounceEvent } from '../bounces';

interface ReportFinding {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
}

const SEVERITIES = new Set(['info', 'warning', 'error']);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function domainRowOf(row: ScanRowForFleet): DomainRow {
  const findings = ((row.report as { findings?: ReportFinding[] } | null)?.findings ?? [])
    .filter((f) => typeof f.code === 'string' && typeof f.severity === 'string' && SEVERITIES.has(f.severity))
    .slice(0, 64)
    .map((f) => ({
      code: f.code as string,
      severity: f.severity as 'info' | 'warning' | 'error',
      message: clip(typeof f.message === 'string' ? f.message : '', 1000),
    }));
  return {
    domain: row.domain,
    zone: row.zone,
    user: row.user,
    owner: row.owner,
    status: (['ok', 'info', 'warning', 'error', 'unknown'].includes(row.status) ? row.status : 'unknown') as DomainRow['status'],
    codes: row.codes.slice(0, 64),
    findings,
    scannedAt: new Date(row.scannedAt).toISOString(),
  };
}

export function changeRowOf(row: ChangeRowForFleet): ChangeRow {
  return {
    id: row.id,
    domain: row.domain,
    zone: row.zone,
    user: row.user,
    kind: row.kind,
    rollbackOf: row.rollbackOf,
    status: row.status,
    actor: clip(row.actor, 200),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    before: row.before.slice(0, 20).map((v) => clip(v, 2000)),
    after: row.after.slice(0, 20).map((v) => clip(v, 2000)),
    error: row.error === null ? null : clip(row.error, 2000),
  };
}

export function rejectionRowOf(event: BounceEvent): RejectionRow {
  return {
    messageId: clip(event.messageId, 300),
    time: new Date(event.time).toISOString(),
    recipient: clip(event.recipient, 320),
    domain: event.domain,
    class: event.class,
    sender: event.sender === null ? null : clip(event.sender, 320),
    authUser: event.authUser === null ? null : clip(event.authUser, 320),
  };
}
