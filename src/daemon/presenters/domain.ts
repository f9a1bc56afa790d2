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
  /** One short line for an OK row, else the worst finding's sentence, or why the domain could not be checked. */
  summary: string;
  fixable: boolean;
  /**
   * What the row offers: `fix` runs the repair from the list (a plain one-click change), `review`
   * opens the domain page (a record that blocks all mail needs an explicit yes there; DNS hosted
   * elsewhere needs the record copied by hand), null when nothing needs doing.
   */
  action: 'fix' | 'review' | null;
  /** The record lets the provider's other customers send as the domain (`auth=<provider>`): said once above the list. */
  sharedAuth: boolean;
  /** The record blocks all mail: the fix is offered only after a review and an explicit yes. */
  blocksAll: boolean;
  notAuthoritative: boolean;
}

const OK_SUMMARY = "MailChannels accepts this domain's mail.";

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
      action: 'review',
      sharedAuth: false,
      blocksAll: false,
      notAuthoritative: false,
    };
  }
  const f = report.findings;
  const status = pageStatus(report.status);
  const fixable = report.plan !== null && d.authority?.local !== false;
  const blocksAll = f.some((x) => x.code === 'LOCKDOWN_BLOCK_ALL');
  return {
    ...common,
    pageStatus: status,
    badge: badge(report.status),
    checks: {
      lockdown: badge(checkSeverity(f, 'lockdown')),
      spf: badge(checkSeverity(f, 'spf')),
      dkim: badge(checkSeverity(f, 'dkim')),
      dmarc: badge(checkSeverity(f, 'dmarc')),
    },
    // An OK row reads in one line; the lockdown record's details are one click away.
    summary: status === 'ok' ? OK_SUMMARY : (headline(f)?.message ?? OK_SUMMARY),
    fixable,
    action: fixable && !blocksAll ? 'fix' : status === 'ok' ? null : 'review',
    sharedAuth: f.some((x) => x.code === 'LOCKDOWN_OK' && x.details?.tenantWide === true),
    blocksAll,
    notAuthoritative: d.authority?.local === false,
  };
}

/** What the account's list says once, above the table, instead of in every row. */
export interface ListNotes {
  /** Some records let every customer of the provider send as the domain (provider mode). */
  sharedAuth: string | null;
  /** Tenant mode: the records list only the account's own senders, and what that costs. */
  tenant: string | null;
}

export function listNotes(rows: readonly DomainRow[], provider: string, mode: 'provider' | 'tenant'): ListNotes {
  const shared = rows.filter((r) => r.sharedAuth).length;
  return {
    sharedAuth:
      shared > 0
        ? `Records naming auth=${provider} let every account that sends through ${provider} send as the domain; MailChannels blocks only other providers' customers. A record that lists only your own senders (senderid=) keeps the other customers of ${provider} out too.`
        : null,
    tenant:
      mode === 'tenant'
        ? `On this server each domain's record lists only your account's senders (your scripts and each mailbox), so no other customer of ${provider} can send as your domains. The cost: MailChannels rejects mail from a new mailbox until the record lists it. Adding or removing a mailbox in cPanel updates the record; Fix does it by hand.`
        : null,
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
