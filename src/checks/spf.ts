/**
 * SPF check (RFC 7208) for a MailChannels customer: one SPF record at the domain, valid, not `+all`,
 * and including `relay.mailchannels.net` (docs/reference/mailchannels.md §8). Pure: the zone's records in, findings
 * out. `evaluateSpf` (spfEvaluate.ts) adds the one thing the zone alone cannot show: the number of DNS
 * lookups through nested includes.
 *
 * How codes combine: SPF_MISSING or SPF_MULTIPLE stand alone (nothing to judge, or a permerror,
 * RFC 7208 §4.5); otherwise SPF_SYNTAX, SPF_PASS_ALL, SPF_NO_MAILCHANNELS and SPF_TOO_MANY_LOOKUPS (when
 * the top level alone already needs more than 10) may appear together, and SPF_OK only when none does.
 * Every problem finding carries `details.recommended`: the one record that fixes all of them.
 */
import { txtValue, type ZoneRecord } from '../zone/model';
import { checkedDomain } from './domainName';
import { finding, type Finding } from './findings';
import { recordsAt, toFindingRecord } from './records';
import { SPF_LOOKUP_LIMIT, tooManyLookups } from './spfLookups';
import { isSpfRecord, LOOKUP_TERMS, parseSpf, type SpfTerm } from './spfSyntax';

export { evaluateSpf, type SpfEvaluation, type SpfEvaluationInput } from './spfEvaluate';
export { SPF_LOOKUP_LIMIT } from './spfLookups';

export const MAILCHANNELS_INCLUDE = 'include:relay.mailchannels.net';
/** docs/reference/mailchannels.md §8: the record to publish when there is none. */
export const NEW_SPF_RECORD = `v=spf1 ${MAILCHANNELS_INCLUDE} ~all`;

export interface SpfCheckInput {
  domain: string;
  records: readonly ZoneRecord[];
}

export function checkSpf(input: SpfCheckInput): Finding[] {
  const domain = checkedDomain(input.domain);
  const spf = recordsAt(input.records, `${domain}.`, 'TXT').filter((r) => isSpfRecord(txtValue(r)));

  if (spf.length === 0) {
    return [
      finding(
        'SPF_MISSING',
        'spf',
        `${domain} has no SPF record, so receivers cannot tell which servers may send its mail. Publish "${NEW_SPF_RECORD}".`,
        [],
        {
          recommended: NEW_SPF_RECORD,
        },
      ),
    ];
  }
  if (spf.length > 1) {
    const recommended = recommendedRecord(spf.flatMap((r) => parseSpf(txtValue(r)).terms));
    return [
      finding(
        'SPF_MULTIPLE',
        'spf',
        `${domain} has ${spf.length} SPF records; receivers then treat SPF as broken (permanent error) for all its mail. Merge them into one record.`,
        spf.map(toFindingRecord),
        { count: spf.length, recommended },
      ),
    ];
  }

  const record = spf[0] as ZoneRecord;
  const value = txtValue(record);
  const parsed = parseSpf(value);
  const recommended = recommendedRecord(parsed.terms);
  const shown = [toFindingRecord(record)];
  const findings: Finding[] = [];

  if (parsed.problems.length > 0) {
    findings.push(
      finding(
        'SPF_SYNTAX',
        'spf',
        `The SPF record of ${domain} is not valid, so receivers treat SPF as broken: ${parsed.problems[0]}`,
        shown,
        {
          problems: parsed.problems,
          recommended,
        },
      ),
    );
  }
  const passAll = parsed.terms.find((t) => t.kind === 'mechanism' && t.name === 'all' && (t.qualifier === null || t.qualifier === '+'));
  if (passAll) {
    findings.push(
      finding(
        'SPF_PASS_ALL',
        'spf',
        `The SPF record of ${domain} ends in "${passAll.raw}", which lets any server in the world send mail as ${domain}. Use "~all" instead.`,
        shown,
        {
          term: passAll.raw,
          recommended,
        },
      ),
    );
  }
  if (!includesMailChannels(parsed.terms)) {
    findings.push(
      finding(
        'SPF_NO_MAILCHANNELS',
        'spf',
        `The SPF record of ${domain} does not include relay.mailchannels.net, so mail relayed through MailChannels may fail SPF (unless one of its includes already covers it). Add "${MAILCHANNELS_INCLUDE}".`,
        shown,
        { recommended },
      ),
    );
  }
  const topLevelLookups = parsed.terms.filter((t) => LOOKUP_TERMS.has(t.name)).length;
  if (topLevelLookups > SPF_LOOKUP_LIMIT) {
    findings.push(tooManyLookups(domain, topLevelLookups, shown, { topLevelOnly: true, recommended }));
  }
  if (findings.length === 0) {
    findings.push(finding('SPF_OK', 'spf', `The SPF record of ${domain} is valid and includes MailChannels.`, shown));
  }
  return findings;
}

/** Only a passing include (`include:` or `+include:`) lets MailChannels' servers pass SPF. */
function includesMailChannels(terms: readonly SpfTerm[]): boolean {
  return terms.some(
    (t) =>
      t.kind === 'mechanism' &&
      t.name === 'include' &&
      (t.qualifier === null || t.qualifier === '+') &&
      t.argument.toLowerCase().replace(/\.$/, '') === 'relay.mailchannels.net',
  );
}

/**
 * One record fixing what this check can fix (docs/reference/mailchannels.md §8): the valid terms kept in order, each
 * once; the MailChannels include inserted before the `all` term (after the last mechanism when there
 * is none; no `all` is invented, that would change the domain's policy); `+all`/`all` turned into
 * `~all`; only the first redirect/exp kept. Invalid terms are left
 * out (they are listed in SPF_SYNTAX). For several records the terms are merged in record order.
 */
export function recommendedRecord(terms: readonly SpfTerm[]): string {
  const seen = new Set<string>();
  const mechanisms: string[] = [];
  const modifiers: string[] = [];
  const modifierNames = new Set<string>();
  let all: string | null = null;
  for (const t of terms) {
    if (t.kind === 'modifier') {
      if (modifierNames.has(t.name)) continue;
      modifierNames.add(t.name);
      modifiers.push(t.raw);
      continue;
    }
    if (t.name === 'all') {
      if (all === null) all = t.qualifier === null || t.qualifier === '+' ? '~all' : t.raw.toLowerCase();
      continue;
    }
    const key = t.raw.toLowerCase().replace(/^\+/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    mechanisms.push(t.raw);
  }
  if (!includesMailChannels(terms)) {
    // Drop a non-passing MailChannels include (e.g. "-include:relay.mailchannels.net") before adding ours.
    const idx = mechanisms.findIndex((m) => /^[-~?]include:relay\.mailchannels\.net\.?$/i.test(m));
    if (idx >= 0) mechanisms.splice(idx, 1);
    mechanisms.push(MAILCHANNELS_INCLUDE);
  }
  // RFC 7208 §6.1: redirect is ignored when "all" is present; keep it only without one.
  const keptModifiers = all === null ? modifiers : modifiers.filter((m) => !/^redirect=/i.test(m));
  return ['v=spf1', ...mechanisms, ...(all ? [all] : []), ...keptModifiers].join(' ');
}
