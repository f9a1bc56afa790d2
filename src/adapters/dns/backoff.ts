/**
 * Retransmission timing. RFC 1035 §4.2.1 leaves it to the client; RFC 1536 §1 asks for exponential
 * backoff so a slow or overloaded server is not hammered: attempt i (0-based) waits timeoutMs × 2^i.
 */
export function attemptTimeout(timeoutMs: number, attempt: number): number {
  return timeoutMs * 2 ** attempt;
}

/** The whole time `attempts` attempts may take: what a single TCP attempt is given instead. */
export function totalBudget(timeoutMs: number, attempts: number): number {
  let total = 0;
  for (let i = 0; i < attempts; i++) total += attemptTimeout(timeoutMs, i);
  return total;
}
