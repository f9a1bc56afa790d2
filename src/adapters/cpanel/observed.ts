/**
 * A WHM transport that reports each call's function, duration and failure to an observer (the
 * daemon's metrics). A failure is a thrown transport error or an answer whose `metadata.result` is 0
 * (WHM API 1's failure flag, docs/reference/cpanel-api.md §4.3 — https://api.docs.cpanel.net/whm/introduction/).
 */
import type { CallOptions, Params, RawAnswer, WhmTransport } from './types';

export interface WhmCallObservation {
  fn: string;
  seconds: number;
  /** null when the call succeeded; else `transport`, `timeout` or `api` (WHM said result 0). */
  error: 'transport' | 'timeout' | 'api' | null;
}

export type WhmObserver = (call: WhmCallObservation) => void;

function failedAnswer(body: unknown): boolean {
  const metadata = (body as { metadata?: { result?: unknown } } | null)?.metadata;
  return metadata !== undefined && (metadata.result === 0 || metadata.result === '0');
}

export function observedWhm(inner: WhmTransport, observe: WhmObserver): WhmTransport {
  return {
    description: inner.description,
    async callWhm(fn: string, params: Params, options: CallOptions): Promise<RawAnswer> {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      let answer: RawAnswer;
      try {
        answer = await inner.callWhm(fn, params, options);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        safely(observe, { fn, seconds: seconds(), error: code === 'TIMEOUT' ? 'timeout' : 'transport' });
        throw err;
      }
      safely(observe, { fn, seconds: seconds(), error: failedAnswer(answer.body) ? 'api' : null });
      return answer;
    },
  };
}

/** A broken observer must never break a cPanel call. */
function safely(observe: WhmObserver, call: WhmCallObservation): void {
  try {
    observe(call);
  } catch {
    // ignored on purpose
  }
}
