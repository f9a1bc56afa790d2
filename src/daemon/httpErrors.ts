/**
 * HTTP answers for errors. A user asking about anything outside their account — another user's
 * domain, change or job, or one that does not exist — always gets the same 403 with the same kind of
 * sentence, so nobody can probe which domains other accounts have (docs/daemon-protocol.md).
 *
 * A failure on the server's side (5xx) carries other systems' words — cPanel's answers, its tools'
 * error output, addresses and paths of this server. A cPanel user gets a plain sentence and a
 * reference instead; the details go to the daemon log under that reference, and the WHM admin (root)
 * sees them on the page too.
 */
import { randomBytes } from 'crypto';
import { isFixEmailAuthError, isInputError } from '../errors';
import type { Role } from './identity';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR',
  ) {
    super(message);
  }
}

export const notYours = (what: string) => new HttpError(403, `Your account has no ${what}.`, 'NOT_OWNED');

const STATUS_OF_CODE: Record<string, number> = {
  BAD_INPUT: 400,
  ZONE_PARSE: 422,
  UNSAFE_VALUE: 422,
  NOT_OWNED: 403,
  UNKNOWN_DOMAIN: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_SERIAL: 409,
  CONFIG_INVALID: 500,
  AUTHENTICATION: 502,
  FEATURE_MISSING: 502,
  INVALID_ZONE: 502,
  API_ERROR: 502,
  TIMEOUT: 504,
  TRANSPORT: 502,
  BACKUP_FAILED: 502,
  DNS_ERROR: 502,
  INTERNAL: 500,
};

export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** For a 5xx: the key of the daemon log line holding the details. */
  reference?: string;
}

/** The status and a message fit for the page; unexpected errors say nothing about internals. */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message };
  if (isFixEmailAuthError(err))
    return { status: STATUS_OF_CODE[err.code] ?? (isInputError(err) ? 400 : 500), code: err.code, message: err.message };
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  // body-parser's errors (too large, malformed) carry a 4xx status and a safe message.
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', message: (err as Error).message };
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side; the details are in the daemon log.' };
}

/** A short random key for one failure, e.g. `E-3f9a1c2b`: unique enough to find its log line. */
export function newReference(): string {
  return `E-${randomBytes(4).toString('hex')}`;
}

const PLAIN: Partial<Record<string, string>> = {
  TIMEOUT: 'cPanel did not answer in time. Please try again in a minute.',
  FEATURE_MISSING: 'Your cPanel account lacks a feature this needs (the Zone Editor). Please ask your hosting provider.',
  BACKUP_FAILED: 'The backup that comes before every change could not be made, so nothing was changed.',
};

/**
 * What the asker sees of a failure: a 4xx as it is; a 5xx with a reference — the admin with its
 * details, anyone else with a plain sentence.
 */
export function answerFor(answer: ErrorAnswer, role: Role | undefined, reference: string): ErrorAnswer {
  if (answer.status < 500) return answer;
  if (role === 'admin') return { ...answer, message: `${answer.message} (reference ${reference})`, reference };
  const plain = PLAIN[answer.code] ?? 'Something went wrong on the server.';
  return { ...answer, message: `${plain} Your hosting provider can look it up with the reference ${reference}.`, reference };
}
