/**
 * Errors that stop an operation. Verdicts about DNS are data (findings), never exceptions; these are
 * for "could not do what was asked". Each carries a stable `code` for scripts and the UI, the `step`
 * that failed, and the raw upstream answer when there was one.
 */
export type ErrorCode =
  // input
  | 'BAD_INPUT'
  | 'ZONE_PARSE'
  | 'UNSAFE_VALUE'
  | 'UNKNOWN_DOMAIN'
  | 'NOT_OWNED'
  | 'CONFIG_INVALID'
  // cPanel
  | 'AUTHENTICATION'
  | 'FEATURE_MISSING'
  | 'STALE_SERIAL'
  | 'INVALID_ZONE'
  | 'API_ERROR'
  | 'TIMEOUT'
  | 'TRANSPORT'
  // repair
  | 'BACKUP_FAILED'
  | 'CONFLICT'
  | 'CONFIRMATION_REQUIRED'
  | 'NOT_FOUND'
  | 'DNS_ERROR'
  | 'INTERNAL';

export type Step = 'input' | 'config' | 'read' | 'diagnose' | 'plan' | 'backup' | 'apply' | 'verify' | 'journal' | 'rollback' | 'mail';

export class FixEmailAuthError extends Error {
  readonly code: ErrorCode;
  readonly step: Step;
  /** The raw answer of the upstream system (cPanel JSON, JetBackup envelope, …), for the log. */
  readonly upstream: unknown;

  constructor(code: ErrorCode, message: string, options: { step?: Step; upstream?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FixEmailAuthError';
    this.code = code;
    this.step = options.step ?? 'input';
    this.upstream = options.upstream;
  }

  toJSON(): { code: ErrorCode; step: Step; message: string } {
    return { code: this.code, step: this.step, message: this.message };
  }
}

/** What the asker got wrong (nothing was changed): the CLI exits 2 and the daemon answers 4xx for these. */
const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_INPUT',
  'ZONE_PARSE',
  'UNSAFE_VALUE',
  'UNKNOWN_DOMAIN',
  'NOT_OWNED',
  'CONFIG_INVALID',
  'NOT_FOUND',
  'CONFIRMATION_REQUIRED',
]);

export function isInputError(err: unknown): err is FixEmailAuthError {
  return err instanceof FixEmailAuthError && INPUT_ERROR_CODES.has(err.code);
}

export function isFixEmailAuthError(err: unknown, code?: ErrorCode): err is FixEmailAuthError {
  return err instanceof FixEmailAuthError && (code === undefined || err.code === code);
}

/** Wrap anything thrown into a message fit for a user (no stack traces in the UI or CLI). */
export function describeError(err: unknown): string {
  if (err instanceof FixEmailAuthError) return `${err.message} [${err.code} at ${err.step}]`;
  if (err instanceof Error) return err.message;
  return String(err);
}
