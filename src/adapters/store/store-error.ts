/** Typed errors of the store: every one is raised at the `journal` step. */
import { FixEmailAuthError, type ErrorCode } from '../../errors';

export function storeError(code: ErrorCode, message: string, cause?: unknown): FixEmailAuthError {
  return new FixEmailAuthError(code, message, { step: 'journal', cause });
}

/** better-sqlite3 reports constraint failures with codes like `SQLITE_CONSTRAINT_UNIQUE`. */
export function isSqliteConstraint(err: unknown, kind?: 'UNIQUE' | 'FOREIGNKEY' | 'CHECK' | 'TRIGGER'): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return false;
  return kind === undefined || code === `SQLITE_CONSTRAINT_${kind}`;
}
