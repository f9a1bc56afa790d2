/**
 * Shared shapes of the cPanel adapter: request parameters, what a transport hands back, and the two
 * transport interfaces (WHM API 1 and UAPI). Transports only move bytes and parse JSON; reading the
 * envelopes (docs/reference/cpanel-api.md §4) is the job of `whmApi.ts` / `uapiApi.ts`.
 */
import type { Step } from '../../errors';

/** Where the adapter reports what an operator must know (insecure TLS, retries). Never gets tokens. */
export interface CpanelLogger {
  warn(message: string): void;
  info?(message: string): void;
}

export type ParamScalar = string | number | boolean;
/** A parameter is a scalar or a list (cPanel's repeatable parameters: `add`, `remove`, `domain`…). */
export type ParamValue = ParamScalar | readonly ParamScalar[];
export type Params = Readonly<Record<string, ParamValue | undefined>>;

/** What a transport got back: the JSON exactly as received, and the HTTP status (null on the CLI). */
export interface RawAnswer {
  httpStatus: number | null;
  body: unknown;
}

export interface CallOptions {
  /** The step reported in errors (`read`, `apply`, …). */
  step: Step;
  /**
   * A state-changing call: sent as a POST form over HTTPS (docs/reference/cpanel-api.md §2: big mass_edit calls do
   * not fit a query string) and never retried.
   */
  write?: boolean;
}

/** How a UAPI transport wraps the UAPI result (docs/reference/cpanel-api.md §4.1, §4.2, §2.1). */
export type UapiEnvelopeKind = 'bare' | 'wrapped' | 'uapi_cpanel';

export interface WhmTransport {
  /** Human description for error messages, e.g. `WHM API 1 at https://127.0.0.1:2087`. */
  readonly description: string;
  callWhm(fn: string, params: Params, options: CallOptions): Promise<RawAnswer>;
}

export interface UapiTransport {
  readonly description: string;
  readonly envelope: UapiEnvelopeKind;
  /** The cPanel user every call runs as. */
  readonly user: string;
  callUapi(module: string, fn: string, params: Params, options: CallOptions): Promise<RawAnswer>;
}
