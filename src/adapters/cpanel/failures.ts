/**
 * Typed errors of the cPanel adapter (codes from src/errors.ts) and the one question the retry policy
 * asks of them: is trying again sensible?
 *
 * Connection failures and timeouts usually are transient; a TLS pin mismatch, a missing `whmapi1`
 * binary or an answer we cannot understand are not: retrying them only delays the clear message.
 */
import { FixEmailAuthError, type ErrorCode, type Step } from '../../errors';

const permanent = new WeakSet<FixEmailAuthError>();

export function cpanelError(
  code: ErrorCode,
  message: string,
  options: { step: Step; upstream?: unknown; cause?: unknown; retryable?: boolean },
): FixEmailAuthError {
  const err = new FixEmailAuthError(code, message, { step: options.step, upstream: options.upstream, cause: options.cause });
  if (options.retryable === false) permanent.add(err);
  return err;
}

/** TIMEOUT and TRANSPORT (connection refused/reset, HTTP 5xx, broken output) unless marked permanent. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof FixEmailAuthError)) return false;
  if (err.code !== 'TIMEOUT' && err.code !== 'TRANSPORT') return false;
  return !permanent.has(err);
}

/** At most this much of a non-JSON body is kept in `upstream` (an HTML error page can be big). */
export const BODY_EXCERPT_LIMIT = 2000;

export function excerpt(text: string): string {
  return text.length > BODY_EXCERPT_LIMIT ? `${text.slice(0, BODY_EXCERPT_LIMIT)}…` : text;
}
