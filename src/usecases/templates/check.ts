/**
 * Checking one of cPanel's zone templates. cPanel fills a template's `%key%` placeholders
 * (`%domain%`, `%ttl%`, `%nsttl%`, `%serial%`, `%ip%`, `%nameserver%`, …; cPanel's
 * Cpanel/DnsUtils/Template.pm) to make every new zone, so a stale `_mailchannels` line in a template
 * gives every new account the problem this tool repairs. There is no user placeholder, so a template
 * can only carry the provider's record `v=mc1 auth=<provider>`.
 *
 * The template is read as the zone it would make for a stand-in domain (`template.invalid`, RFC 2606),
 * with the same lockdown check and planner as a real zone; the planner's line edits are then applied
 * to the template's own lines: an edited line keeps its owner and TTL as written (placeholders
 * included), and nothing outside the lockdown lines changes. A template without a lockdown record is
 * fine (new zones then have none, a warning at most, and never a rejection).
 */
import { worstSeverity, type Finding } from '../../checks/findings';
import { checkLockdown } from '../../checks/lockdown';
import { quoteCharacterString } from '../../zone/quote';
import { parseZoneFile } from '../../zone/bindReader';
import type { MassEditParams } from '../../zone/model';
import { computeLockdownRepair } from '../plan';

export const TEMPLATE_DOMAIN = 'template.invalid';

/** Values for cPanel's placeholders that make the template parse as a zone (documentation addresses). */
const PLACEHOLDERS: Record<string, string> = {
  domain: TEMPLATE_DOMAIN,
  maildomain: TEMPLATE_DOMAIN,
  ttl: '14400',
  nsttl: '86400',
  serial: '2024010101',
  ip: '192.0.2.1',
  ftpip: '192.0.2.1',
  ipv6: '2001:db8::1',
  rpemail: `hostmaster.${TEMPLATE_DOMAIN}`,
  cpversion: '11.120.0',
  reseller: 'root',
};

function placeholderValue(key: string): string {
  const known = PLACEHOLDERS[key];
  if (known !== undefined) return known;
  if (/^nameservera\d?$/.test(key)) return '192.0.2.53';
  if (/^nameserver(entry)?\d?$/.test(key)) return `ns${key.replace(/\D/g, '') || '1'}.${TEMPLATE_DOMAIN}`;
  return 'x';
}

export function fillTemplate(text: string): string {
  return text.replace(/%([^%\n]+)%/g, (_m, key: string) => placeholderValue(key));
}

export interface TemplateReport {
  name: string;
  status: ReturnType<typeof worstSeverity> | 'unknown';
  /** The lockdown findings for a zone made from this template. */
  findings: Finding[];
  /** The template's text after the repair; null when nothing needs to change. */
  repaired: string | null;
  /** Lines of the template now and after the repair (only the lines that change). */
  before: string[];
  after: string[];
  error?: string;
}

export function checkTemplate(name: string, text: string, authId: string, ttl?: number): TemplateReport {
  let zone;
  try {
    zone = parseZoneFile(fillTemplate(text), TEMPLATE_DOMAIN, { fileName: name });
  } catch (err) {
    return { name, status: 'unknown', findings: [], repaired: null, before: [], after: [], error: (err as Error).message };
  }
  const findings = checkLockdown({ domain: TEMPLATE_DOMAIN, records: zone.records, zoneName: TEMPLATE_DOMAIN, authId });
  // No record in a template is no problem: new zones then simply have none.
  const problems = findings.filter((f) => f.code !== 'LOCKDOWN_MISSING');
  const status = worstSeverity(problems);
  if (status === 'ok' || status === 'info') return { name, status, findings: problems, repaired: null, before: [], after: [] };
  const { plan } = computeLockdownRepair({ domain: TEMPLATE_DOMAIN, zone, findings, authId, senderId: null, ...(ttl ? { ttl } : {}) });
  if (!plan) return { name, status, findings: problems, repaired: null, before: [], after: [] };
  return { name, status, findings: problems, ...applyToTemplate(text, plan) };
}

/** `_mailchannels  3600  IN  TXT  "..."` → owner and TTL as written, so placeholders survive. */
const RECORD_LINE = /^(\S+)(?:\s+(\d+|%[a-z0-9]+%))?(?:\s+IN)?\s+TXT\s/i;

function renderLine(original: string | undefined, dname: string, data: readonly string[]): string {
  const m = original ? RECORD_LINE.exec(original) : null;
  const owner = m?.[1] ?? dname;
  const ttl = m?.[2] ?? '%ttl%';
  return `${owner}\t${ttl}\tIN\tTXT\t${data.map(quoteCharacterString).join(' ')}`;
}

/** The planner's line edits on the template's own lines (line indexes are the file's, 0-based). */
function applyToTemplate(text: string, plan: MassEditParams): Pick<TemplateReport, 'repaired' | 'before' | 'after'> {
  const lines = text.split('\n');
  const before: string[] = [];
  const after: string[] = [];
  const edits = new Map(plan.edit.map((e) => [e.line_index, e]));
  const remove = new Set(plan.remove);
  const out: string[] = [];
  lines.forEach((line, i) => {
    const edit = edits.get(i);
    if (remove.has(i)) before.push(line);
    else if (edit) {
      const next = renderLine(line, edit.dname, edit.data);
      before.push(line);
      after.push(next);
      out.push(next);
    } else out.push(line);
  });
  for (const add of plan.add) {
    const next = renderLine(undefined, add.dname, add.data);
    after.push(next);
    const end = out.length > 0 && out[out.length - 1] === '' ? out.length - 1 : out.length;
    out.splice(end, 0, next);
  }
  return { repaired: out.join('\n'), before, after };
}
