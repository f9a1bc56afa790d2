/**
 * SPF record syntax (RFC 7208 §4.5, §4.6, §5, §6, ABNF in §12). Pure; returns the terms and the
 * deviations in plain English, never throws. Names of mechanisms and modifiers are case-insensitive
 * (ABNF strings, RFC 5234 §2.3).
 */
import { isIPv4, isIPv6 } from 'net';
import { shown } from './records';

export type SpfQualifier = '+' | '-' | '~' | '?';
export const SPF_MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
export type SpfMechanism = (typeof SPF_MECHANISMS)[number];

export interface SpfDirective {
  kind: 'mechanism';
  raw: string;
  /** The qualifier as written, or null (means `+`, RFC 7208 §4.6.2). */
  qualifier: SpfQualifier | null;
  name: SpfMechanism;
  /** After `:` (or the `/cidr` for `a`/`mx`), '' when absent. */
  argument: string;
}

export interface SpfModifier {
  kind: 'modifier';
  raw: string;
  name: string;
  value: string;
}

export type SpfTerm = SpfDirective | SpfModifier;

export interface ParsedSpf {
  terms: SpfTerm[];
  problems: string[];
}

/** RFC 7208 §4.6.4: these terms cause DNS queries and count toward the limit of 10. */
export const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

const MAX_PROBLEMS = 20;

/** True when the TXT value is an SPF record: "v=spf1" then a space or the end (RFC 7208 §4.5). */
export function isSpfRecord(value: string): boolean {
  return /^v=spf1(?: |$)/i.test(value);
}

export function parseSpf(value: string): ParsedSpf {
  const problems: string[] = [];
  const add = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  if (/[^\x20-\x7e]/.test(value))
    add('The record contains characters other than printable ASCII (tabs, control bytes or non-ASCII), which SPF does not allow.');
  // RFC 7208 §12: terms are separated by 1*SP; the record itself may end with spaces.
  const tokens = value.split(/[ \t]+/).filter((t) => t !== '');
  const terms: SpfTerm[] = [];
  let redirects = 0;
  let exps = 0;
  for (const raw of tokens.slice(1)) {
    const term = parseTerm(raw);
    if (typeof term === 'string') {
      add(term);
      continue;
    }
    terms.push(term);
    if (term.kind === 'modifier') {
      if (term.name === 'redirect') redirects++;
      if (term.name === 'exp') exps++;
    }
  }
  // RFC 7208 §6: redirect and exp MUST NOT appear more than once each.
  if (redirects > 1) add('"redirect=" appears more than once; SPF allows it once.');
  if (exps > 1) add('"exp=" appears more than once; SPF allows it once.');
  return { terms, problems };
}

function parseTerm(raw: string): SpfTerm | string {
  const modifier = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(raw);
  if (modifier) {
    const name = (modifier[1] as string).toLowerCase();
    const value = modifier[2] as string;
    if ((name === 'redirect' || name === 'exp') && !isDomainSpec(value)) return `"${shown(raw)}" does not name a valid domain.`;
    if (!isMacroString(value)) return `"${shown(raw)}" has an invalid macro.`;
    return { kind: 'modifier', raw, name, value };
  }
  const m = /^([+\-~?]?)([A-Za-z0-9]+)(.*)$/.exec(raw);
  if (!m) return `"${shown(raw)}" is not an SPF mechanism or modifier.`;
  const qualifier = (m[1] || null) as SpfQualifier | null;
  const name = (m[2] as string).toLowerCase();
  const rest = m[3] as string;
  if (!(SPF_MECHANISMS as readonly string[]).includes(name))
    return `"${shown(raw)}" is not a known SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists).`;
  const mechanism = name as SpfMechanism;
  const bad = mechanismProblem(mechanism, rest);
  if (bad) return `"${shown(raw)}": ${bad}`;
  return { kind: 'mechanism', raw, qualifier, name: mechanism, argument: rest.startsWith(':') ? rest.slice(1) : rest };
}

/** What is wrong with a mechanism's argument (`rest` includes the leading `:` or `/`), or null. */
function mechanismProblem(name: SpfMechanism, rest: string): string | null {
  switch (name) {
    case 'all':
      return rest === '' ? null : '"all" takes no argument.';
    case 'include':
    case 'exists':
      return rest.startsWith(':') && isDomainSpec(rest.slice(1)) ? null : `"${name}" needs ":" and a domain.`;
    case 'ptr':
      return rest === '' || (rest.startsWith(':') && isDomainSpec(rest.slice(1))) ? null : '"ptr" takes an optional ":" and a domain.';
    case 'a':
    case 'mx': {
      const cm = /^(?::([^/]*))?((?:\/[0-9]+)?(?:\/\/[0-9]+)?)$/.exec(rest);
      if (!cm) return `"${name}" takes an optional ":domain" and CIDR lengths.`;
      if (cm[1] !== undefined && !isDomainSpec(cm[1])) return 'the domain is not valid.';
      return dualCidrProblem(cm[2] ?? '');
    }
    case 'ip4': {
      const im = /^:([^/]+)(?:\/([0-9]+))?$/.exec(rest);
      if (!im || !isIPv4(im[1] as string)) return 'not a valid IPv4 address.';
      return im[2] !== undefined && !isCidr(im[2], 32) ? 'the prefix length must be 0 to 32.' : null;
    }
    case 'ip6': {
      const im = /^:([^/]+)(?:\/([0-9]+))?$/.exec(rest);
      if (!im || !isIPv6(im[1] as string)) return 'not a valid IPv6 address.';
      return im[2] !== undefined && !isCidr(im[2], 128) ? 'the prefix length must be 0 to 128.' : null;
    }
  }
}

function dualCidrProblem(cidr: string): string | null {
  const m = /^(?:\/([0-9]+))?(?:\/\/([0-9]+))?$/.exec(cidr);
  if (!m) return 'bad CIDR length.';
  if (m[1] !== undefined && !isCidr(m[1], 32)) return 'the IPv4 prefix length must be 0 to 32.';
  if (m[2] !== undefined && !isCidr(m[2], 128)) return 'the IPv6 prefix length must be 0 to 128.';
  return null;
}

/** RFC 7208 §12 ip4-cidr-length/ip6-cidr-length: no leading zeros. */
function isCidr(digits: string, max: number): boolean {
  return /^(0|[1-9][0-9]{0,2})$/.test(digits) && Number(digits) <= max;
}

/** macro-string (RFC 7208 §7.1): literals %x21-24 / %x26-7E, and `%{…}`, `%%`, `%_`, `%-`. */
function isMacroString(value: string): boolean {
  return /^(?:[\x21-\x24\x26-\x7e]|%\{[slodiphcrtvSLODIPHCRTV][0-9]*r?[.\-+,/_=]*\}|%%|%_|%-)*$/.test(value);
}

/** domain-spec = macro-string domain-end; domain-end is "." toplabel ["."] or a macro (RFC 7208 §7.1). */
function isDomainSpec(value: string): boolean {
  if (value === '' || !isMacroString(value)) return false;
  if (/%\{[^}]*\}$/.test(value)) return true;
  const labels = value.replace(/\.$/, '').split('.');
  const top = labels[labels.length - 1] ?? '';
  // toplabel: alphanumerics with at least one letter, or containing a hyphen not at the ends.
  return labels.length >= 2 && (/^[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$/.test(top) || /^[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]$/.test(top));
}
