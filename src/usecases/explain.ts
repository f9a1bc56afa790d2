/**
 * "What does this bounce mean and what do I do?" — for a bounce message a customer pasted, or one
 * Exim log line. A pasted `**` / `==` line is split first so the recipient and message id are shown
 * and the fields (router, transport, TLS) cannot confuse the classifier.
 */
import { parseFailure } from '../adapters/exim/fields';
import { BounceOptions, BounceVerdict, MAX_BOUNCE_TEXT, bounceAdvice, classifyBounce } from '../checks/bounce';
import { FixEmailAuthError } from '../errors';

export interface BounceExplanation extends BounceVerdict {
  /** From a pasted Exim failure line. */
  messageId?: string;
  recipient?: string;
  /** True for any recognised failure class (not OTHER): the CLI exits 1. */
  problem: boolean;
}

/** `<time> [pid] <id> ** <rest>` (both id formats, docs/reference/jetbackup-and-exim.md §2.4/§2.8). */
const EXIM_FAILURE_LINE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})? (?:\[\d+\] )?([0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (\*\*|==) (.*)$/;

export function explainBounce(text: string, options: BounceOptions = {}): BounceExplanation {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FixEmailAuthError('BAD_INPUT', 'No bounce text given: paste the error message (or one Exim log line) to explain', {
      step: 'input',
    });
  }
  const bounded = text.length > MAX_BOUNCE_TEXT ? text.slice(0, MAX_BOUNCE_TEXT) : text;
  const trimmed = bounded.trim();
  const line = trimmed.includes('\n') ? null : EXIM_FAILURE_LINE.exec(trimmed);
  if (line && line[1] !== undefined && line[3] !== undefined) {
    const parts = parseFailure(line[3]);
    const verdict = classifyBounce(parts.message || line[3], options);
    // An `==` line is temporary even without an SMTP code ("Connection refused").
    const cls = line[2] === '==' && verdict.class === 'OTHER' ? 'DEFERRED' : verdict.class;
    const advice = cls === verdict.class ? {} : bounceAdvice(cls, verdict.domain, options.provider);
    return { ...verdict, ...advice, class: cls, messageId: line[1], recipient: parts.recipient, problem: cls !== 'OTHER' };
  }
  const verdict = classifyBounce(bounded, options);
  return { ...verdict, problem: verdict.class !== 'OTHER' };
}
