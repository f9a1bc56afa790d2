/**
 * The three answer envelopes, validated with zod (docs/reference/cpanel-api.md §4):
 * - UAPI bare (HTTP `/execute`): `{status, errors, messages, warnings, metadata, data}` (§4.1);
 * - UAPI wrapped (`uapi` CLI, doc samples): `{apiversion, func, module, result: <bare>}` (§4.2);
 * - WHM API 1: `{metadata: {command, reason, result, version}, data?}` (§4.3), and `uapi_cpanel`, which
 *   nests the bare UAPI result under `data.uapi` (§2.1).
 * Each `expect…` returns the successful result or throws the typed failure (`classify.ts`). An answer
 * that fits none of the shapes is a TRANSPORT failure: we did not get an API answer at all.
 */
import { z } from 'zod';
import type { Step } from '../../errors';
import { apiFailure } from './classify';
import { cpanelError } from './failures';
import type { UapiEnvelopeKind } from './types';

/** cPanel flags are 0/1, sometimes as strings ("0" in legacy error payloads). */
const flag = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
  z.boolean().transform((b) => (b ? 1 : 0)),
]);
const messageList = z
  .array(z.unknown())
  .nullish()
  .transform((list) => (list ?? []).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))));
const metadata = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((m) => m ?? {});

export const uapiResultSchema = z.object({
  status: flag,
  errors: messageList,
  messages: messageList,
  warnings: messageList,
  metadata,
  data: z.unknown(),
});

export const uapiWrappedSchema = z.object({
  apiversion: z.unknown().optional(),
  func: z.string().optional(),
  module: z.string().optional(),
  result: uapiResultSchema,
});

export const whmEnvelopeSchema = z.object({
  metadata: z.looseObject({
    command: z.string().optional(),
    reason: z.string().nullish(),
    result: flag,
    version: z.unknown().optional(),
    warnings: messageList.optional(),
  }),
  data: z.unknown().optional(),
});

export type UapiResult = z.output<typeof uapiResultSchema>;

export interface WhmResult {
  command: string;
  reason: string;
  warnings: string[];
  /** `undefined` when WHM omitted `data` (list functions with no rows do, §4.3). */
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface EnvelopeContext {
  /** `DNS::parse_zone`, `parse_dns_zone`, … */
  call: string;
  step: Step;
}

function unexpected(body: unknown, context: EnvelopeContext, detail: string): Error {
  return cpanelError('TRANSPORT', `${context.call}: unexpected answer from cPanel (${detail})`, {
    step: context.step,
    upstream: body,
    retryable: false,
  });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

/** A successful WHM API 1 answer, or the typed failure. */
export function expectWhm(body: unknown, context: EnvelopeContext, uapiCpanelUser?: string): WhmResult {
  const parsed = whmEnvelopeSchema.safeParse(body);
  if (!parsed.success) throw unexpected(body, context, `not a WHM API 1 envelope: ${firstIssue(parsed.error)}`);
  const { metadata: meta, data } = parsed.data;
  if (meta.result !== 1) {
    throw apiFailure(meta.reason ?? '', data, { api: 'whm', call: context.call, step: context.step, upstream: body, uapiCpanelUser });
  }
  return { command: meta.command ?? '', reason: meta.reason ?? '', warnings: meta.warnings ?? [], data, metadata: meta };
}

/** A successful UAPI result from any of the three envelopes, or the typed failure. */
export function expectUapi(body: unknown, kind: UapiEnvelopeKind, context: EnvelopeContext, user?: string): UapiResult {
  let inner: unknown = body;
  if (kind === 'wrapped') {
    const legacyError = legacyErrorText(body);
    if (legacyError !== undefined)
      throw apiFailure(legacyError, undefined, {
        api: 'uapi',
        call: context.call,
        step: context.step,
        upstream: body,
        uapiCpanelUser: user,
      });
    const wrapped = uapiWrappedSchema.safeParse(body);
    if (!wrapped.success) throw unexpected(body, context, `not a wrapped UAPI answer: ${firstIssue(wrapped.error)}`);
    inner = wrapped.data.result;
  } else if (kind === 'uapi_cpanel') {
    // The outer envelope fails only for the user itself (unknown, not owned); §2.1.
    const outer = expectWhm(body, context, user);
    const data = outer.data as { uapi?: unknown } | undefined;
    if (data === undefined || data === null || typeof data !== 'object' || !('uapi' in data)) {
      throw unexpected(body, context, 'uapi_cpanel answer without data.uapi');
    }
    inner = data.uapi;
  }
  const result = uapiResultSchema.safeParse(inner);
  if (!result.success) throw unexpected(body, context, `not a UAPI result: ${firstIssue(result.error)}`);
  // Gotcha §2.1/§9.1: through uapi_cpanel the outer result is 1 even when this inner status is 0.
  if (result.data.status !== 1) {
    throw apiFailure(result.data.errors.join('\n'), result.data.data, {
      api: 'uapi',
      call: context.call,
      step: context.step,
      upstream: body,
    });
  }
  return result.data;
}

/** `{"error": "…"}` answers of the legacy WHM→cPanel bridge (cPanel::APIClient `UAPIFromWHM1.pm`). */
function legacyErrorText(body: unknown): string | undefined {
  if (body !== null && typeof body === 'object' && !('result' in body)) {
    const error = (body as Record<string, unknown>).error;
    if (typeof error === 'string' && error) return error;
  }
  return undefined;
}
