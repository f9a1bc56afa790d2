/**
 * From an HTTP answer to parsed JSON. cPanel answers every API-level outcome, success or failure, with
 * HTTP 200 + JSON (docs/reference/cpanel-api.md §4, §9.12); anything else is about the connection or the credentials:
 * - 401/403 → AUTHENTICATION (cpsrvd refuses bad tokens before the API layer; body not JSON, §1);
 * - 5xx → TRANSPORT, worth a retry for reads;
 * - other statuses (redirects, 404 of a wrong port or path) → TRANSPORT, not retried;
 * - 200 whose body is not JSON (a proxy's or a restarting cpsrvd's HTML page) → TRANSPORT.
 */
import type { Step } from '../../errors';
import { cpanelError, excerpt } from './failures';
import type { HttpsAnswer } from './httpsRequest';
import type { RawAnswer } from './types';

export function jsonFromHttp(answer: HttpsAnswer, context: { what: string; where: string; step: Step }): RawAnswer {
  const { status } = answer;
  const upstream = { httpStatus: status, body: excerpt(answer.text) };
  if (status === 401 || status === 403) {
    throw cpanelError(
      'AUTHENTICATION',
      `${context.what}: ${context.where} refused the credentials (HTTP ${status}); check the API token and its user (a WHM token on port 2087, a cPanel token on 2083)`,
      { step: context.step, upstream },
    );
  }
  if (status >= 500) {
    throw cpanelError('TRANSPORT', `${context.what}: ${context.where} answered HTTP ${status}`, { step: context.step, upstream });
  }
  if (status < 200 || status >= 300) {
    throw cpanelError('TRANSPORT', `${context.what}: ${context.where} answered HTTP ${status} (wrong URL or port?)`, {
      step: context.step,
      upstream,
      retryable: false,
    });
  }
  try {
    return { httpStatus: status, body: JSON.parse(answer.text) as unknown };
  } catch {
    throw cpanelError('TRANSPORT', `${context.what}: ${context.where} answered HTTP ${status} with a body that is not JSON`, {
      step: context.step,
      upstream,
    });
  }
}
