/**
 * Reading XML API answers: the whole-packet `<system>` failure (bad credentials: errcode 1001), and
 * per-object `<result>`s with `ok` or `error` + errcode + errtext (real answers: go-acme/lego
 * `providers/dns/plesk/internal/fixtures`). Typed errors (src/errors.ts codes): 1001 →
 * AUTHENTICATION; 1013 (object does not exist) → NOT_FOUND; 1015 (domain does not exist) →
 * UNKNOWN_DOMAIN; anything else → API_ERROR, Plesk's own text kept, the raw result in `upstream`.
 */
import { FixEmailAuthError, type ErrorCode, type Step } from '../../../errors';
import type { PleskRecord } from '../types';
import { child, childText, childrenNamed, parseXml, type XmlElement } from './nodes';

export interface OpFailure {
  errcode: number;
  errtext: string;
}

export const ERRCODE = { auth: 1001, notFound: 1013, noDomain: 1015 } as const;

function codeFor(errcode: number): ErrorCode {
  if (errcode === ERRCODE.auth) return 'AUTHENTICATION';
  if (errcode === ERRCODE.notFound) return 'NOT_FOUND';
  if (errcode === ERRCODE.noDomain) return 'UNKNOWN_DOMAIN';
  return 'API_ERROR';
}

export function failureError(what: string, failure: OpFailure, step: Step, upstream?: unknown): FixEmailAuthError {
  return new FixEmailAuthError(codeFor(failure.errcode), `${what}: Plesk answered error ${failure.errcode}: ${failure.errtext}`, {
    step,
    upstream: upstream ?? failure,
  });
}

/** The packet, or a typed error for text that is not XML or a `<system>` failure. */
export function readPacket(text: string, what: string, step: Step): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch {
    throw new FixEmailAuthError('TRANSPORT', `${what}: the answer is not XML`, { step, upstream: text.slice(0, 2000) });
  }
  const system = child(root, 'system');
  if (root.name !== 'packet')
    throw new FixEmailAuthError('TRANSPORT', `${what}: the answer is not an XML API packet`, { step, upstream: text.slice(0, 2000) });
  if (system && childText(system, 'status') === 'error') {
    throw failureError(
      what,
      { errcode: Number(childText(system, 'errcode')), errtext: childText(system, 'errtext') ?? '' },
      step,
      text.slice(0, 2000),
    );
  }
  return root;
}

/** `<result>`s of every `<op>` under `<operator>`, in order (one op element per batched operation). */
export function resultsOf(root: XmlElement, operator: string, op: string): XmlElement[] {
  return childrenNamed(child(root, operator), op).flatMap((element) => childrenNamed(element, 'result'));
}

/** `<op>` elements under `<operator>`, each with its own results (batched deletes). */
export function opsOf(root: XmlElement, operator: string, op: string): XmlElement[] {
  return childrenNamed(child(root, operator), op);
}

export function failureOf(result: XmlElement): OpFailure | null {
  if (childText(result, 'status') === 'ok') return null;
  return { errcode: Number(childText(result, 'errcode') ?? 0), errtext: childText(result, 'errtext') ?? 'no error text' };
}

/** Results that must all be `ok`; the first failure becomes a typed error. */
export function okResults(results: XmlElement[], what: string, step: Step): XmlElement[] {
  for (const result of results) {
    const failure = failureOf(result);
    if (failure) throw failureError(what, failure, step);
  }
  return results;
}

/** A get_rec result as a record: host lower-cased with its dot (get_rec answers absolute names). */
export function recordOf(result: XmlElement): PleskRecord {
  const data = child(result, 'data');
  const id = Number(childText(result, 'id'));
  const rawHost = childText(data, 'host') ?? '';
  const host = rawHost.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  return {
    key: String(id),
    id,
    type: (childText(data, 'type') ?? '').toUpperCase(),
    host: host.endsWith('.') ? host : `${host}.`,
    value: childText(data, 'value') ?? '',
    opt: childText(data, 'opt') ?? '',
  };
}
