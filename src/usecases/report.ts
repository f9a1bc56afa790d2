/**
 * The diagnosis of one domain, exactly as docs/design.md's `diagnose --json` prints it per domain:
 * `{ domain, zone, status, findings, plan, user? }`, where `plan` is `mass_edit_zone`'s parameters or
 * null when the lockdown record needs no change.
 */
import { worstSeverity, type Finding, type Severity } from '../checks/findings';
import type { MassEditParams } from '../zone/model';

export interface DomainReport {
  domain: string;
  zone: string;
  /** The worst severity among the findings (docs/design.md: a domain's status is its worst severity). */
  status: Severity;
  findings: Finding[];
  plan: MassEditParams | null;
  user?: string;
}

/** The `diagnose --json` document. */
export interface DiagnoseDocument {
  domains: DomainReport[];
}

export function domainReport(parts: {
  domain: string;
  zone: string;
  findings: Finding[];
  plan: MassEditParams | null;
  user?: string;
}): DomainReport {
  const report: DomainReport = {
    domain: parts.domain,
    zone: parts.zone,
    status: worstSeverity(parts.findings),
    findings: parts.findings,
    plan: parts.plan,
  };
  if (parts.user !== undefined) report.user = parts.user;
  return report;
}

export function diagnoseDocument(reports: DomainReport[]): DiagnoseDocument {
  return { domains: reports };
}
