/**
 * Response envelopes (docs/reference/cpanel-api.md §4, checklist §10.2). Every API-level outcome is HTTP 200 + JSON;
 * the envelope tells success from failure.
 */

/** A typed error payload (`data` of a failed call): Stale, InvalidZoneFile (§6.4). */
export interface TypedErrorData {
  type: 'Stale' | 'InvalidZoneFile';
  detail: unknown;
}

/**
 * An API-level failure raised by a handler. `typed` errors (Stale, InvalidZoneFile) carry a `data`
 * payload and, on WHM, are reported without the `API failure: (XID …)` wrapper (§6.4, §9.10).
 */
export class SimApiError extends Error {
  constructor(
    message: string,
    readonly typed?: TypedErrorData,
  ) {
    super(message);
    this.name = 'SimApiError';
  }
}

/** The bare UAPI result object of `/execute/…` (§4.1). Key order follows cPanel's samples. */
export interface UapiResult {
  status: 0 | 1;
  errors: string[] | null;
  messages: string[] | null;
  warnings: string[] | null;
  metadata: Record<string, unknown>;
  data: unknown;
}

/** What a UAPI handler returns on success. */
export interface UapiSuccess {
  data: unknown;
  messages?: string[];
  warnings?: string[];
  metadata?: Record<string, unknown>;
}

/**
 * `metadata` is `{"transformed":1}` when `data` is an array, else `{}` — the checklist's heuristic
 * (§10.2, unverified beyond the documented samples).
 */
export function uapiOk(result: UapiSuccess): UapiResult {
  return {
    status: 1,
    errors: null,
    messages: result.messages ?? null,
    warnings: result.warnings ?? null,
    metadata: result.metadata ?? (Array.isArray(result.data) ? { transformed: 1 } : {}),
    data: result.data,
  };
}

/** UAPI failure: never an XID in the text (§4.1); `data` null unless typed (§6.4). */
export function uapiFailure(error: SimApiError): UapiResult {
  return {
    status: 0,
    errors: [error.message],
    messages: null,
    warnings: null,
    metadata: {},
    data: error.typed ?? null,
  };
}

/** The wrapped form the `uapi` CLI prints and LiveAPI sees (§4.2); top-level keys sorted as there. */
export function wrapUapi(module: string, fn: string, result: UapiResult): Record<string, unknown> {
  return {
    apiversion: 3,
    func: fn,
    module,
    result: {
      data: result.data,
      errors: result.errors,
      messages: result.messages,
      metadata: result.metadata,
      status: result.status,
      warnings: result.warnings,
    },
  };
}

export interface WhmMetadata {
  command: string;
  reason: string;
  result: 0 | 1;
  version: 1;
  [extra: string]: unknown;
}

export interface WhmResult {
  metadata: WhmMetadata;
  data?: unknown;
}

/** WHM success (§4.3). `data` undefined → the key is omitted (list functions with no rows, §9.11). */
export function whmOk(command: string, data: unknown, reason = 'OK'): WhmResult {
  const out: WhmResult = { metadata: { command, reason, result: 1, version: 1 } };
  if (data !== undefined) out.data = data;
  return out;
}

/**
 * WHM failure. Uncaught exceptions read `API failure: (XID abc123) <message>` and have no `data`;
 * typed errors (Stale) keep the bare text and carry `data` (§4.3, §6.4).
 */
export function whmFailure(command: string, error: SimApiError, xid: () => string): WhmResult {
  if (error.typed) {
    return { metadata: { command, result: 0, version: 1, reason: error.message }, data: error.typed };
  }
  return { metadata: { command, result: 0, version: 1, reason: `API failure: (XID ${xid()}) ${error.message}` } };
}

/**
 * Legacy API 0 shape for calls without `api.version=1` (§4.4): a `result` list holding one object
 * with `status`/`statusmsg` and the payload's keys. Only here so a client that forgets
 * `api.version=1` gets a shape it cannot mistake for API 1.
 */
export function whmLegacy(result: WhmResult): Record<string, unknown> {
  const payload = result.data && typeof result.data === 'object' && !Array.isArray(result.data) ? result.data : {};
  return { result: [{ status: result.metadata.result, statusmsg: result.metadata.reason, ...payload }] };
}
