/**
 * Transport-level failure injection (checklist §10.5): the things a real server or network does to a
 * client that the API itself never says — HTTP 500s, answers that never come, dropped connections,
 * refused credentials, slow answers.
 *
 * By default a fault fires before the call is carried out (nothing happened on the server). With
 * `after: true` it fires once the call has been carried out — the edit is in the zone file, PowerDNS
 * reloaded — and only the answer is lost: the client's hardest case, "it landed, then the answer
 * never came / came as a 500 / the connection closed". `auth` has no `after` form.
 *
 * A rule's `match` is tested against the request's label, `<METHOD> <path>` plus, for uapi_cpanel,
 * ` <Module>/<function>`: e.g. `POST /json-api/uapi_cpanel DNS/mass_edit_zone`. A string matches as
 * a substring; omit it to match every request.
 */
export type FaultKind =
  /** Answer this HTTP status with a non-JSON body (default 500). */
  | 'status'
  /** Never answer; the socket stays open until the client gives up or the simulator stops. */
  | 'hang'
  /** Destroy the connection without an answer. */
  | 'drop'
  /** Refuse the credentials (401), as if the token had been revoked. */
  | 'auth';

export interface FaultRule {
  kind: FaultKind;
  match?: string | RegExp;
  /** How many matching requests the rule hits (default 1; Infinity for all). */
  times?: number;
  status?: number;
  body?: string;
  /** Fire after the call was carried out (its effect is on disk), instead of before. */
  after?: boolean;
  /** Only requests whose `zone` parameter is this zone (e.g. one zone's mass edit in a bulk job). */
  zone?: string;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

interface LatencyRule {
  ms: number;
  match?: string | RegExp;
}

function matches(match: string | RegExp | undefined, label: string): boolean {
  if (match === undefined) return true;
  return typeof match === 'string' ? label.includes(match) : match.test(label);
}

export class Faults {
  private rules: ActiveRule[] = [];
  private latencies: LatencyRule[] = [];

  add(rule: FaultRule): void {
    if (rule.after && rule.kind === 'auth') throw new Error('an auth fault fires before the call; it has no "after" form');
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  /**
   * The first live rule of this phase matching the label (and the request's zone), used up by one.
   * `before`: the request just arrived; `after`: it was carried out and its answer is ready.
   */
  take(label: string, phase: 'before' | 'after' = 'before', zone?: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.after === true) === (phase === 'after') &&
        (r.zone === undefined || r.zone === zone) &&
        matches(r.match, label),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule;
  }

  /** Delay every matching answer by `ms` (latest rule wins); `ms` 0 removes the delay. */
  setLatency(ms: number, match?: string | RegExp): void {
    this.latencies = this.latencies.filter((l) => String(l.match) !== String(match));
    if (ms > 0) this.latencies.push({ ms, match });
  }

  latencyFor(label: string): number {
    const hits = this.latencies.filter((l) => matches(l.match, label));
    return hits[hits.length - 1]?.ms ?? 0;
  }

  clear(): void {
    this.rules = [];
    this.latencies = [];
  }
}
