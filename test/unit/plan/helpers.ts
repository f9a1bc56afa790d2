/** Helpers for planner tests: run the real check, plan, and apply a plan to a Zone in memory. */
import { checkLockdown } from '../../../src/checks/lockdown';
import type { Finding } from '../../../src/checks/findings';
import { planLockdownRepair } from '../../../src/usecases/plan';
import { absoluteName, type MassEditParams, type Zone } from '../../../src/zone/model';

export interface PlanOptions {
  domain?: string;
  user?: string;
  senderIdTemplate?: string;
  keepForeign?: boolean;
  ttl?: number;
  authId?: string;
}

export function lockdownFindings(zone: Zone, o: PlanOptions = {}): Finding[] {
  return checkLockdown({
    domain: o.domain ?? zone.name,
    records: zone.records,
    zoneName: zone.name,
    authId: o.authId ?? 'webhostingm',
    ...(o.user === undefined ? {} : { user: o.user }),
    ...(o.senderIdTemplate === undefined ? {} : { senderIdTemplate: o.senderIdTemplate }),
  });
}

export function planFor(zone: Zone, o: PlanOptions = {}): MassEditParams | null {
  const senderId = o.senderIdTemplate && o.user ? o.senderIdTemplate.split('{user}').join(o.user) : null;
  return planLockdownRepair({
    domain: o.domain ?? zone.name,
    zone,
    findings: lockdownFindings(zone, o),
    authId: o.authId ?? 'webhostingm',
    senderId,
    ...(o.keepForeign === undefined ? {} : { keepForeign: o.keepForeign }),
    ...(o.ttl === undefined ? {} : { ttl: o.ttl }),
  });
}

/**
 * A model-level stand-in for cPanel's mass_edit (docs/reference/cpanel-api.md §6.3): removed and edited records keep
 * no other line, surviving records keep their line_index, adds go after the last line, serial + 1.
 */
export function applyToZone(zone: Zone, plan: MassEditParams): Zone {
  if (plan.serial !== zone.serial) throw new Error('Stale');
  const lastLine = Math.max(...zone.records.map((r) => r.lineIndex), ...zone.lines.map((l) => l.lineIndex));
  const records = zone.records
    .filter((r) => !plan.remove.includes(r.lineIndex))
    .map((r) => {
      const edit = plan.edit.find((e) => e.line_index === r.lineIndex);
      return edit
        ? {
            lineIndex: r.lineIndex,
            dname: edit.dname,
            name: absoluteName(edit.dname, zone.name),
            ttl: edit.ttl,
            type: edit.record_type,
            data: [...edit.data],
          }
        : r;
    });
  plan.add.forEach((a, i) =>
    records.push({
      lineIndex: lastLine + 1 + i,
      dname: a.dname,
      name: absoluteName(a.dname, zone.name),
      ttl: a.ttl,
      type: a.record_type,
      data: [...a.data],
    }),
  );
  return { ...zone, serial: String(Number(zone.serial) + 1), records };
}
