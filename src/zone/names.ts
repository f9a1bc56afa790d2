/**
 * Domain names in master files (RFC 1035 §5.1, RFC 4343): labels of bytes, `\.` / `\DDD` escapes,
 * `@` for the origin, relative names completed with the origin. Rendered the way ldns `rdf2str`
 * prints a name, which is what cPanel's parse_zone reports (docs/reference/cpanel-api.md §5.3).
 */
import { FixEmailAuthError } from '../errors';
import { asciiLower, excerpt as shorten } from './bytes';
import { decodeEscape, type Fail } from './lexer';
import { normalizeDomain } from './model';

/** Labels as binary strings, most specific first; the root is []. */
export type Labels = string[];

/** RFC 1035 §2.3.4 limits. */
const MAX_LABEL = 63;
const MAX_NAME_WIRE = 255;

/** Parse a name as written in a zone file into absolute labels, completing relative names with `origin`. */
export function parseName(raw: string, origin: Labels, line: number, fail: Fail): Labels {
  if (raw === '@') return origin.slice();
  if (raw === '.') return [];
  const labels: Labels = [];
  let parts: string[] = [];
  let runStart = 0;
  let pos = 0;
  let absolute = false;
  const endLabel = (end: number) => {
    parts.push(raw.slice(runStart, end));
    const label = parts.join('');
    if (label.length === 0) fail(line, `bad name “${shorten(raw)}”: empty label`);
    if (label.length > MAX_LABEL) fail(line, `bad name “${shorten(raw)}”: a label is longer than ${MAX_LABEL} bytes`);
    labels.push(label);
    parts = [];
  };
  while (pos < raw.length) {
    const code = raw.charCodeAt(pos);
    if (code === 0x5c) {
      parts.push(raw.slice(runStart, pos));
      const escaped = decodeEscape(raw, pos, line, fail);
      parts.push(escaped.value);
      pos = escaped.next;
      runStart = pos;
      continue;
    }
    if (code === 0x2e) {
      endLabel(pos);
      pos++;
      runStart = pos;
      if (pos === raw.length) absolute = true;
      continue;
    }
    pos++;
  }
  if (!absolute) {
    endLabel(pos);
    labels.push(...origin);
  }
  if (wireLength(labels) > MAX_NAME_WIRE) fail(line, `bad name “${shorten(raw)}”: longer than ${MAX_NAME_WIRE} bytes`);
  return labels;
}

function wireLength(labels: Labels): number {
  let total = 1;
  for (const label of labels) total += label.length + 1;
  return total;
}

/**
 * One label as ldns prints it: `.` `;` `(` `)` `\` escaped with a backslash, bytes that are not
 * visible ASCII as `\DDD`. We also escape `"`, which ldns prints bare, so that a name we print can be
 * read back from a zone file.
 */
export function renderLabel(label: string): string {
  let out = '';
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    if (code === 0x2e || code === 0x3b || code === 0x28 || code === 0x29 || code === 0x5c || code === 0x22) out += `\\${label[i]}`;
    else if (code <= 0x20 || code >= 0x7f) out += `\\${String(code).padStart(3, '0')}`;
    else out += label[i];
  }
  return out;
}

/** Absolute presentation form with the trailing dot; the root is `.`. */
export function renderName(labels: Labels): string {
  return labels.length === 0 ? '.' : `${labels.map(renderLabel).join('.')}.`;
}

/** The model's `name`: absolute, ASCII lower-cased (RFC 4343), trailing dot. */
export function canonicalName(labels: Labels): string {
  return asciiLower(renderName(labels));
}

function labelEquals(a: string, b: string): boolean {
  return a.length === b.length && asciiLower(a) === asciiLower(b);
}

/** True when `labels` is `zone` or a name under it. */
export function isUnder(labels: Labels, zone: Labels): boolean {
  if (labels.length < zone.length) return false;
  const offset = labels.length - zone.length;
  for (let i = 0; i < zone.length; i++) if (!labelEquals(labels[offset + i] as string, zone[i] as string)) return false;
  return true;
}

/**
 * cPanel's `dname` (docs/reference/cpanel-api.md §5.3): a name under the zone is relative without a dot
 * (`www`), the apex is absolute with its dot (`example.com.`), a name outside stays absolute.
 */
export function cpanelDnameOf(labels: Labels, zone: Labels): string {
  if (labels.length > zone.length && isUnder(labels, zone)) {
    return labels
      .slice(0, labels.length - zone.length)
      .map(renderLabel)
      .join('.');
  }
  return renderName(labels);
}

/** Validate and normalise a zone name given by a caller: `Example.COM.` → `example.com` and its labels. */
export function zoneLabels(zoneName: string): { name: string; labels: Labels } {
  const name = typeof zoneName === 'string' ? normalizeDomain(zoneName) : '';
  if (
    name.length === 0 ||
    name.length > 253 ||
    !/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(name) ||
    name.split('.').some((l) => l.length > MAX_LABEL)
  ) {
    throw new FixEmailAuthError('BAD_INPUT', `“${shorten(String(zoneName))}” is not a valid zone name`);
  }
  return { name, labels: name.split('.') };
}
