/**
 * DMARC check (RFC 7489): one valid record at `_dmarc.<domain>` with a policy.
 *
 * - Record selection (§6.6.3 step 3): TXT records not starting with `v=DMARC1` are discarded. A TXT
 *   that clearly tries to be one (`v=dmarc1`, or `v=DMARC1` not first) is reported as DMARC_MALFORMED.
 *   `DMARC1` is an exact %x string in the ABNF (§6.4), so its case matters; tag names and keyword
 *   values are ABNF strings, case-insensitive.
 * - More than one record: DMARC_MULTIPLE, alone (§6.6.3: DMARC is then not applied).
 * - Sub-domains (§6.6.3): without a record of its own, the organizational domain's record applies (its
 *   `sp=`, else `p=`). The zone apex stands in for the organizational domain (no Public Suffix List here).
 * - Unknown tags MUST be ignored (§6.3); they are listed in details, not reported.
 * How codes combine: DMARC_MISSING or DMARC_MULTIPLE alone; otherwise DMARC_MALFORMED (syntax) and
 * DMARC_POLICY_NONE may both appear; DMARC_OK when neither does.
 */
import { txtValue, type ZoneRecord } from '../zone/model';
import { checkedDomain, isWithinZone } from './domainName';
import { finding, type Finding } from './findings';
import { recordsAt, shown, toFindingRecord } from './records';
import { parseTagList, tagValue, type ParsedTagList } from './tagList';

export const RECOMMENDED_DMARC = 'v=DMARC1; p=quarantine;';
const POLICIES = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = ['v', 'p', 'sp', 'adkim', 'aspf', 'pct', 'fo', 'rf', 'ri', 'rua', 'ruf'];

export interface DmarcCheckInput {
  domain: string;
  records: readonly ZoneRecord[];
  /** The zone holding the domain; for a sub-domain its apex's record is the fallback (§6.6.3). */
  zoneName?: string;
}

export function checkDmarc(input: DmarcCheckInput): Finding[] {
  const domain = checkedDomain(input.domain);
  const own = dmarcRecordsAt(input.records, domain);
  const zone = input.zoneName === undefined ? undefined : checkedDomain(input.zoneName, 'zone');
  const inheritFrom =
    zone !== undefined && zone !== domain && isWithinZone(domain, zone) && own.valid.length === 0 && own.attempts.length === 0
      ? zone
      : undefined;
  const used = inheritFrom ? dmarcRecordsAt(input.records, inheritFrom) : own;
  const where = inheritFrom ?? domain;
  const findings: Finding[] = [];

  for (const attempt of used.attempts) {
    findings.push(
      finding(
        'DMARC_MALFORMED',
        'dmarc',
        `A TXT record at _dmarc.${where} looks like DMARC but does not start with exactly "v=DMARC1", so receivers ignore it.`,
        [toFindingRecord(attempt)],
        {
          recommended: RECOMMENDED_DMARC,
        },
      ),
    );
  }
  if (used.valid.length > 1) {
    findings.push(
      finding(
        'DMARC_MULTIPLE',
        'dmarc',
        `_dmarc.${where} has ${used.valid.length} DMARC records; receivers then apply no DMARC policy at all. Keep only one.`,
        used.valid.map(toFindingRecord),
        {
          count: used.valid.length,
        },
      ),
    );
    return findings;
  }
  const record = used.valid[0];
  if (!record) {
    if (findings.length === 0) {
      findings.push(
        finding(
          'DMARC_MISSING',
          'dmarc',
          `${domain} has no DMARC record, so receivers get no instructions for mail that fails SPF and DKIM. Publish "${RECOMMENDED_DMARC}" at _dmarc.${domain}.`,
          [],
          {
            recommended: RECOMMENDED_DMARC,
          },
        ),
      );
    }
    return findings;
  }

  const shownRecords = [toFindingRecord(record)];
  const list = parseTagList(txtValue(record), { caseInsensitiveNames: true });
  const problems = [...list.problems, ...tagProblems(list)];
  const inherited = inheritFrom ? { inheritedFrom: inheritFrom } : {};
  if (problems.length > 0) {
    findings.push(
      finding(
        'DMARC_MALFORMED',
        'dmarc',
        `The DMARC record${inheritFrom ? ` of ${inheritFrom} (which applies to ${domain})` : ` of ${domain}`} is not valid: ${problems[0]}`,
        shownRecords,
        {
          problems,
          recommended: RECOMMENDED_DMARC,
          ...inherited,
        },
      ),
    );
  }
  const unknownTags = list.tags.map((t) => t.name.toLowerCase()).filter((n) => !KNOWN_TAGS.includes(n));
  // §6.6.3: a sub-domain follows sp= when present, else p=.
  const policy = (inheritFrom ? (tagValue(list, 'sp', true) ?? tagValue(list, 'p', true)) : tagValue(list, 'p', true))?.toLowerCase();
  if (policy === 'none') {
    findings.push(
      finding(
        'DMARC_POLICY_NONE',
        'dmarc',
        `The DMARC policy of ${domain} is "none": receivers only report, they do not stop mail that pretends to come from ${domain}.`,
        shownRecords,
        {
          recommended: RECOMMENDED_DMARC,
          ...inherited,
        },
      ),
    );
  }
  if (findings.length === 0) {
    findings.push(
      finding('DMARC_OK', 'dmarc', `The DMARC record of ${domain} is valid, with the policy "${shown(policy ?? '')}".`, shownRecords, {
        policy,
        ...inherited,
        unknownTags,
      }),
    );
  }
  return findings;
}

