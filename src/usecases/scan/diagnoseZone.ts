/**
 * Diagnose every domain of one zone from the zone's content: parse once (after the fast path's
 * pre-filter, relevantLines.ts), then run the same `diagnoseDomain` as `diagnose` for each domain.
 * Pure apart from CPU: it runs in this thread or in a worker thread (zoneWorker.ts). A zone that
 * does not parse gives each of its domains an error result; it never stops the scan.
 */
import { isFixEmailAuthError } from '../../errors';
import type { ErrorInfo } from '../../adapters/store';
import { parseZoneFile } from '../../zone/bindReader';
import type { Zone } from '../../zone/model';
import { diagnoseDomain } from '../diagnose';
import { reduceZoneText } from './relevantLines';
import type { DiagnosisConfig, ScanErrorReport, ScannedDomain, ZoneMember, ZoneTask } from './types';

export function errorInfo(err: unknown, step: string): ErrorInfo {
  if (isFixEmailAuthError(err)) return { code: err.code, step: err.step, message: err.message };
  return { code: 'INTERNAL', step, message: err instanceof Error ? err.message : String(err) };
}

export function errorResult(zone: string, member: ZoneMember, error: ErrorInfo): ScannedDomain {
  const report: ScanErrorReport = { domain: member.domain, zone, status: 'unknown', findings: [], plan: null, user: member.user, error };
  return {
    domain: member.domain,
    zone,
    user: member.user,
    owner: member.owner,
    status: 'unknown',
    codes: [],
    reportJson: JSON.stringify(report),
    error,
  };
}

function zoneOf(task: ZoneTask): Zone {
  const content = task.content;
  if (!content) throw new Error(`zone ${task.zone} has no content`);
  if ('parsed' in content) return content.parsed;
  // From a worker's message the bytes arrive as a plain Uint8Array: wrap it, do not copy it.
  const raw = content.bytes as Uint8Array;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return parseZoneFile(reduceZoneText(bytes, task.zone).bytes, task.zone);
}

export async function diagnoseZoneTask(config: DiagnosisConfig, task: ZoneTask): Promise<ScannedDomain[]> {
  if (task.error) return task.members.map((m) => errorResult(task.zone, m, task.error!));
  let zone: Zone;
  try {
    zone = zoneOf(task);
  } catch (err) {
    const error = errorInfo(err, 'read');
    return task.members.map((m) => errorResult(task.zone, m, error));
  }
  const out: ScannedDomain[] = [];
  for (const member of task.members) {
    try {
      const report = await diagnoseDomain({
        domain: member.domain,
        zone,
        user: member.user,
        config,
        ...(member.dkimPublicKey !== undefined ? { dkimPublicKey: member.dkimPublicKey } : {}),
        ...(member.authority ? { authority: member.authority } : {}),
        ...(member.mailboxes ? { mailboxes: member.mailboxes } : {}),
      });
      out.push({
        domain: report.domain,
        zone: zone.name,
        user: member.user,
        owner: member.owner,
        status: report.status,
        codes: report.findings.map((f) => f.code),
        reportJson: JSON.stringify({ ...report, user: member.user }),
      });
    } catch (err) {
      out.push(errorResult(task.zone, member, errorInfo(err, 'diagnose')));
    }
  }
  return out;
}

/** The in-thread diagnoser (the API path, tests, and servers where worker threads are not wanted). */
export function inThreadDiagnoser(config: DiagnosisConfig) {
  return {
    diagnose: (task: ZoneTask) => diagnoseZoneTask(config, task),
    close: async () => undefined,
  };
}
