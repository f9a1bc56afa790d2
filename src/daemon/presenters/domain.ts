/** What the domain table and the domain page show, built from a diagnosis (no DNS logic here). */
import type { Change } from '../../adapters/store';
import type { Finding, FindingRecord } from '../../checks/findings';
import type { DomainInfo, LocalAuthority } from '../../ports';
import { absoluteName } from '../../zone/model';
import type { DomainDiagnosis } from '../../usecases/inspect';
import { confirmationNeeded } from '../../usecases/plan/confirmation';
import { lockdownRecordsOf } from '../../usecases/repair';
import { badge, checkSeverity, findingGroups, headline, pageStatus, type Badge, type PageStatus } from './status';
import { planView, showRecord, type PlanView, type ShownRecord } from './records';

const TYPE_ORDER: Record<DomainInfo['type'], number> = { main: 0, addon: 1, parked: 2, sub: 3 };
const TYPE_LABEL: Record<DomainInfo['type'], string> = {
  main: 'Main domain',
  addon: 'Addon domain',
  parked: 'Alias (parked)',
  sub: 'Subdomain',
};

export interface DomainRow {
  domain: string;
  type: DomainInfo['type'];
  typeLabel: string;
  zone: string;
  user: string;
  owner: string;
  pageStatus: PageStatus;
  badge: Badge;
  checks: { lockdown: Badge; spf: Badge; dkim: Badge; dmarc: Badge };
  /** The worst finding's sentence, or why the domain could not be checked. */
  summary: string;
  fixable: boolean;
  /** The record blocks all mail: the fix is offered only after a review and an explicit yes. */
  blocksAll: boolean;
  notAuthoritative: boolean;
}

export function domainRow(d: DomainDiagnosis): DomainRow {
  const { info, report } = d;
  const common = {
    domain: info.domain,
    type: info.type,
    typeLabel: TYPE_LABEL[info.type],
    zone: info.zone,
    user: info.user,
    owner: info.owner,
  };
  if (!report) {
    const unknown = badge('unknown');
    return {
      ...common,
      pageStatus: pageStatus('unknown'),
      badge: unknown,
      checks: { lockdown: unknown, spf: unknown, dkim: unknown, dmarc: unknown },
      summary: `Could not be checked: ${d.error?.message ?? 'unknown error'}`,
      fixable: false,
      blocksAll: false,
      notAuthoritative: false,
    };
  }
  const f = report.findings;
  return {
    ...common,
    pageStatus: pageStatus(report.status),
    badge: badge(report.status),
    checks: {
      lockdown: badge(checkSeverity(f, 'lockdown')),
      spf: badge(checkSeverity(f, 'spf')),
      dkim: badge(checkSeverity(f, 'dkim')),
      dmarc: badge(checkSeverity(f, 'dmarc')),
    },
    summary: headline(f)?.message ?? 'Everything checked is in order.',
    fixable: report.plan !== null && d.authority?.local !== false,
    blocksAll: f.some((x) => x.code === 'LOCKDOWN_BLOCK_ALL'),
    notAuthoritative: d.authority?.local === false,
  };
}

export function sortRows(rows: DomainRow[]): DomainRow[] {
  return [...rows].sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.domain.localeCompare(b.domain));
}

export interface ChangeRow {
  id: number;
  createdAt: string;
  domain: string;
  zone: string;
  user: string;
  kind: Change['kind'];
  status: Change['status'];
  actor: string;
  rollbackOf?: number;
  removed: ShownRecord[];
  added: ShownRecord[];
  undoable: boolean;
  error?: string;
}

const UNDOABLE = new Set(['applied', 'verified']);

export function changeRow(c: Change): ChangeRow {
  return {
    id: c.id,
    createdAt: c.createdAt,
    domain: c.domain,
    zone: c.zone,
    user: c.user,
    kind: c.kind,
    status: c.status,
    actor: `${c.actor.kind}:${c.actor.name}`,
    ...(c.rollbackOf !== undefined ? { rollbackOf: c.rollbackOf } : {}),
    removed: c.removed.map((r) => showRecord(r)),
    added: c.added.map((a) => showRecord({ name: absoluteName(a.dname, c.zone), type: a.record_type, ttl: a.ttl, data: a.data })),
    // A failed change whose edit reached the zone (serialAfter) can be undone too (change-status.ts).
    undoable: c.kind === 'repair' && (UNDOABLE.has(c.status) || (c.status === 'failed' && c.serialAfter !== undefined)),
    ...(c.error ? { error: c.error.message } : {}),
  };
}

export interface FindingView {
  code: string;
  severity: Finding['severity'];
  badge: Badge;
  message: string;
  records: ShownRecord[];
}

export interface FindingGroupView {
  check: string;
  label: string;
  badge: Badge;
  findings: FindingView[];
}

function groupViews(findings: readonly Finding[]): FindingGroupView[] {
  return findingGroups(findings).map((g) => ({
    check: g.check,
    label: g.label,
    badge: g.badge,
    findings: g.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      badge: badge(f.severity),
      message: f.message,
      records: f.records.map(showRecord),
    })),
  }));
}

export interface DomainPage {
  row: DomainRow;
  info: DomainInfo;
  groups: FindingGroupView[];
  /** The lockdown records now, and what the fix would leave (null: nothing to change). */
  plan: PlanView | null;
  lockdownRecords: ShownRecord[];
  /** The question to answer yes to before the fix may run (a record that blocks all mail), else null. */
  confirmation: string | null;
  /** For DNS_NOT_AUTHORITATIVE: the record to publish at the DNS host that serves the domain. */
  publishElsewhere: { record: ShownRecord; nameservers: string[] } | null;
  authority?: LocalAuthority;
  error?: string;
}

export function domainPage(d: DomainDiagnosis, provider: string): DomainPage {
  const row = domainRow(d);
  const report = d.report;
  if (!report)
    return {
      row,
      info: d.info,
      groups: [],
      plan: null,
      confirmation: null,
      lockdownRecords: [],
      publishElsewhere: null,
      ...(d.error ? { error: d.error.message } : {}),
    };
  const lockdown = lockdownRecordsOf(report);
  const notAuth = report.findings.find((f) => f.code === 'DNS_NOT_AUTHORITATIVE');
  // The record(s) to publish at the external DNS host; the lockdown record is the first.
  const publish = (notAuth?.details?.publish as FindingRecord[] | undefined)?.[0];
  const nameservers = (notAuth?.details?.nameservers as string[] | undefined) ?? [];
  return {
    row,
    info: d.info,
    groups: groupViews(report.findings),
    plan: report.plan ? planView(report.plan, lockdown) : null,
    confirmation: report.plan ? (confirmationNeeded(report.findings, provider)?.question ?? null) : null,
    lockdownRecords: lockdown.map(showRecord),
    publishElsewhere: publish ? { record: showRecord(publish), nameservers } : null,
    ...(d.authority ? { authority: d.authority } : {}),
  };
}