interface DmarcRecords {
  valid: ZoneRecord[];
  attempts: ZoneRecord[];
}

function dmarcRecordsAt(records: readonly ZoneRecord[], domain: string): DmarcRecords {
  const out: DmarcRecords = { valid: [], attempts: [] };
  for (const r of recordsAt(records, `_dmarc.${domain}.`, 'TXT')) {
    const value = txtValue(r);
    // RFC 7489 §6.4: dmarc-version = "v" *WSP "=" *WSP %x44 %x4d %x41 %x52 %x43 %x31, first in the record.
    if (/^[ \t]*[vV][ \t]*=[ \t]*DMARC1[ \t]*(;|$)/.test(value)) out.valid.push(r);
    else if (/v[ \t]*=[ \t]*dmarc1/i.test(value)) out.attempts.push(r);
  }
  return out;
}

/** RFC 7489 §6.3 tag values. */
function tagProblems(list: ParsedTagList): string[] {
  const problems: string[] = [];
  const get = (name: string) => tagValue(list, name, true);
  const p = get('p');
  // §6.3: p is REQUIRED for policy records (receivers fall back to "none" when rua is valid, §6.6.3).
  if (p === undefined) problems.push('the policy tag "p=" is missing.');
  else if (!POLICIES.includes(p.toLowerCase())) problems.push(`"p=${shown(p)}" is not none, quarantine or reject.`);
  const sp = get('sp');
  if (sp !== undefined && !POLICIES.includes(sp.toLowerCase())) problems.push(`"sp=${shown(sp)}" is not none, quarantine or reject.`);
  for (const name of ['adkim', 'aspf']) {
    const v = get(name);
    if (v !== undefined && !/^[rs]$/i.test(v)) problems.push(`"${name}=${shown(v)}" must be r or s.`);
  }
  const pct = get('pct');
  if (pct !== undefined && !(/^[0-9]{1,3}$/.test(pct) && Number(pct) <= 100))
    problems.push(`"pct=${shown(pct)}" must be a whole number from 0 to 100.`);
  const ri = get('ri');
  if (ri !== undefined && !(/^[0-9]{1,10}$/.test(ri) && Number(ri) <= 4294967295))
    problems.push(`"ri=${shown(ri)}" must be a number of seconds.`);
  const fo = get('fo');
  if (fo !== undefined && !/^[01ds](?:[ \t]*:[ \t]*[01ds])*$/i.test(fo))
    problems.push(`"fo=${shown(fo)}" must be a list of 0, 1, d and s separated by ":".`);
  const rf = get('rf');
  if (rf !== undefined && !/^[A-Za-z0-9-]+(?:[ \t]*:[ \t]*[A-Za-z0-9-]+)*$/.test(rf))
    problems.push(`"rf=${shown(rf)}" must be a list of report formats separated by ":".`);
  for (const name of ['rua', 'ruf']) {
    const v = get(name);
    // §6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ], comma-separated.
    if (v !== undefined && !v.split(',').every((uri) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s!,]+(?:![0-9]+[kmgt]?)?$/i.test(uri.trim()))) {
      problems.push(`"${name}=${shown(v)}" must be a comma-separated list of addresses such as mailto:dmarc@example.com.`);
    }
  }
  return problems;
}
