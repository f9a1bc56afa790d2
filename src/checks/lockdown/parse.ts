/**
 * Parser of the Domain Lockdown grammar (docs/reference/mailchannels.md §2; MailChannels publishes no ABNF):
 *
 *     record = "v=mc1" *( 1*SP field )
 *     field  = "auth=" id / "senderid=" provider "|" type "|" identity / "sidw=" pattern / "cfid=" id
 *
 * The parser never throws and never judges authorization (that is `authorization.ts`): it returns
 * the fields and every deviation from the grammar as a `problem`, in plain English.
 *
 * Project readings (docs/reference/mailchannels.md §5) applied here, because MailChannels is silent on them:
 * - Tag names are read case-insensitively, so `AUTH=x` is still understood as an `auth` field and
 *   the record is not misreported as missing; a non-lower-case tag is flagged (`tag-case`).
 * - A comma inside a value (`auth=a,b`) is flagged; the docs demand one value per field.
 * - Unknown tags are flagged, and kept (the planner copies them verbatim on rewrite).
 * - `cfid=` is parsed as a known, dead tag; it is not a "problem" here because the check reports it
 *   with its own code (LOCKDOWN_CFID).
 */
import { shown } from '../records';
import { splitInsideToken, tokenize } from './tokenize';

export const LOCKDOWN_VERSION = 'v=mc1';
export const KNOWN_TAGS = ['auth', 'senderid', 'sidw', 'cfid'] as const;
export type KnownTag = (typeof KNOWN_TAGS)[number];

/** At most this many problems are kept per record; `problemCount` has the true number. */
export const MAX_PROBLEMS_KEPT = 20;

export interface LockdownField {
  /** The token exactly as published. */
  raw: string;
  /** The tag as published (before the first `=`). */
  tag: string;
  /** The tag lower-cased. */
  name: string;
  /** Everything after the first `=`, byte-exact. */
  value: string;
  /** The known tag this field is, or null for an unknown tag. */
  known: KnownTag | null;
  /** The value's comma-separated parts, empty parts dropped (one item unless `isCommaList`). */
  values: string[];
  isCommaList: boolean;
}

export type LockdownProblemKind =
  | 'version-missing'
  | 'version-wrong'
  | 'version-case'
  | 'version-repeated'
  | 'tag-case'
  | 'unknown-tag'
  | 'not-a-field'
  | 'empty-value'
  | 'comma-list'
  | 'bad-sender-id'
  | 'control-characters'
  | 'non-ascii'
  | 'split-inside-field';

export interface LockdownProblem {
  kind: LockdownProblemKind;
  message: string;
  /** The offending token, shortened for display. */
  token?: string;
}

export interface ParsedLockdown {
  /** The first token is `v=mc1` (read case-insensitively). */
  isLockdown: boolean;
  /** The first token as published, or null for an empty value. */
  versionToken: string | null;
  /** The fields after the version, in order (only when `isLockdown`). */
  fields: LockdownField[];
  /** Tokens that are no field at all (no `=`, empty tag, a repeated version). */
  junk: string[];
  problems: LockdownProblem[];
  problemCount: number;
}

/** Parse a TXT record given as its character-strings (cPanel's `data`). */
export function parseLockdown(strings: readonly string[]): ParsedLockdown {
  const value = strings.join('');
  const tokens = tokenize(value);
  const problems = new ProblemList();

  const first = tokens[0];
  const parsed: ParsedLockdown = { isLockdown: false, versionToken: first ?? null, fields: [], junk: [], problems: [], problemCount: 0 };
  if (first === undefined) {
    problems.add('version-missing', 'The record is empty; a Domain Lockdown record starts with "v=mc1".');
  } else if (first.toLowerCase() === LOCKDOWN_VERSION) {
    parsed.isLockdown = true;
    if (first !== LOCKDOWN_VERSION) {
      problems.add('version-case', `The version is written "${shown(first)}"; MailChannels documents it in lower case, "v=mc1".`, first);
    }
  } else if (/^v=/i.test(first)) {
    problems.add('version-wrong', `The record starts with "${shown(first)}", but the only Domain Lockdown version is "v=mc1".`, first);
  } else {
    problems.add(
      'version-missing',
      'The record does not start with "v=mc1", so MailChannels does not read it as a Domain Lockdown record.',
      first,
    );
  }

  // After the version, so the first problem shown is the most telling one.
  // RFC 1035 TXT data is bytes; cPanel only writes printable ASCII (docs/reference/cpanel-api.md §6.2), so anything
  // else came from a hand-edited zone or a transfer and is worth showing, once per record.
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(value)) {
    problems.add('control-characters', 'The record contains control characters, which MailChannels IDs never do.');
  }
  if (/[\u0080-\uffff]/.test(value)) {
    problems.add('non-ascii', 'The record contains non-ASCII bytes, which MailChannels IDs never do.');
  }
  if (splitInsideToken(strings)) {
    problems.add(
      'split-inside-field',
      'The record is split into several strings in the middle of a field; tools that join the strings with a space would read a different record.',
    );
  }

  if (parsed.isLockdown) {
    for (let i = 1; i < tokens.length; i++) {
      const token = tokens[i] as string;
      const field = parseField(token);
      if (field === null) {
        parsed.junk.push(token);
        problems.add('not-a-field', `"${shown(token)}" is not of the form tag=value.`, token);
        continue;
      }
      if (field.name === 'v') {
        parsed.junk.push(token);
        problems.add('version-repeated', `"${shown(token)}" repeats the version; it belongs only at the start.`, token);
        continue;
      }
      parsed.fields.push(field);
      reportFieldProblems(field, problems);
    }
  }
  parsed.problems = problems.kept;
  parsed.problemCount = problems.count;
  return parsed;
}

/** `tag=value` → field; null when the token has no `=` or nothing before it. */
function parseField(token: string): LockdownField | null {
  const eq = token.indexOf('=');
  if (eq <= 0) return null;
  const tag = token.slice(0, eq);
  const name = tag.toLowerCase();
  const value = token.slice(eq + 1);
  const known = (KNOWN_TAGS as readonly string[]).includes(name) ? (name as KnownTag) : null;
  const isCommaList = value.includes(',');
  const values = isCommaList ? value.split(',').filter((part) => part !== '') : value === '' ? [] : [value];
  return { raw: token, tag, name, value, known, values, isCommaList };
}

function reportFieldProblems(field: LockdownField, problems: ProblemList): void {
  const token = field.raw;
  if (field.known === null) {
    problems.add(
      'unknown-tag',
      `"${shown(token)}" uses the tag "${shown(field.tag)}=", which MailChannels does not document (auth=, senderid=, sidw=); MailChannels may ignore it or the whole record.`,
      token,
    );
    return;
  }
  if (field.tag !== field.name) {
    problems.add(
      'tag-case',
      `The tag "${shown(field.tag)}=" should be written in lower case ("${field.name}="); MailChannels documents only lower-case tags and may not recognise it.`,
      token,
    );
  }
  if (field.value === '') {
    problems.add('empty-value', `"${shown(token)}" has no value.`, token);
    return;
  }
  if (field.isCommaList) {
    problems.add(
      'comma-list',
      `"${shown(token)}" lists several values separated by commas; MailChannels wants one value per field (${field.name}=a ${field.name}=b), so this probably matches nothing.`,
      token,
    );
  }
  if (field.known === 'senderid' || field.known === 'sidw') {
    for (const part of field.values) {
      if (!isSenderIdShape(part)) {
        problems.add(
          'bad-sender-id',
          `"${shown(token)}" is not of the form provider|type|identity (for example webhostingm|x-authuser|alice).`,
          token,
        );
        break;
      }
    }
  }
}

/** `provider|type|identity`, three non-empty parts (docs/reference/mailchannels.md §2, §6). */
export function isSenderIdShape(value: string): boolean {
  const parts = value.split('|');
  return parts.length === 3 && parts.every((p) => p !== '');
}

class ProblemList {
  readonly kept: LockdownProblem[] = [];
  count = 0;
  add(kind: LockdownProblemKind, message: string, token?: string): void {
    this.count++;
    if (this.kept.length >= MAX_PROBLEMS_KEPT) return;
    const problem: LockdownProblem = { kind, message };
    if (token !== undefined) problem.token = shown(token);
    this.kept.push(problem);
  }
}
